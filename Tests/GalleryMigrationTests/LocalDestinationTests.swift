import Foundation
import GalleryCore
import GalleryMigration
import InMemoryBackend
import LocalBackend
import Testing

/// The engine against the real Local backend as destination, read back by a second process's view of the folder.
@Suite struct LocalDestinationTests {
    /// Local batches manifest writes; the run's flushes put the captions on disk.
    @Test func captionsAreOnDiskWhenTheRunEnds() async throws {
        let source = InMemoryBackend(name: "source")
        let gallery = try await source.createGallery(GallerySpec(title: "Harbour"))
        for index in 0..<3 {
            let data = Fixtures.bytes(count: 300, seed: UInt64(index + 1))
            let spec = ItemSpec(
                filename: "p\(index).jpg", mimeType: "image/jpeg", byteCount: 300,
                metadata: ItemMetadata(caption: "Caption \(index)"))
            _ = try await source.addItem(to: gallery, spec: spec, bytes: .bytes(data))
        }
        let folder = Fixtures.temporaryPath("dst")
        let destination = try LocalBackend(root: folder)
        let (plan, result) = try await Migration.copy(
            source: source, destination: destination, journal: try Fixtures.journal(),
            options: MigrationOptions(transfers: 1), logger: Fixtures.logger)
        #expect(result.summary.itemsUploaded == 3)
        #expect(result.summary.ordersSet == plan.counts.ordersToSet && result.summary.coversSet == 0)

        // A fresh instance reads only what is on disk.
        let reread = try LocalBackend(root: folder)
        let copied = try #require(try await reread.allGalleries().first)
        #expect(try await reread.gallery(copied.id).items.map(\.caption) == ["Caption 0", "Caption 1", "Caption 2"])
    }
}
