import ArgumentParser
import GalleryCore
import GalleryMigration

/// `gallery-hub plan SRC DST`: what a copy would do, and what the destination cannot hold. Writes nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `copy` would do and what the destination would lose (a dry run; writes nothing).",
        discussion: "The JSON format is documented in Docs/report-schema.md."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json, markdown
    }

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The source remote.")
    var source: String

    @Argument(help: "The destination remote.")
    var destination: String

    @Option(help: "Report format: text, json or markdown (--json means json).")
    var format: Format = .text

    @Option(help: "Write the report to this file instead of standard output.", completion: .file())
    var output: String?

    @Option(help: "The journal of earlier runs (default: the pair's journal under ~/.local/state/gallery-hub/).")
    var journal: String?

    @OptionGroup var matching: MatchingOptions

    @Flag(help: "Plan the removal of destination-only items, as `copy --delete-extras` would.")
    var deleteExtras = false

    func validate() throws {
        try matching.refuseDeletingExtrasWithFilters(deleteExtras)
    }

    func run() async throws {
        let json = options.json || format == .json
        try await runReportingErrors(json: json) {
            let context = try CLIContext(options: options)
            let endpoints = try await MigrationEndpoints(
                context: context, source: source, destination: destination, journal: journal,
                allFiles: matching.allFiles
            )
            let plan = try await MigrationPlanning.plan(
                source: endpoints.source, destination: endpoints.destination,
                mappings: try await endpoints.existingMappings(),
                options: matching.planning(
                    settledIn: endpoints.destinationConfig, gallery: endpoints.sourceGallery,
                    deleteExtras: deleteExtras),
                progress: context.progress(), logger: context.logger
            ).plan.named(source: source, destination: destination)
            let requests = await endpoints.requests(source: source, destination: destination)
            let report =
                switch json ? .json : format {
                case .json:
                    // The document says what the plan is, so two runs over the same sides print the same bytes;
                    // what this run spent (requests, rate-limit waits) goes to stderr.
                    try PlanReport.json(plan)
                case .markdown: PlanReport.markdown(plan)
                case .text:
                    requests.isEmpty
                        ? PlanReport.text(plan)
                        : ([PlanReport.text(plan), ""] + RemoteRequests.text(requests)).joined(separator: "\n")
                }
            if json || format == .json, !requests.isEmpty, context.progressMode != .none {
                StandardStreams.writeError(RemoteRequests.text(requests).joined(separator: "\n") + "\n")
            }
            if let output {
                try ReportFile.write(report + "\n", to: output)
            } else {
                printLine(report)
            }
        }
    }
}
