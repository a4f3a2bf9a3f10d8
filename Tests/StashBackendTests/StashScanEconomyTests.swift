import Foundation
import GalleryConformance
import GalleryCore
import GalleryMigration
import GallerySandbox
import InMemoryBackend
import Logging
import StashBackend
import Testing

/// What a migration into Stash costs in library scans (Docs/stash.md, "Requests"): the engine, with its default
/// options (several transfers at once, so items reach the backend out of order), copies several galleries and
/// the emulator runs exactly one `metadataScan` per gallery batch: files are named in their final order before
/// the first flush, so setting the order renames nothing and needs no rescan.
@Suite struct StashScanEconomyTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let galleries = 6
    static let perGallery = 40

    // Two seconds alone; the bound is generous because the whole test run shares two cores and CLI tests that wait
    // on child processes hold the concurrency pool's threads meanwhile.
    @Test(.timeLimit(.minutes(10)))
    func oneScanPerGalleryThroughTheEngineWithDefaultTransfers() async throws {
        let source = InMemoryBackend(name: "source", pageSize: 100)
        for gallery in 0..<Self.galleries {
            let id = try await source.createGallery(GallerySpec(title: "Gallery \(gallery)"))
            for index in 0..<Self.perGallery {
                let number = gallery * Self.perGallery + index
                let size = Int64(2_000 + number)
                _ = try await source.addItem(
                    to: id, spec: SyntheticImage.spec("image-\(number).jpg", byteCount: size),
                    bytes: SyntheticImage.stream(byteCount: size, seed: UInt64(number)))
            }
        }
        try await withStash { stash in
            let backend = stash.writer()
            let journal = try Journal(
                path: NSTemporaryDirectory() + "gh-stash-scans-\(UUID().uuidString).sqlite", source: "memory",
                destination: "stash")
            let options = MigrationOptions(acceptLosses: true)
            #expect(options.transfers > 1, "the default runs several transfers at once")
            let (plan, result) = try await Migration.copy(
                source: SlowToOpenEvenItems(source), destination: backend, journal: journal, options: options, logger: Self.logger)
            #expect(result.summary.failures == 0, "\(result.failures.prefix(3).map(\.message))")
            #expect(result.summary.itemsUploaded == Self.galleries * Self.perGallery)
            #expect(plan.counts.ordersToSet == Self.galleries, "the order is set, as for any new gallery")
            await stash.emulator.waitForScans()
            #expect(stash.emulator.scansFinished() == Self.galleries, "one scan per gallery batch")
            #expect(stash.emulator.contents().images == Self.galleries * Self.perGallery)

            let report = try await Verifier(source: source, destination: stash.writer(), logger: Self.logger)
                .verify(mappings: journal.mappings())
            #expect(report.isSuccess, "\(report.mismatches.prefix(3))")
        }
    }
}

/// A source whose even-numbered images take a moment to open, so the engine's transfers reach the destination
/// out of the plan's order (as reading files of different sizes from a disk does), deterministically enough that
/// a destination numbering files in arrival order has to rename and rescan.
final class SlowToOpenEvenItems: GalleryBackend {
    let inner: any GalleryBackend
    init(_ inner: any GalleryBackend) { self.inner = inner }

    var name: String { inner.name }
    var capabilities: Capabilities { inner.capabilities }
    func resolvedCapabilities() async throws -> Capabilities { try await inner.resolvedCapabilities() }
    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> { inner.listGalleries() }
    func gallery(_ id: GalleryID) async throws -> Gallery { try await inner.gallery(id) }
    func openItem(_ ref: ItemRef) async throws -> ByteStream {
        let gallery = try await inner.gallery(ref.gallery)
        if let index = gallery.items.firstIndex(where: { $0.id == ref.item }), index.isMultiple(of: 2) {
            try await Task.sleep(for: .milliseconds(20))
        }
        return try await inner.openItem(ref)
    }
}
