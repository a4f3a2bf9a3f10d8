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

    @Option(help: "Times an item is attempted in all before the run reports it failed (see Docs/cli.md).")
    var retries = 4

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
        guard (1...20).contains(retries) else { throw ValidationError("--retries must be between 1 and 20.") }
        try matching.refuseDeletingExtrasWithFilters(deleteExtras)
    }

    func run() async throws {
        var incomplete = false
        let started = Date()
        let clock = ContinuousClock.now
        try await runReportingErrors(json: options.json) {
            let context = try CLIContext(options: options)
            // Signals cancel from here on, planning included: a Ctrl-C while a large plan is read (or hashed,
            // with --checksum) stops cleanly too.
            let command = self
            let outcome = try await withSignalCancellation { try await command.copy(context: context) }
            guard let (plan, result, requests) = outcome else { return }
            incomplete = result.summary.failures > 0
            let seconds = Double(clock.duration(to: .now) / .milliseconds(1)) / 1000
            if options.json {
                let timing = CopyDocument.Timing(started: started, finished: Date(), seconds: seconds)
                try JSONOutput.print(CopyDocument(plan: plan, result: result, timing: timing, requests: requests))
            } else {
                printLine(Self.text(plan: plan, result: result, requests: requests, seconds: seconds))
            }
        }
        if incomplete { throw ExitCode(ExitStatus.incomplete.rawValue) }
    }

    /// Plans and runs the copy, and says what requests both sides spent; `nil` for a dry run (the plan is
    /// printed).
    private func copy(context: CLIContext) async throws -> (Plan, RunResult, [RemoteRequests])? {
        var migrationOptions = MigrationOptions(
            transfers: transfers, acceptLosses: acceptLosses, deleteExtras: deleteExtras,
            checksum: matching.checksum
        )
        migrationOptions.retry.maxAttempts = retries
        let prepared: (plan: Plan, executor: Executor, endpoints: MigrationEndpoints, lock: FileLock?)
        do {
            guard let ready = try await prepare(context: context, options: migrationOptions) else { return nil }
            prepared = ready
        } catch  where Task.isCancelled {
            throw GalleryError(
                .cancelled, "Cancelled before any item was copied",
                hint: "Run the same command again to resume where this run stopped.")
        }
        let result = try await prepared.executor.run(prepared.plan)
        withExtendedLifetime(prepared.lock) {}  // released once the run is over, not before
        return (
            prepared.plan, result, await prepared.endpoints.requests(source: source, destination: destination)
        )
    }

    /// Plans (printing the plan for a dry run, then `nil`), checks the plan may run, and opens the journal.
    private func prepare(context: CLIContext, options baseOptions: MigrationOptions) async throws -> (
        plan: Plan, executor: Executor, endpoints: MigrationEndpoints, lock: FileLock?
    )? {
        let endpoints = try await MigrationEndpoints(
            context: context, source: source, destination: destination, journal: journal,
            allFiles: matching.allFiles
        )
        // Held from before planning to the run's end, so the plan is not made while another copy writes there.
        let lock =
            dryRun
            ? nil
            : try FileLock.destination(
                endpoints.destinationIdentity, named: destination, environment: context.environment)
        do {
            return try await planAndOpen(endpoints: endpoints, context: context, options: baseOptions, lock: lock)
        } catch {
            // A copy that did nothing (a missing source, refused losses) leaves no trace, the lock included.
            lock?.removeWhatItCreated()
            throw error
        }
    }

    private func planAndOpen(
        endpoints: MigrationEndpoints, context: CLIContext, options baseOptions: MigrationOptions, lock: FileLock?
    ) async throws -> (plan: Plan, executor: Executor, endpoints: MigrationEndpoints, lock: FileLock?)? {
        let progress = context.progress()
        var migrationOptions = baseOptions
        migrationOptions.resolutions = matching.resolutions(settledIn: endpoints.destinationConfig)
        migrationOptions.selection = matching.selection(gallery: endpoints.sourceGallery)
        // Planned before the journal is opened, so a missing source creates no journal; planned again only
        // when another run changed the journal meanwhile.
        let earlier = try await endpoints.existingMappings()
        var plan = try await MigrationPlanning.plan(
            source: endpoints.source, destination: endpoints.destination, mappings: earlier,
            options: migrationOptions.planning, progress: progress, logger: context.logger
        ).plan.named(source: source, destination: destination)
        if dryRun {
            let requests = await endpoints.requests(source: source, destination: destination)
            // As in `plan`: the JSON document is the plan alone, what this run spent goes to stderr.
            if options.json, !requests.isEmpty, context.progressMode != .none {
                StandardStreams.writeError(RemoteRequests.text(requests).joined(separator: "\n") + "\n")
            }
            printLine(
                options.json
                    ? try PlanReport.json(plan)
                    : ([PlanReport.text(plan)] + RemoteRequests.text(requests)).joined(separator: "\n"))
            return nil
        }
        if !plan.losses.isEmpty, !acceptLosses, plan.galleryAmbiguities.isEmpty {
            try refuseLosses(plan, options: migrationOptions)
        }
        try Executor.preflight(plan, options: migrationOptions)
        let journal = try endpoints.openJournal()
        let mappings = try await journal.mappings()
        if mappings != earlier {
            plan = try await MigrationPlanning.plan(
                source: endpoints.source, destination: endpoints.destination, mappings: mappings,
                options: migrationOptions.planning, progress: progress, logger: context.logger
            ).plan.named(source: source, destination: destination)
        }
        let executor = Executor(
            source: endpoints.source, destination: endpoints.destination, journal: journal,
            options: migrationOptions, progress: progress,
            logger: context.logger
        )
        return (plan, executor, endpoints, lock)
    }

    /// Prints the losses the run would cause and exits 15 (`lossesNotAccepted`), in the error document too.
    private func refuseLosses(_ plan: Plan, options migrationOptions: MigrationOptions) throws {
        do {
            try Executor.preflight(plan, options: migrationOptions)
        } catch let error as GalleryError {
            throw report(error, json: options.json, status: .lossesNotAccepted)
        }
    }

    /// - Parameter seconds: the command's wall time, planning included, for the elapsed-time line.
    static func text(plan: Plan, result: RunResult, requests: [RemoteRequests] = [], seconds: Double? = nil)
        -> String
    {
        let s = result.summary
        var lines = [
            s.failures == 0
                ? "Copied \(plan.source) → \(plan.destination)"
                : "Copy incomplete: \(plan.source) → \(plan.destination): \(s.failures) steps failed (run again to retry)",
            "  planned: \(plan.counts.itemsToUpload) to upload, \(plan.counts.itemsToUpdate) to update, "
                + "\(plan.counts.itemsUnchanged) unchanged, \(plan.counts.ignored) ignored",
            "  galleries created: \(s.galleriesCreated), updated: \(s.galleriesUpdated)",
            "  items: \(s.itemsUploaded) uploaded, \(s.itemsUpdated) updated, \(s.itemsUnchanged) unchanged "
                + "(\(s.itemsReconciled) newly recorded in the journal); \(ByteFormat.string(s.bytesUploaded)) sent",
            "  orders set: \(s.ordersSet), covers set: \(s.coversSet), extras deleted: \(s.extrasDeleted)",
            "  losses: \(s.losses), failures: \(s.failures)",
            "  journal: \(result.journalPath)",
        ]
        if let seconds {
            let rate = ByteFormat.string(Int64(Double(s.bytesUploaded) / max(seconds, 0.001)))
            lines.append(
                "  elapsed: " + String(format: "%.1f", seconds) + " s, \(ByteFormat.string(s.bytesUploaded)) sent at "
                    + "\(rate)/s on average")
        }
        lines += RemoteRequests.text(requests)
        for failure in result.failures {
            lines.append(
                "  failed: \(failure.step) “\(failure.gallery)”\(failure.item.map { " / \($0)" } ?? ""): \(failure.message)"
            )
        }
        return lines.joined(separator: "\n")
    }
}

/// `copy --json`: the run's counts, every item action, its failures, the losses it accepted, and its timing.
struct CopyDocument: Encodable {
    struct Timing: Encodable {
        /// When the command started and ended (planning included), ISO 8601.
        var started: Date
        var finished: Date
        /// Wall seconds from start to end.
        var seconds: Double
    }

    var schema = "gallery-hub/copy"
    var schemaVersion = 2
    var source: PlanDocument.Side
    var destination: PlanDocument.Side
    var journal: String
    var summary: RunSummary
    var actions: [RunAction]
    var failures: [RunFailure]
    var losses: [PlanDocument.LossEntry]
    var timing: Timing
    /// The requests the command spent per HTTP remote (planning included); absent when none talks HTTP.
    var requests: [RemoteRequests]?

    init(plan: Plan, result: RunResult, timing: Timing, requests: [RemoteRequests] = []) {
        source = PlanDocument.Side(name: plan.source)
        destination = PlanDocument.Side(name: plan.destination)
        journal = result.journalPath
        summary = result.summary
        actions = result.actions
        failures = result.failures
        losses = PlanDocument(plan).losses
        self.timing = timing
        self.requests = requests.isEmpty ? nil : requests
    }
}
