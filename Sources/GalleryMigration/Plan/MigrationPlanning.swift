public import GalleryCore
public import Logging

/// Reads both sides and plans: the one place planning touches I/O.
///
/// Planning itself is the pure ``Planner``; this reads the snapshots and, when a name+size match is ambiguous
/// (several candidates, no digests), hashes the candidates by streaming them and plans again.
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
        logger: Logger
    ) async throws -> Result {
        async let sourceSnapshot = BackendSnapshot.read(from: source)
        async let destinationSnapshot = BackendSnapshot.read(from: destination)
        var sourceSide = try await sourceSnapshot
        var destinationSide = try await destinationSnapshot
        var plan = Planner(source: sourceSide, destination: destinationSide, mappings: mappings).plan()
        guard !plan.ambiguities.isEmpty else {
            return Result(plan: plan, source: sourceSide, destination: destinationSide)
        }
        logger.info("Confirming \(plan.ambiguities.count) name+size matches by digest")
        for ambiguity in plan.ambiguities {
            try Task.checkCancellation()
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
        plan = Planner(source: sourceSide, destination: destinationSide, mappings: mappings).plan()
        return Result(plan: plan, source: sourceSide, destination: destinationSide)
    }
}
