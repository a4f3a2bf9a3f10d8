public import GalleryCore
public import Logging

/// What planning takes besides the two sides and the journal.
public struct PlanningOptions: Sendable, Hashable {
    /// Re-hash every item on both sides instead of trusting listed digests and the journal's record: a changed
    /// or corrupted copy is found and sent again (`--checksum`).
    public var checksum: Bool
    /// The user's answers to gallery ambiguities.
    public var resolutions: GalleryResolutions
    /// Plan the removal of destination-only items of matched galleries.
    public var deleteExtras: Bool
    /// Items hashed at once under ``checksum``.
    public var concurrency: Int
    /// The part of the source planned; the destination is always read whole.
    public var selection: SourceSelection = .everything

    public init(
        checksum: Bool = false, resolutions: GalleryResolutions = .none, deleteExtras: Bool = false,
        concurrency: Int = 4
    ) {
        self.checksum = checksum
        self.resolutions = resolutions
        self.deleteExtras = deleteExtras
        self.concurrency = max(1, concurrency)
    }
}

/// Reads both sides and plans: the one place planning touches I/O.
///
/// Planning itself is the pure ``Planner``; this reads the snapshots (hashing every item first under
/// ``PlanningOptions/checksum``) and, when a name+size match is ambiguous (several candidates, no digests),
/// hashes the candidates by streaming them and plans again.
public enum MigrationPlanning {
    public struct Result: Sendable {
        public var plan: Plan
        public var source: BackendSnapshot
        public var destination: BackendSnapshot
    }

    public static func plan(
        source: any GalleryBackend,
        destination: any GalleryBackend,
        mappings: JournalMappings,
        options: PlanningOptions = PlanningOptions(),
        progress: any ProgressReporter = SilentProgress(),
        logger: Logger
    ) async throws -> Result {
        try await RateLimitWait.$observer.withValue({ progress.waitingForRateLimit($0) }) {
            try await readAndPlan(
                source: source, destination: destination, mappings: mappings, options: options, progress: progress,
                logger: logger)
        }
    }

    /// ``plan(source:destination:mappings:options:progress:logger:)`` inside the binding that shows rate-limit
    /// waits.
    private static func readAndPlan(
        source: any GalleryBackend,
        destination: any GalleryBackend,
        mappings: JournalMappings,
        options: PlanningOptions,
        progress: any ProgressReporter,
        logger: Logger
    ) async throws -> Result {
        async let sourceSnapshot = read(
            source, side: "source", ignored: true, selection: options.selection, progress: progress)
        async let destinationSnapshot = read(destination, side: "destination", ignored: false, progress: progress)
        var sourceSide = try await sourceSnapshot
        var destinationSide = try await destinationSnapshot
        try options.resolutions.check(source: sourceSide, destination: destinationSide)
        if options.checksum {
            logger.info("Hashing every item on both sides (--checksum)")
            try await sourceSide.hashEveryItem(
                of: source, concurrency: options.concurrency, keepKnown: false,
                progress: phaseReporter("hashing source", progress))
            try await destinationSide.hashEveryItem(
                of: destination, concurrency: options.concurrency, keepKnown: false,
                progress: phaseReporter("hashing destination", progress))
        }
        var contentRefusals: [ItemRef: String] = [:]
        func planned() -> Plan {
            Planner(
                source: sourceSide, destination: destinationSide, mappings: mappings,
                resolutions: options.resolutions, deleteExtras: options.deleteExtras,
                contentRefusals: contentRefusals
            ).plan()
        }
        var plan = planned()
        if destinationSide.capabilities.checksContent {
            // What a destination that looks at the bytes would refuse is a loss now, not a failure later.
            contentRefusals = try await refusedContent(
                of: plan, source: source,
                rules: DestinationRules(
                    source: sourceSide.capabilities, destination: destinationSide.capabilities),
                concurrency: options.concurrency, progress: phaseReporter("planning", progress))
            if !contentRefusals.isEmpty { plan = planned() }
        }
        guard !plan.ambiguities.isEmpty else {
            return Result(plan: plan, source: sourceSide, destination: destinationSide)
        }
        logger.info("Confirming \(plan.ambiguities.count) name+size matches by digest")
        let confirming = phaseReporter("confirming name+size matches", progress)
        for (index, ambiguity) in plan.ambiguities.enumerated() {
            try Task.checkCancellation()
            confirming(index, plan.ambiguities.count)
            if sourceSide.item(ambiguity.sourceItem, in: ambiguity.sourceGallery)?.sha256 == nil {
                let ref = ItemRef(gallery: ambiguity.sourceGallery, item: ambiguity.sourceItem)
                let digest = try await SHA256Digester.digest(of: source.openItem(ref)).sha256
                sourceSide.setDigest(digest, gallery: ref.gallery, item: ref.item)
            }
            for candidate in ambiguity.candidates
            where destinationSide.item(candidate, in: ambiguity.destinationGallery)?.sha256 == nil {
                let ref = ItemRef(gallery: ambiguity.destinationGallery, item: candidate)
                let digest = try await SHA256Digester.digest(of: destination.openItem(ref)).sha256
                destinationSide.setDigest(digest, gallery: ref.gallery, item: ref.item)
            }
        }
        confirming(plan.ambiguities.count, plan.ambiguities.count)
        plan = planned()
        return Result(plan: plan, source: sourceSide, destination: destinationSide)
    }

    /// Reads one side whole, showing how far the listing has got as the phase `listing <side>`.
    static func read(
        _ backend: any GalleryBackend, side: String, ignored: Bool, selection: SourceSelection = .everything,
        progress: any ProgressReporter
    ) async throws -> BackendSnapshot {
        let snapshot = try await ListingProgress.$observer.withValue({ progress.phase(.listing(side, $0)) }) {
            try await BackendSnapshot.read(from: backend, ignored: ignored, selection: selection)
        }
        let galleries = snapshot.galleries.count
        let items = snapshot.galleries.reduce(0) { $0 + $1.items.count }
        progress.phase(
            .listing(side, .init(galleries: galleries, totalGalleries: galleries, items: items), isFinished: true))
        return snapshot
    }

    /// Reports `done` of `total` items as the phase `name`, finished when all are done.
    static func phaseReporter(_ name: String, _ progress: any ProgressReporter) -> @Sendable (Int, Int) -> Void {
        { done, total in
            guard total > 0 else { return }
            progress.phase(ProgressPhase(name, done: done, total: total, unit: "items", isFinished: done == total))
        }
    }

    /// Reads the first bytes of every item the plan would upload and returns those the destination would
    /// refuse, with the reason.
    /// - Parameter progress: told the items read so far, of all.
    static func refusedContent(
        of plan: Plan, source: any GalleryBackend, rules: DestinationRules, concurrency: Int,
        progress: (Int, Int) -> Void = { _, _ in }
    ) async throws -> [ItemRef: String] {
        let uploads = plan.galleries.flatMap { gallery in
            gallery.uploads.map { (ItemRef(gallery: gallery.source.id, item: $0.source.id), $0.source.mimeType) }
        }
        var refusals: [ItemRef: String] = [:]
        var read = 0
        progress(0, uploads.count)
        try await withThrowingTaskGroup(of: (ItemRef, String?).self) { group in
            var next = 0
            func addNext() {
                guard next < uploads.count else { return }
                let (ref, mimeType) = uploads[next]
                next += 1
                group.addTask {
                    var iterator = try await source.openItem(ref).makeAsyncIterator()
                    var prefix: [UInt8] = []
                    while prefix.count < 16, let chunk = try await iterator.next() { prefix += chunk.prefix(16) }
                    return (ref, rules.contentRefusal(prefix: Array(prefix.prefix(16)), mimeType: mimeType))
                }
            }
            for _ in 0..<concurrency { addNext() }
            while let (ref, refusal) = try await group.next() {
                if let refusal { refusals[ref] = refusal }
                read += 1
                progress(read, uploads.count)
                addNext()
            }
        }
        return refusals
    }
}
