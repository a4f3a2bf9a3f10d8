import ArgumentParser
import Foundation

/// `gallery-hub`: move image galleries between platforms.
@main
struct GalleryHubCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery-hub",
        abstract: "Move image galleries between platforms without losing bytes, order, covers or captions.",
        discussion: """
            A REMOTE is a name from the remotes file (`sandbox-omnitcode:`), an inline remote (`local:./photos`), \
            or a plain folder path. Exit codes are listed in Docs/cli.md.
            """,
        version: "0.1.0",
        subcommands: [
            BackendsCommand.self,
            RemotesCommand.self,
            ConfigCommand.self,
            ListCommand.self,
            PlanCommand.self,
            CopyCommand.self,
            VerifyCommand.self,
            BenchCommand.self,
            SandboxCommand.self,
            DemoCommand.self,
            CompletionCommand.self,
        ]
    )

    /// Parses and runs the command. A command-line error (a bad flag, a failed `validate()`) given with `--json`
    /// prints the error document too, its `exitCode` the one the process ends with (64), so a script reading
    /// stdout sees every failure the same way.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let status = exitCode(for: error)
            if status != .success, !(error is ExitCode), CommandLine.arguments.dropFirst().contains("--json") {
                let message = fullMessage(for: error).split(separator: "\n").first.map(String.init) ?? ""
                try? JSONOutput.print(
                    ErrorDocument(
                        code: "usage", message: message.replacingOccurrences(of: "Error: ", with: ""),
                        hint: "Run `gallery-hub help` for the commands and their options.",
                        exitCode: ExitStatus(rawValue: status.rawValue) ?? .usage))
            }
            exit(withError: error)
        }
    }
}
