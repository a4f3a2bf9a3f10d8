public import GalleryCore
public import Logging

/// Re-reads the destination and compares it with the source: galleries, items (bytes by SHA-256, streamed),
/// metadata, order and cover, allowing exactly the losses a plan declares.
///
/// It plans afresh and demands a plan with nothing left to do (the planner and the verifier share the rules
/// of what the destination can hold), then streams every matched pair's bytes and compares digests: a
/// name+size match with other content is caught here.
public struct Verifier: Sendable {
    public var source: any GalleryBackend
    public var destination: any GalleryBackend
    /// Items hashed at once.
    public var concurrency: Int
    public var logger: Logger
    /// Shown the listing, planning and hashing phases as they go.
    public var progress: any ProgressReporter

    public init(
        source: any GalleryBackend, destination: any GalleryBackend, concurrency: Int = 4,
        progress: any ProgressReporter = SilentProgress(), logger: Logger
    ) {
        self.source = source
        self.destination = destination
        self.concurrency = max(1, concurrency)
        self.progress = progress
        self.logger = logger
    }

    public func verify(mappings: JournalMappings = .empty, options: PlanningOptions = PlanningOptions())
        async throws -> VerificationReport
    {
        var options = options
        options.deleteExtras = false
        let planned = try await MigrationPlanning.plan(
            source: source, destination: destination, mappings: mappings, options: options, progress: progress,
            logger: logger
        )
        let plan = planned.plan
        var report = VerificationReport(source: source.name, destination: destination.name)
        report.losses = plan.losses.count
        report.ignored = plan.ignored
        report.destinationOnlyGalleries = plan.extraGalleries.map(PlanDocument.GalleryRef.init)
        var pairs: [(gallery: String, source: ItemRef, destination: ItemRef, item: Item)] = []
        let matches = Dictionary(
            plan.galleries.compactMap { gallery in gallery.destinationID.map { (gallery.source.id, $0) } },
            uniquingKeysWith: { first, _ in first })
        let destinationGalleries = Dictionary(
            planned.destination.galleries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let sourceIDs = Set(plan.galleries.map(\.source.id))

        for ambiguity in plan.galleryAmbiguities {
            let candidates = ambiguity.candidates.map { "\($0.id) “\($0.title)”" }.joined(separator: ", ")
            report.mismatches.append(
                .init(
                    kind: .ambiguousGallery, gallery: ambiguity.source.title, galleryId: ambiguity.source.id.rawValue,
                    detail: "\(ambiguity.reason); candidates: \(candidates)"))
        }
        let ambiguous = Set(plan.galleryAmbiguities.map(\.source.id))
        for gallery in plan.galleries {
            let title = gallery.source.title
            let galleryID = gallery.source.id.rawValue
            func mismatch(_ kind: VerificationReport.Mismatch.Kind, item: String? = nil, _ detail: String) {
                report.mismatches.append(
                    .init(kind: kind, gallery: title, galleryId: galleryID, item: item, detail: detail))
            }
            guard let destinationGallery = gallery.destinationID else {
                if !ambiguous.contains(gallery.source.id) { mismatch(.missingGallery, "no matching gallery") }
                continue
            }
            report.galleriesChecked += 1
            if let changes = gallery.changes {
                let fields = PlanDocument.GalleryEntry.fieldNames(changes).joined(separator: ", ")
                mismatch(.galleryMetadata, "differs in \(fields)")
            }
            // Nesting: the copy must sit under the parent's copy, where the destination nests at all (else the
            // plan declares the loss).
            if destination.capabilities.nestedGalleries, let parent = gallery.source.parent, sourceIDs.contains(parent)
            {
                let expected = matches[parent]
                let actual = destinationGalleries[destinationGallery]?.parent
                if expected == nil || actual != expected {
                    mismatch(
                        .nesting,
                        "is under \(actual.map { "gallery \($0)" } ?? "the top level") where the source has it under "
                            + (expected.map { "\($0), the copy of \(parent)" } ?? "\(parent), which has no copy"))
                }
            }
            for item in gallery.items {
                let name = item.source.filename
                switch item.action {
                case .upload:
                    mismatch(.missingItem, item: name, "not at the destination")
                case .update:
                    mismatch(.metadata, item: name, "caption, alt text or title differs")
                case .replace:
                    mismatch(.bytes, item: name, "changed at the source since it was copied")
                case .keep, .skip:
                    break
                }
                if let id = item.destinationID, !item.isReplace {
                    pairs.append(
                        (
                            title, ItemRef(gallery: gallery.source.id, item: item.source.id),
                            ItemRef(gallery: destinationGallery, item: id), item.source
                        ))
                }
            }
            if options.selection.filtersItems {
                report.destinationItemsOutsideSelection =
                    (report.destinationItemsOutsideSelection ?? 0)
                    + gallery.extras.count
            } else {
                for extra in gallery.extras {
                    mismatch(.extraItem, item: extra.filename, "only on the destination (\(extra.id))")
                }
            }
            if gallery.order != nil, !isInSourceOrder(gallery, destination: planned.destination, id: destinationGallery)
            {
                mismatch(.order, "items are not in the source's order")
            }
            if gallery.cover != nil {
                mismatch(.cover, "the cover differs")
            }
        }

        let (byteMismatches, bytesRead) = try await compareBytes(pairs)
        report.itemsChecked = pairs.count
        report.bytesChecked = bytesRead
        report.mismatches.append(contentsOf: byteMismatches)
        return report
    }

    /// Whether the items that are there stand in the source's relative order (a missing item is reported
    /// once, as missing, not again as an order mismatch).
    func isInSourceOrder(_ gallery: GalleryPlan, destination: BackendSnapshot, id: GalleryID) -> Bool {
        guard let target = destination.galleries.first(where: { $0.id == id }) else { return false }
        var position: [ItemID: Int] = [:]
        for (index, item) in target.items.enumerated() { position[item.id] = index }
        let positions = gallery.items.compactMap { $0.destinationID.flatMap { position[$0] } }
        return positions == positions.sorted()
    }

    /// Streams both sides of every pair (a known source SHA-256 saves reading the source) and reports pairs
    /// whose digests differ, with the destination bytes read (exact, where a side lists rounded sizes).
    func compareBytes(
        _ pairs: [(gallery: String, source: ItemRef, destination: ItemRef, item: Item)]
    ) async throws -> ([VerificationReport.Mismatch], Int64) {
        var mismatches: [VerificationReport.Mismatch] = []
        var bytesRead: Int64 = 0
        let hashing = MigrationPlanning.phaseReporter("verifying bytes", progress)
        var compared = 0
        hashing(0, pairs.count)
        try await withThrowingTaskGroup(of: (VerificationReport.Mismatch?, Int64).self) { group in
            var next = 0
            func addNext() {
                guard next < pairs.count else { return }
                let pair = pairs[next]
                next += 1
                group.addTask {
                    try Task.checkCancellation()
                    let theirs = try await SHA256Digester.digest(of: destination.openItem(pair.destination))
                    let mine: String
                    if let known = pair.item.sha256 {
                        mine = known
                    } else {
                        mine = try await SHA256Digester.digest(of: source.openItem(pair.source)).sha256
                    }
                    guard mine != theirs.sha256 else { return (nil, theirs.byteCount) }
                    let mismatch = VerificationReport.Mismatch(
                        kind: .bytes, gallery: pair.gallery, item: pair.item.filename,
                        detail:
                            "SHA-256 \(theirs.sha256.prefix(12))… (\(theirs.byteCount) bytes) where the source has \(mine.prefix(12))…"
                    )
                    return (mismatch, theirs.byteCount)
                }
            }
            for _ in 0..<concurrency { addNext() }
            while let (mismatch, read) = try await group.next() {
                if let mismatch { mismatches.append(mismatch) }
                bytesRead += read
                compared += 1
                hashing(compared, pairs.count)
                addNext()
            }
        }
        return (mismatches, bytesRead)
    }
}
