import Foundation
import GalleryConformance
import GalleryCore
import GalleryMigration
import GallerySandbox
import InMemoryBackend
import KankaBackend
import Logging
import Testing

/// What a migration into and out of Kanka costs in requests (Docs/kanka.md, "Requests"): 2,000 images in 20
/// folders copied with the engine's default options under Kanka's 30-per-window rule (a short window) take at
/// most 110 upload requests (the floor is 100: twenty `file[]` parts per request) and meet no 429; planning from
/// the resulting campaign reads each list page once (the floor is 2,000 ÷ 45 + 1 = 46 pages), at most 50 requests.
@Suite struct KankaRequestEconomyTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
    static let window: Duration = .seconds(2)
    static let folders = 20
    static let perFolder = 100

    // Bounded: at the floor it takes about 12 windows; one request per image would take 60.
    @Test(.timeLimit(.minutes(5)))
    func twoThousandImagesInTwentyFoldersCostAboutTheFloor() async throws {
        let source = InMemoryBackend(name: "source", pageSize: 200)
        for folder in 0..<Self.folders {
            let gallery = try await source.createGallery(GallerySpec(title: "Folder \(folder)"))
            for index in 0..<Self.perFolder {
                let number = folder * Self.perFolder + index
                let size = Int64(600 + (number * 37) % 900)
                _ = try await source.addItem(
                    to: gallery, spec: SyntheticImage.spec("image-\(number).jpg", byteCount: size),
                    bytes: SyntheticImage.stream(byteCount: size, seed: UInt64(number)))
            }
        }
        var options = KankaEmulator.Options()
        options.rateWindow = Self.window
        try await withKanka(options) { kanka in
            // Kanka's API cannot create folders: they exist, as the user would make them in the web UI.
            for folder in 0..<Self.folders { _ = try await kanka.emulator.createFolder(name: "Folder \(folder)") }
            let backend = kanka.backend(window: Self.window)
            let journal = try Journal(
                path: NSTemporaryDirectory() + "gh-kanka-economy-\(UUID().uuidString).sqlite", source: "memory",
                destination: "kanka")
            let (_, result) = try await Migration.copy(
                source: source, destination: backend, journal: journal,
                options: MigrationOptions(acceptLosses: true), logger: Self.logger)
            #expect(result.summary.failures == 0, "\(result.failures.prefix(3).map(\.message))")
            #expect(result.summary.itemsUploaded == 2_000)

            let copied = await kanka.emulator.requestKinds()
            let copyStats = await kanka.emulator.stats()
            let metered = try #require(await backend.requestCounts())
            print(
                "kanka 2,000-image copy: \(copied.uploads) upload requests for \(copied.uploadedFiles) files, "
                    + "\(copied.listings) list pages, \(copyStats.counted) requests in all, "
                    + "\(copyStats.throttled) × 429")
            #expect(copied.uploadedFiles == 2_000)
            #expect(copied.uploads < 110, "\(copied.uploads) upload requests for 2,000 files")
            #expect(copyStats.throttled == 0)
            // The adapter's meter counts what the server counted.
            #expect(metered.requests == copyStats.counted + copyStats.throttled)
            #expect(metered.throttled == copyStats.throttled)

            let report = try await Verifier(source: source, destination: backend, logger: Self.logger)
                .verify(mappings: journal.mappings())
            #expect(report.isSuccess, "\(report.mismatches.prefix(3))")
            #expect(report.itemsChecked == 2_000)

            // A plan from the campaign, with a fresh adapter: one pass over the list, for all 20 folders.
            let reader = kanka.backend(window: Self.window)
            let before = await kanka.emulator.stats().counted
            let plan = try await MigrationPlanning.plan(
                source: reader, destination: InMemoryBackend(name: "empty"), mappings: .empty, logger: Self.logger
            ).plan
            let spent = await kanka.emulator.stats().counted - before
            print("kanka plan of 20 folders, 2,000 images: \(spent) requests")
            #expect(plan.counts.itemsToUpload == 2_000)
            #expect(spent <= 50, "planning spent \(spent) requests")
            #expect(await reader.requestCounts()?.requests == spent)
        }
    }
}
