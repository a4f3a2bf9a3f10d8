import ArgumentParser
import GalleryCore

/// `gallery-hub remotes`: the configured remotes, secrets masked.
struct RemotesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remotes",
        abstract: "List the remotes configured in the remotes file and the environment, with secrets masked."
    )

    @OptionGroup var options: GlobalOptions

    struct Entry: Encodable {
        var name: String
        var type: String
        var options: [String: String]
        /// The remote's `[NAME.match]` table: source gallery id → destination gallery id or "new".
        var match: [String: String]?
        /// The options (and `type`) set by `GALLERY_HUB_<REMOTE>_<KEY>` variables: option → variable.
        var environment: [String: String]?
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let context = try CLIContext(options: options)
            let entries = Self.entries(context: context)
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

    /// Every remote the commands can use, by name, secrets masked.
    static func entries(context: CLIContext) -> [Entry] {
        context.remotes.entries.values.sorted { $0.name < $1.name }.map { entry(for: $0, registry: context.registry) }
    }

    /// One remote as shown, secrets masked.
    static func entry(for entry: RemotesFile.Entry, registry: BackendRegistry) -> Entry {
        let secrets = registry.descriptor(named: entry.type)?.secretOptionNames ?? []
        let config = RemoteConfig(name: entry.name, type: entry.type, options: entry.options)
        return Entry(
            name: entry.name, type: entry.type, options: config.maskedOptions(secrets: secrets),
            match: entry.galleryMatches.isEmpty ? nil : entry.galleryMatches,
            environment: entry.environmentOptions.isEmpty ? nil : entry.environmentOptions)
    }

    /// One remote as a TOML table, each value set by the environment marked with its variable.
    static func render(_ entry: Entry) -> String {
        func note(_ key: String) -> String { entry.environment?[key].map { "   # from $\($0)" } ?? "" }
        var lines = ["[\(entry.name)]", "type = \"\(entry.type)\"\(note("type"))"]
        for key in entry.options.keys.sorted() {
            lines.append("\(key) = \"\(entry.options[key]!)\"\(note(key))")
        }
        if let match = entry.match {
            lines.append("[\(entry.name).match]")
            for source in match.keys.sorted() { lines.append("\"\(source)\" = \"\(match[source]!)\"") }
        }
        return lines.joined(separator: "\n")
    }

    /// `remotes --json`: the configured remotes by name, secrets masked.
    struct RemotesDocument: Encodable {
        var schema = "gallery-hub/remotes"
        var schemaVersion = 1
        var file: String?
        var remotes: [Entry]
    }
}
