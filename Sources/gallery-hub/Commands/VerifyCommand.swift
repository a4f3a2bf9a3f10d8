import ArgumentParser
import GalleryCore
import GalleryMigration

/// `gallery-hub verify SRC DST`: re-reads the destination and compares it with the source.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Compare DST with SRC: galleries, bytes (SHA-256), order, cover, captions. Exit 1 on any mismatch.",
        discussion: "Differences the plan declares as losses are allowed."
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The source remote.")
    var source: String

    @Argument(help: "The destination remote.")
    var destination: String

    @Option(help: "The journal of the copy (default: the pair's journal under ~/.local/state/gallery-hub/).")
    var journal: String?

    @Option(help: "Items hashed at once.")
    var transfers = 4

    @OptionGroup var matching: MatchingOptions

    func run() async throws {
        var mismatched = false
        try await runReportingErrors(json: options.json) {
            let context = try CLIContext(options: options)
            let endpoints = try await MigrationEndpoints(
                context: context, source: source, destination: destination, journal: journal,
                allFiles: matching.allFiles
            )
            let verifier = Verifier(
                source: endpoints.source, destination: endpoints.destination, concurrency: transfers,
                progress: context.progress(), logger: context.logger
            )
            var report = try await withSignalCancellation {
                try await verifier.verify(
                    mappings: try await endpoints.existingMappings(),
                    options: matching.planning(
                        settledIn: endpoints.destinationConfig, gallery: endpoints.sourceGallery,
                        concurrency: transfers)
                )
            }
            report.source = source
            report.destination = destination
            let requests = await endpoints.requests(source: source, destination: destination)
            report.requests = requests.isEmpty ? nil : requests
            mismatched = !report.isSuccess
            if options.json { try JSONOutput.print(report) } else { printLine(report.text) }
        }
        if mismatched { throw ExitCode(ExitStatus.incomplete.rawValue) }
    }
}
