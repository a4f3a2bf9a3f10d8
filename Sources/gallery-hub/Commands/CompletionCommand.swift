import ArgumentParser

/// `gallery-hub completion bash|zsh|fish`: the shell completion script, generated from the commands themselves.
struct CompletionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completion",
        abstract: "Print the shell completion script for bash, zsh or fish.",
        discussion: """
            bash: gallery-hub completion bash > /etc/bash_completion.d/gallery-hub (or source it from ~/.bashrc); \
            zsh: gallery-hub completion zsh > "${fpath[1]}/_gallery-hub"; \
            fish: gallery-hub completion fish > ~/.config/fish/completions/gallery-hub.fish
            """
    )

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("No completion for '\(shell)': choose bash, zsh or fish.")
        }
    }

    func run() throws {
        let script = GalleryHubCommand.completionScript(for: CompletionShell(rawValue: shell)!)
        printLine(script.hasSuffix("\n") ? String(script.dropLast()) : script)
    }
}
