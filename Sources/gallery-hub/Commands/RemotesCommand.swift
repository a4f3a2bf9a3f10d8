import ArgumentParser
import GalleryCore

/// `gallery-hub remotes`: the configured remotes, secrets masked.
struct RemotesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remotes",
        abstract: "List the remotes configured in the remotes file, with secrets masked."
    )

    @OptionGroup var options: GlobalOptions

    struct Entry: Encodable {
        var name: String
        var type: String
        var options: [String: String]
        /// The remote's `[NAME.match]` table: source gallery id → destination gallery id or "new".
        var match: [String: String]?
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let context = try CLIContext(options: options)
            let entries = context.remotes.entries.values.sorted { $0.name < $1.name }.map { entry in
                let secrets = context.registry.descriptor(named: entry.type)?.secretOptionNames ?? []
                let config = RemoteConfig(name: entry.name, type: entry.type, options: entry.options)
                return Entry(
                    name: entry.name, type: entry.type, options: config.maskedOptions(secrets: secrets),
                    match: entry.galleryMatches.isEmpty ? nil : entry.galleryMatches)
            }
            if options.json {
                try JSONOutput.print(RemotesDocument(file: context.remotes.path, remotes: entries))
                return
            }
            printLine("remotes file: \(context.remotes.path ?? "none")")
            if entries.isEmpty { printLine("(no remotes configured)") }
            for entry in entries {
                let rendered = entry.options.keys.sorted().map { "\($0)=\(entry.options[$0]!)" }
                printLine("\(entry.name) (\(entry.type)) \(rendered.joined(separator: " "))")
                for (source, destination) in (entry.match ?? [:]).sorted(by: { $0.key < $1.key }) {
                    printLine("  match \(source) → \(destination)")
                }
            }
        }
    }

    /// `remotes --json`: the configured remotes by name, secrets masked.
    struct RemotesDocument: Encodable {
        var schema = "gallery-hub/remotes"
        var schemaVersion = 1
        var file: String?
        var remotes: [Entry]
    }
}
