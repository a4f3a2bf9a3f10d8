import ArgumentParser

/// Flags every command takes.
struct GlobalOptions: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON document on stdout; logs and progress go to stderr.")
    var json = false

    @Option(
        name: .long,
        help: "The remotes file (default: $GALLERY_HUB_CONFIG, else ~/.config/gallery-hub/remotes.toml).",
        completion: .file(extensions: ["toml"])
    )
    var config: String?

    @Flag(name: .shortAndLong, help: "Log more (repeat for debug logs).")
    var verbose: Int

    @Option(
        name: .long,
        help: "Times one HTTP request is sent before it fails (429s, 5xx and network errors; see Docs/cli.md).")
    var lowLevelRetries = 3
}
