import GalleryCore
import GalleryMigration
import InMemoryBackend
import Testing

/// The executor's paths beyond flat galleries of items: nesting, standalone covers, and metadata changes to
/// galleries and items that were copied before.
struct ExecutorStructureTests {
    func copy(_ source: any GalleryBackend, _ destination: any GalleryBackend, journal: Journal) async throws
        -> RunResult
    {
        try await Migration.copy(
            source: source, destination: destination, journal: journal,
            options: MigrationOptions(retry: .immediate), logger: Fixtures.logger
        ).result
    }

    func verify(_ source: any GalleryBackend, _ destination: any GalleryBackend, journal: Journal) async throws
        -> VerificationReport
    {
        try await Verifier(source: source, destination: destination, logger: Fixtures.logger)
            .verify(mappings: journal.mappings())
    }

    /// Trips (with a German title) holds Rome, whose cover is a standalone image that is not one of its items.
    func nestedSourceWithAStandaloneCover() async throws -> (InMemoryBackend, parent: GalleryID, child: GalleryID) {
        let source = InMemoryBackend(name: "source")
        let parent = try await source.createGallery(
            GallerySpec(
                title: "Trips", description: "Every trip", slug: "trips",
                translations: ["de": Translation(title: "Reisen")]))
        let child = try await source.createGallery(GallerySpec(title: "Rome", slug: "rome", parent: parent))
        for index in 0..<3 {
            let data = Fixtures.bytes(count: 500 + index, seed: UInt64(index + 1))
            _ = try await source.addItem(
                to: child,
                spec: ItemSpec(
                    filename: "r\(index).jpg", mimeType: "image/jpeg", byteCount: Int64(data.count),
                    metadata: ItemMetadata(caption: "Rome \(index)")),
                bytes: .bytes(data))
        }
        let cover = Fixtures.bytes(count: 777, seed: 99)
        try await source.setStandaloneCover(
            of: child, spec: ItemSpec(filename: "poster.jpg", mimeType: "image/jpeg", byteCount: 777),
            bytes: .bytes(cover))
        return (source, parent, child)
    }

    @Test func nestingAndAStandaloneCoverAreCopiedAndVerified() async throws {
        let (source, _, _) = try await nestedSourceWithAStandaloneCover()
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()

        let first = try await copy(source, destination, journal: journal)
        #expect(first.summary.galleriesCreated == 2)
        #expect(first.summary.itemsUploaded == 3)
        #expect(first.summary.coversSet == 1)
        #expect(first.failures.isEmpty)

        let galleries = try await destination.allGalleries()
        let trips = try #require(galleries.first { $0.title == "Trips" })
        let rome = try #require(galleries.first { $0.title == "Rome" })
        #expect(rome.parent == trips.id)
        #expect(try await destination.gallery(trips.id).translations["de"]?.title == "Reisen")
        let copiedRome = try await destination.gallery(rome.id)
        guard case .standalone(let image) = copiedRome.cover else {
            Issue.record("expected a standalone cover, got \(String(describing: copiedRome.cover))")
            return
        }
        #expect(image.byteCount == 777)
        #expect(!copiedRome.items.contains { $0.id == image.id })
        let coverDigest = try await SHA256Digester.digest(of: destination.openCover(of: rome.id)).sha256
        #expect(coverDigest == SHA256Digester.hex(of: Fixtures.bytes(count: 777, seed: 99)))

        #expect(try await verify(source, destination, journal: journal).isSuccess)
        let writes = destination.writeCount
        #expect(try await copy(source, destination, journal: journal).summary.writesNothing(unchanged: 3))
        #expect(destination.writeCount == writes)
    }

    @Test func changedGalleryAndItemMetadataAreUpdatedInPlace() async throws {
        let (source, parent, child) = try await nestedSourceWithAStandaloneCover()
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()
        _ = try await copy(source, destination, journal: journal)

        try await source.updateGallery(
            parent, GalleryChanges(title: "Travels", description: .some("Every journey"), visibility: .unlisted))
        let first = try #require(try await source.gallery(child).items.first)
        try await source.updateItem(
            ItemRef(gallery: child, item: first.id), metadata: ItemMetadata(caption: "The Forum", altText: "Ruins"))

        let second = try await copy(source, destination, journal: journal)
        #expect(second.summary.galleriesCreated == 0)
        #expect(second.summary.galleriesUpdated == 1)
        #expect(second.summary.itemsUpdated == 1)
        #expect(second.summary.itemsUploaded == 0)
        #expect(second.failures.isEmpty)

        // Matched by journal although the title changed: updated, not created again.
        let galleries = try await destination.allGalleries()
        #expect(galleries.count == 2)
        let travels = try #require(galleries.first { $0.title == "Travels" })
        let copied = try await destination.gallery(travels.id)
        #expect(copied.description == "Every journey")
        #expect(copied.visibility == .unlisted)
        let rome = try #require(galleries.first { $0.title == "Rome" })
        let updated = try await destination.gallery(rome.id).items.first { $0.filename == first.filename }
        #expect(updated?.metadata == ItemMetadata(caption: "The Forum", altText: "Ruins"))

        #expect(try await verify(source, destination, journal: journal).isSuccess)
        let again = try await copy(source, destination, journal: journal).summary
        #expect(again.writesNothing(unchanged: again.itemsUnchanged) && again.itemsUnchanged > 0)
    }
}

extension RunSummary {
    /// Every write count at zero, and `unchanged` items found in place.
    func writesNothing(unchanged: Int) -> Bool {
        var expected = RunSummary()
        expected.itemsUnchanged = unchanged
        expected.losses = losses
        return self == expected
    }
}
