import ArgumentParser
import Foundation
import GalleryCore
import GalleryMigration

/// `gallery-hub copy SRC DST`: runs the plan, journaled and resumable.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy galleries from SRC to DST: idempotent, resumable, every byte hashed on the way.",
        discussion: """
            Run `gallery-hub plan SRC DST` first to see what will happen. An interrupted copy resumes where it \
            stopped when run again (the journal remembers every finished step); a finished one writes nothing. \
            Exit 1 when some items failed, 15 when the plan has losses and --accept-losses is not given.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Argument(help: "The source remote.")
    var source: String

    @Argument(help: "The destination remote.")
    var destination: String

    @Option(help: "Items transferred at once.")
    var transfers = 4

    @Option(help: "The journal file (default: the pair's journal under ~/.local/state/gallery-hub/).")
    var journal: String?

    @Flag(help: "Copy even though the destination cannot hold everything (see `plan`).")
    var acceptLosses = false

    @Flag(help: "Remove destination items that match no source item, in the galleries being copied.")
    var deleteExtras = false

    @Flag(help: "Print the plan (as `plan` does) and write nothing.")
    var dryRun = false

    @OptionGroup var matching: MatchingOptions

    func validate() throws {
        guard (1...64).contains(transfers) else { throw ValidationError("--transfers must be between 1 and 64.") }
    }

    func run() async throws {
        var incomplete = false
        try await runReportingErrors(json: options.json) {
            let context = try CLIContext(options: options)
            let endpoints = try await MigrationEndpoints(
                context: context, source: source, destination: destination, journal: journal,
                allFiles: matching.allFiles
            )
            let migrationOptions = MigrationOptions(
                transfers: transfers, acceptLosses: acceptLosses, deleteExtras: deleteExtras,
                checksum: matching.checksum, resolutions: matching.resolutions
            )
            // Planned before the journal is opened, so a missing source creates no journal; planned again only
            // when another run changed the journal meanwhile.
            let earlier = try await endpoints.existingMappings()
            var plan = try await MigrationPlanning.plan(
                source: endpoints.source, destination: endpoints.destination, mappings: earlier,
                options: migrationOptions.planning, logger: context.logger
            ).plan.named(source: source, destination: destination)
            if dryRun {
                printLine(options.json ? try PlanReport.json(plan) : PlanReport.text(plan))
                return
            }
            if !plan.losses.isEmpty, !acceptLosses, plan.galleriesToCreateByHand.isEmpty,
                plan.galleryAmbiguities.isEmpty
            {
                try refuseLosses(plan, options: migrationOptions)
            }
            try Executor.preflight(plan, options: migrationOptions)
            let journal = try endpoints.openJournal()
            let mappings = try await journal.mappings()
            if mappings != earlier {
                plan = try await MigrationPlanning.plan(
                    source: endpoints.source, destination: endpoints.destination, mappings: mappings,
                    options: migrationOptions.planning, logger: context.logger
                ).plan.named(source: source, destination: destination)
            }
            let executor = Executor(
                source: endpoints.source, destination: endpoints.destination, journal: journal,
                options: migrationOptions, progress: TerminalProgress(style: TerminalProgress.styleForStandardError),
                logger: context.logger
            )
            let planned = plan
            let result = try await withSignalCancellation { try await executor.run(planned) }
            incomplete = result.summary.failures > 0
            if options.json {
                try JSONOutput.print(CopyDocument(plan: plan, result: result))
            } else {
                printLine(Self.text(plan: plan, result: result))
            }
        }
        if incomplete { throw ExitCode(ExitStatus.incomplete.rawValue) }
    }

    /// Prints the losses the run would cause and exits 15 (`lossesNotAccepted`).
    private func refuseLosses(_ plan: Plan, options migrationOptions: MigrationOptions) throws {
        do {
            try Executor.preflight(plan, options: migrationOptions)
        } catch let error as GalleryError {
            var text = "error: \(error.message)"
            if let hint = error.hint { text += "\nhint: \(hint)" }
            FileHandle.standardError.write(Data((text + "\n").utf8))
            if options.json { try? JSONOutput.print(ErrorDocument(error: .init(error))) }
            throw ExitCode(ExitStatus.lossesNotAccepted.rawValue)
        }
    }

    static func text(plan: Plan, result: RunResult) -> String {
        let s = result.summary
        var lines = [
            s.failures == 0
                ? "Copied \(plan.source) → \(plan.destination)"
                : "Copy incomplete: \(plan.source) → \(plan.destination): \(s.failures) steps failed (run again to retry)",
            "  galleries created: \(s.galleriesCreated), updated: \(s.galleriesUpdated)",
            "  items: \(s.itemsUploaded) uploaded (\(ByteFormat.string(s.bytesUploaded))), \(s.itemsUpdated) updated, "
                + "\(s.itemsUnchanged) unchanged (\(s.itemsReconciled) newly recorded in the journal)",
            "  orders set: \(s.ordersSet), covers set: \(s.coversSet), extras deleted: \(s.extrasDeleted)",
            "  losses: \(s.losses), failures: \(s.failures)",
            "  journal: \(result.journalPath)",
        ]
        for failure in result.failures {
            lines.append(
                "  failed: \(failure.step) “\(failure.gallery)”\(failure.item.map { " / \($0)" } ?? ""): \(failure.message)"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// `copy --json`: the run's counts, its failures and the losses it accepted.
struct CopyDocument: Encodable {
    var schema = "gallery-hub/copy"
    var schemaVersion = 1
    var source: String
    var destination: String
    var journal: String
    var summary: RunSummary
    var failures: [RunFailure]
    var losses: [PlanDocument.LossEntry]

    init(plan: Plan, result: RunResult) {
        source = plan.source
        destination = plan.destination
        journal = result.journalPath
        summary = result.summary
        failures = result.failures
        losses = PlanDocument(plan).losses
    }
}
