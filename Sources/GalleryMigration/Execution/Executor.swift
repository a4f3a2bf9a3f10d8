public import GalleryCore
public import Logging

/// Carries out a ``Plan``: creates galleries, streams items with bounded concurrency while hashing them, sets
/// metadata, order and cover, and journals every step so an interrupted run resumes without duplicates.
///
/// It runs in phases, the same for every backend, so a destination may make added items visible only when
/// it flushes (Stash scans its library; Local writes manifests in batches), as long as the ids `addItem`
/// returned stay valid through the flush:
/// 1. galleries are created or updated;
/// 2. items are added (new ones) or replaced (changed at the source), with their captions in the spec;
/// 3. ``GalleryBackend/flush()``;
/// 4. item metadata updates, then per gallery the order, the cover and the removal of extras;
/// 5. ``GalleryBackend/flush()`` again.
///
/// Per-item failures are collected, not thrown: the run goes on and ``RunResult`` counts them. Only a refusal
/// to start (losses not accepted, galleries to create by hand), a journal failure, or cancellation throws.
public struct Executor: Sendable {
    public var source: any GalleryBackend
    public var destination: any GalleryBackend
    public var journal: Journal
    public var options: MigrationOptions
    public var progress: any ProgressReporter
    public var logger: Logger

    public init(
        source: any GalleryBackend,
        destination: any GalleryBackend,
        journal: Journal,
        options: MigrationOptions = MigrationOptions(),
        progress: any ProgressReporter = SilentProgress(),
        logger: Logger
    ) {
        self.source = source
        self.destination = destination
        self.journal = journal
        self.options = options
        self.progress = progress
        self.logger = logger
    }

    public func run(_ plan: Plan) async throws -> RunResult {
        try Self.preflight(plan, options: options)
        let ledger = RunLedger(losses: plan.losses.count)
        let counts = plan.counts
        progress.begin(items: counts.itemsToUpload + counts.itemsToUpdate, bytes: counts.bytesToUpload)
        defer { progress.end() }

        let cancelled = GalleryError(
            .cancelled,
            "Cancelled; every finished step is recorded in the journal \(journal.path)",
            hint: "Run the same command again to resume where this run stopped."
        )
        let progress = progress
        do {
            try await RateLimitWait.$observer.withValue({ progress.waitingForRateLimit($0) }) {
                try await execute(plan, ledger: ledger)
            }
        } catch {
            // Whatever stopped the run, what did finish is made durable (a batching destination such as Local
            // writes its pending manifests) before the error is reported.
            try? await destination.flush()
            try? await journal.commit()
            throw error is CancellationError ? cancelled : error
        }
        _ = try await flushDestination(ledger: ledger)
        try await journal.commit()
        if Task.isCancelled { throw cancelled }
        return RunResult(
            summary: ledger.summary, failures: ledger.failures, journalPath: journal.path, actions: ledger.actions)
    }

    /// The run's phases, in order; waits for a rate limit are shown by ``progress``.
    private func execute(_ plan: Plan, ledger: RunLedger) async throws {
        try await prepareGalleries(plan, ledger: ledger)
        try await transferItems(plan, ledger: ledger)
        // Added items become visible (a write-then-scan destination scans now) before anything refers to them.
        if try await flushDestination(ledger: ledger), !ledger.outage.isTripped {
            try await updateItems(plan, ledger: ledger)
            try await finishGalleries(plan, ledger: ledger)
        }
    }

    /// Makes the added items visible (``GalleryBackend/flush()``), tried again like a step when it fails
    /// retryably. One that still fails leaves the items written and journaled for the next run to find, and
    /// is a failure of this run (exit 1, saying what is left) rather than an abort that names nothing. So is a
    /// destination that stopped answering (``RunOutage``), without retries: they would only wait. Any other
    /// failure that is not retryable (a misconfigured destination) still stops the run. Returns whether it
    /// succeeded.
    func flushDestination(ledger: RunLedger) async throws -> Bool {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await destination.flush()
                return true
            } catch {
                let failure = GalleryError.wrapping(error, backend: destination.name)
                let unreachable = ledger.outage.note(failure)
                guard failure.isRetryable || unreachable, failure.code != .cancelled, !Task.isCancelled else {
                    throw failure
                }
                if !unreachable, attempt < options.retry.maxAttempts {
                    let delay = options.retry.delay(after: attempt, retryAfter: failure.retryAfter)
                    logger.notice(
                        "Retrying the flush of \(destination.name) after \(delay): \(failure.shortDescription)")
                    try? await Task.sleep(for: delay)
                    continue
                }
                let left = GalleryError(
                    failure.code,
                    "The items written to \(destination.name) this run are not all in their galleries yet: "
                        + failure.message,
                    backend: destination.name, gallery: failure.gallery, item: failure.item,
                    httpStatus: failure.httpStatus, serverMessage: failure.serverMessage,
                    hint: "They are written and recorded in the journal: run the same command again to finish.",
                    isRetryable: true)
                logger.error("flush failed: \(left)")
                ledger.fail(StepKey(.upload, gallery: GalleryID("-")), title: "(run)", item: nil, error: left)
                return false
            }
        }
    }

    /// Refuses to start a run that would merge galleries or lose data the user has not accepted.
    public static func preflight(_ plan: Plan, options: MigrationOptions) throws {
        if !plan.galleryAmbiguities.isEmpty {
            let shown = plan.galleryAmbiguities.prefix(20).map { ambiguity in
                let candidates = ambiguity.candidates.map { "\($0.id) “\($0.title)”" }.joined(separator: ", ")
                return "  - \(ambiguity.source.id) “\(ambiguity.source.title)”: \(ambiguity.reason); candidates: "
                    + candidates
            }
            throw GalleryError(
                .conflict,
                "\(plan.galleryAmbiguities.count) source galleries may or may not be galleries \(plan.destination) "
                    + "already holds:\n" + shown.joined(separator: "\n"),
                backend: plan.destination,
                hint: "Say which each is: --match-gallery SOURCE_ID=DESTINATION_ID, or --new-gallery SOURCE_ID to "
                    + "create it anew (or, for every run, \"SOURCE_ID\" = \"DESTINATION_ID\" or \"new\" in the "
                    + "destination's [NAME.match] table of the remotes file); galleries are never merged by title alone."
            )
        }
        if !plan.losses.isEmpty, !options.acceptLosses {
            let shown = plan.losses.prefix(20).map { "  - " + $0.summary }
            let more = plan.losses.count > 20 ? ["  … and \(plan.losses.count - 20) more (see `gallery-hub plan`)"] : []
            throw GalleryError(
                .invalidInput,
                "\(plan.destination) cannot hold everything; \(plan.losses.count) losses:\n"
                    + (shown + more).joined(separator: "\n"),
                backend: plan.destination,
                hint: "Review them with `gallery-hub plan`, then pass --accept-losses to copy anyway."
            )
        }
    }

    // MARK: Galleries

    /// Creates missing galleries (parents first) and records matched ones, so items know where to go.
    func prepareGalleries(_ plan: Plan, ledger: RunLedger) async throws {
        for gallery in plan.galleries {
            try Task.checkCancellation()
            if ledger.outage.isTripped { break }
            let key = StepKey(.createGallery, gallery: gallery.source.id)
            switch gallery.target {
            case .existing(let id, let rule):
                ledger.mapGallery(gallery.source.id, to: id)
                if rule != .journal { try await adopt(key, destination: id.rawValue) }
                if let changes = gallery.changes {
                    await perform(
                        StepKey(.updateGallery, gallery: gallery.source.id), title: gallery.source.title,
                        item: nil, ledger: ledger
                    ) {
                        try await destination.updateGallery(id, changes)
                        ledger.count { $0.galleriesUpdated += 1 }
                        return nil
                    }
                }
            case .create(var spec, let parent):
                if let parent {
                    guard let mapped = ledger.destinationGallery(parent) else {
                        let error = GalleryError(
                            .notFound, "Not created: its parent gallery could not be created",
                            backend: destination.name,
                            gallery: gallery.source.title, hint: "Fix the parent's failure above, then run again."
                        )
                        ledger.fail(key, title: gallery.source.title, item: nil, error: error)
                        continue
                    }
                    spec.parent = mapped
                }
                let created = await perform(key, title: gallery.source.title, item: nil, ledger: ledger) {
                    let id = try await destination.createGallery(spec)
                    ledger.count { $0.galleriesCreated += 1 }
                    ledger.noteCreatedHere(gallery.source.id)
                    return id.rawValue
                }
                if let created { ledger.mapGallery(gallery.source.id, to: GalleryID(created)) }
            case .createByHand:
                // Blocks this gallery only: the others are copied, and the run reports it as not done.
                ledger.fail(
                    key, title: gallery.source.title, item: nil,
                    error: GalleryError(
                        .unsupported,
                        "Not copied: \(destination.name) cannot create galleries, and none there matches "
                            + "“\(gallery.source.title)”"
                            + (gallery.source.itemCount.map { " (\($0) items)" } ?? ""),
                        backend: destination.name, gallery: gallery.source.title, capability: .createGalleries,
                        hint: "Create it on \(destination.name) by hand with the same title, then run again; items are "
                            + "never merged into another gallery."))
                continue
            }
        }
    }

    /// Records a match found by the planner (by slug, title, digest …) so later runs match by journal, with
    /// what the source item looked like.
    func adopt(
        _ key: StepKey, destination id: String, destinationGallery: GalleryID? = nil,
        fingerprint: SourceFingerprint? = nil
    ) async throws {
        let state = try await journal.state(of: key)
        if case .done(let existing) = state {
            if existing == id { return }
            try await journal.record(.destinationVanished, for: key)
        }
        try await journal.record(
            .matched(destination: id), for: key, destinationGallery: destinationGallery, fingerprint: fingerprint)
    }

    /// Moves a step to *intent*, reconciling first when it was left unfinished or done before.
    /// - Parameter deferCommit: leave the intent queued; the caller commits before attempting (a batch).
    func begin(_ key: StepKey, deferCommit: Bool = false) async throws {
        switch try await journal.state(of: key) {
        case .intent:
            // The planner read the destination afresh and did not find the result: nothing to reuse.
            try await journal.record(.reconcileMissing, for: key)
        case .done:
            try await journal.record(.redo, for: key)
        case .pending, .failed:
            break
        }
        try await journal.record(.attempt, for: key, deferCommit: deferCommit)
    }

    /// Runs one journaled step with retries; failures are collected in the ledger. Returns the destination id
    /// the step reports, or `nil` when it failed (or has no id).
    /// - Parameters:
    ///   - begun: the first attempt's intent is already committed (see ``transferItems(_:ledger:)``).
    ///   - fingerprint: filled by `body` with what the source item looked like, recorded with the step's end.
    @discardableResult
    func perform(
        _ key: StepKey,
        title: String,
        item: String?,
        destinationGallery: GalleryID? = nil,
        begun: Bool = false,
        fingerprint: FingerprintSlot? = nil,
        ledger: RunLedger,
        _ body: () async throws -> String?
    ) async -> String? {
        var attempt = 0
        while true {
            attempt += 1
            do {
                try Task.checkCancellation()
                if attempt > 1 {
                    try await journal.record(.attempt, for: key)
                } else if !begun {
                    try await begin(key)
                }
                let id = try await body()
                try await journal.record(
                    .succeed(destination: id), for: key, destinationGallery: destinationGallery,
                    fingerprint: fingerprint?.value)
                ledger.outage.succeeded()
                return id
            } catch {
                let failure = GalleryError.wrapping(error, gallery: title, item: item)
                _ = try? await journal.record(.fail(message: failure.message), for: key)
                if failure.code == .cancelled || Task.isCancelled { return nil }
                ledger.outage.note(failure)
                if failure.isRetryable, attempt < options.retry.maxAttempts {
                    let delay = options.retry.delay(after: attempt, retryAfter: failure.retryAfter)
                    logger.notice(
                        "Retrying \(key.kind.rawValue) after \(delay): \(failure.shortDescription)",
                        metadata: ["gallery": "\(title)", "item": "\(item ?? "")"])
                    try? await Task.sleep(for: delay)
                    continue
                }
                logger.error("\(key.kind.rawValue) failed: \(failure)", metadata: ["gallery": "\(title)"])
                ledger.fail(key, title: title, item: item, error: failure)
                ledger.outage.gaveUp(failure)
                return nil
            }
        }
    }
}

/// Where an upload leaves what it read of the source item, for the journal to record with the step's end.
final class FingerprintSlot {
    var value: SourceFingerprint?
}
