import Foundation
import GalleryConformance
import GalleryCore
import GalleryHTTP
import GalleryMigration
import GallerySandbox
import InMemoryBackend
import KankaBackend
import Logging
import Testing

/// A whole copy into Kanka over a bad network and under its rate window: one run, verified, no duplicate image.
@Suite struct KankaFaultyNetworkCopyTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let window: Duration = .milliseconds(500)

    // Bounded generously: the whole suite runs beside it on two cores (a scaffolded package builds meanwhile).
    @Test(.timeLimit(.minutes(6)))
    func twoHundredItemsCopyInOneRunUnderFaultsWithoutDuplicates() async throws {
        let source = InMemoryBackend(name: "source", pageSize: 50)
        let sourceGallery = try await source.createGallery(GallerySpec(title: "Maps of the coast"))
        for index in 0..<200 {
            let size = Int64(800 + (index * 37) % 2_000)
            let spec = SyntheticImage.spec(
                "map-\(index).jpg", byteCount: size,
                metadata: ItemMetadata(caption: index % 3 == 0 ? "Caption \(index)" : nil))
            _ = try await source.addItem(
                to: sourceGallery, spec: spec, bytes: SyntheticImage.stream(byteCount: size, seed: UInt64(index)))
        }
        var options = KankaEmulator.Options()
        options.rateLimit = 60
        options.rateWindow = Self.window
        try await withKanka(options) { kanka in
            // Kanka's API cannot create folders: the folder exists, as the user would make it in the web UI.
            let folder = GalleryID(try await kanka.emulator.createFolder(name: "Maps of the coast"))
            let backend = kanka.backend(window: Self.window)
            let faults = FaultPlan.badNetwork(every: 11, seed: 7)
            kanka.endpoint.faults.set(faults)
            let journal = try Journal(
                path: NSTemporaryDirectory() + "gh-kanka-faulty-\(UUID().uuidString).sqlite", source: "memory",
                destination: "kanka")
            // The CLI's defaults (`--retries 4`, `--low-level-retries 3`) without the engine's waits; one item
            // at a time keeps which request each seeded fault hits the same in every run.
            var migration = MigrationOptions(
                transfers: 1, acceptLosses: true,
                retry: GalleryMigration.RetryPolicy(maxAttempts: 4, initialDelay: .zero, maxDelay: .zero))
            migration.uploadsInFlight = 1
            let (_, result) = try await Migration.copy(
                source: source, destination: backend, journal: journal, options: migration, logger: Self.logger)
            let injected = kanka.endpoint.faults.injectedCounts
            kanka.endpoint.faults.set(FaultPlan())

            #expect(result.summary.failures == 0, "\(result.failures.map(\.message))")
            #expect(result.summary.itemsUploaded == 200)
            #expect(injected["rateLimited"] == 3 && injected["cutBody"] == 5 && injected["malformedJSON"] == 5)
            #expect((injected["serverError"] ?? 0) > 10, "\(injected)")
            let report = try await Verifier(source: source, destination: backend, logger: Self.logger)
                .verify(mappings: journal.mappings())
            #expect(report.isSuccess, "\(report.mismatches)")
            // Every image of the campaign once: none uploaded twice, nothing outside the folder.
            let names = try await backend.gallery(folder).items.map(\.filename)
            #expect(names.count == 200)
            #expect(Set(names).count == 200)
            #expect(try await backend.gallery(KankaBackend.rootGallery).items.isEmpty)
        }
    }
}
