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

    @Flag(
        name: .shortAndLong,
        help: "Log more: -v a line per item done, -vv debug lines, -vvv the HTTP client's own internals too.")
    var verbose: Int

    @Flag(name: .shortAndLong, help: "Print no progress, and log errors only.")
    var quiet = false

    @Flag(
        name: [.customShort("P"), .long],
        help:
            "Show live progress on stderr even when it is not a terminal (by default: a bar on a terminal, a line every few seconds otherwise)."
    )
    var progress = false

    @Option(name: .long, help: "Append log lines to this file (created mode 0600) instead of stderr.")
    var logFile: String?

    @Option(name: .long, help: "How log lines look: text, or json (one object per line).")
    var logFormat: LogFormat = .text

    @Option(
        name: .long,
        help: "Times one HTTP request is sent before it fails (429s, 5xx and network errors; see Docs/cli.md).")
    var lowLevelRetries = 3

    func validate() throws {
        if quiet, progress { throw ValidationError("--quiet and --progress cannot be used together.") }
        if quiet, verbose > 0 { throw ValidationError("--quiet and --verbose cannot be used together.") }
    }
}

extension LogFormat: ExpressibleByArgument {}
