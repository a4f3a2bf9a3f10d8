import Foundation
import GalleryCore
import GalleryHTTP
import GalleryMigration
import GallerySandbox
import InMemoryBackend
import Logging
import Testing

@testable import OmnitcodeBackend

/// A whole copy over a bad network: the engine, the lifecycle and the adapter together, against the emulator
/// over real HTTP. One run must finish, verify, and leave exactly one media row per item.
@Suite struct FaultyNetworkCopyTests {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Two galleries of `perGallery` small PNG items with captions and alt text.
    static func source(perGallery: Int) async throws -> InMemoryBackend {
        let source = InMemoryBackend(name: "source", pageSize: 50)
        for g in 0..<2 {
            let id = try await source.createGallery(GallerySpec(title: "Trip \(g)", description: "Day \(g)"))
            for i in 0..<perGallery {
                let bytes = try await ByteStream.pattern(count: Int64(300 + i * 7), seed: UInt64(g * 1000 + i + 1))
                    .collect(upTo: 1 << 20)
                let spec = ItemSpec(
                    filename: "photo-\(g)-\(i).png", mimeType: "image/png", byteCount: Int64(bytes.count),
                    metadata: ItemMetadata(caption: "Caption \(i)", altText: i % 2 == 0 ? "Alt \(i)" : nil))
                _ = try await source.addItem(to: id, spec: spec, bytes: .bytes(bytes))
            }
        }
        return source
    }

    /// The CLI's defaults (`--retries 4`, `--low-level-retries 3`), without the waits. One transfer at a time
    /// keeps the order of requests, and so which request the seeded faults hit, the same in every run.
    static let options = MigrationOptions(
        transfers: 1, acceptLosses: true,
        retry: GalleryMigration.RetryPolicy(maxAttempts: 4, initialDelay: .zero, maxDelay: .zero))

    /// Logging in twice is harmless: a login whose answer is cut, then malformed, is sent again.
    @Test func aCutThenMalformedLoginIsSentAgain() async throws {
        try await withOmnitcodeBackend(retry: GalleryHTTP.RetryPolicy(maxAttempts: 3)) { fixture in
            var faults = FaultPlan()
            faults.cutBodyNext = 1
            faults.malformedJSONNext = 1
            fixture.endpoint.faults.set(faults)
            let galleries = try await fixture.backend.allGalleries()
            #expect(galleries.isEmpty)
            #expect(fixture.endpoint.faults.injectedCounts == ["cutBody": 1, "malformedJSON": 1])
        }
    }

    @Test func twoHundredItemsCopyInOneRunUnderFaultsWithoutOrphans() async throws {
        // The counted faults are spread, one every 37 requests from the first (the login) on.
        try await copiesTwoHundredItemsInOneRun(under: FaultPlan.badNetwork(every: 37, seed: 42))
    }

    /// `sandbox --fault omnitcode:error-rate=0.1,rate-limit=3,cut=5,malformed=5,latency=20`: the counted faults
    /// hit the first 13 requests in a row, so the login meets 3 429s, 5 cut and 5 malformed answers.
    @Test func twoHundredItemsCopyInOneRunWhenTheFaultsHitTheLogin() async throws {
        try await copiesTwoHundredItemsInOneRun(
            under: try FaultPlan(parsing: "error-rate=0.1,rate-limit=3,cut=5,malformed=5,latency=20"))
    }

    /// A server that answers every upload with a 5xx stops the run after a few items instead of spending every
    /// item's retries; the next run, against a healthy server, copies what is left, each item once.
    @Test func aServerFailingEveryUploadStopsTheRunAndTheNextRunResumes() async throws {
        let source = try await Self.source(perGallery: 25)
        try await withOmnitcodeBackend(retry: GalleryHTTP.RetryPolicy(maxAttempts: 3)) { fixture in
            var faults = FaultPlan()
            faults.serverErrorRate = 1
            faults.pathPrefix = "/api/v1/media/upload"
            fixture.endpoint.faults.set(faults)
            let journal = try Journal(
                path: NSTemporaryDirectory() + "gh-failing-\(UUID().uuidString).sqlite", source: "memory",
                destination: "omnitcode")
            let (_, first) = try await Migration.copy(
                source: source, destination: fixture.backend, journal: journal, options: Self.options,
                logger: Self.logger)
            let uploadsTried = fixture.endpoint.faults.injectedCounts["serverError"] ?? 0
            fixture.endpoint.faults.set(FaultPlan())

            #expect(first.summary.itemsUploaded == 0)
            // Five items gave up, four attempts each; the other 45 were never started.
            #expect(uploadsTried == 5 * 4, "\(uploadsTried)")
            let left = first.failures.first { $0.message.contains("Stopped with") }
            #expect(left?.message.contains("45 items left") == true, "\(first.failures.map(\.message))")
            #expect(left?.message.contains("server errors (HTTP 5") == true)

            let (_, second) = try await Migration.copy(
                source: source, destination: fixture.backend, journal: journal, options: Self.options,
                logger: Self.logger)
            #expect(second.summary.failures == 0, "\(second.failures.map(\.message))")
            #expect(second.summary.itemsUploaded == 50)
            #expect(try await fixture.backend.mediaLibrary().count == 50)
        }
    }

    /// A changed source item replaces its copy; when the upload's answer is cut, the next attempt finds the media
    /// that upload stored instead of uploading again, and the old media is removed: one media row per item.
    @Test func aReplacementWhoseUploadAnswerIsCutLeavesNoOrphan() async throws {
        let source = try await Self.source(perGallery: 3)
        try await withOmnitcodeBackend(retry: GalleryHTTP.RetryPolicy(maxAttempts: 3)) { fixture in
            let journal = try Journal(
                path: NSTemporaryDirectory() + "gh-replace-\(UUID().uuidString).sqlite", source: "memory",
                destination: "omnitcode")
            let (_, first) = try await Migration.copy(
                source: source, destination: fixture.backend, journal: journal, options: Self.options,
                logger: Self.logger)
            #expect(first.summary.itemsUploaded == 6)

            let gallery = try #require(try await source.allGalleries().first)
            let changed = try #require(try await source.gallery(gallery.id).items.first)
            let bytes = try await ByteStream.pattern(count: 4321, seed: 999).collect(upTo: 1 << 20)
            let spec = ItemSpec(
                filename: changed.filename, mimeType: changed.mimeType, byteCount: Int64(bytes.count),
                metadata: changed.metadata)
            _ = try await source.replaceItem(
                ItemRef(gallery: gallery.id, item: changed.id), spec: spec, bytes: .bytes(bytes))

            var faults = FaultPlan()
            faults.cutBodyNext = 1
            faults.pathPrefix = "/api/v1/media/upload"
            fixture.endpoint.faults.set(faults)
            let (_, second) = try await Migration.copy(
                source: source, destination: fixture.backend, journal: journal, options: Self.options,
                logger: Self.logger)
            #expect(fixture.endpoint.faults.injectedCounts["cutBody"] == 1)
            fixture.endpoint.faults.set(FaultPlan())

            #expect(second.summary.failures == 0, "\(second.failures.map(\.message))")
            #expect(second.summary.itemsUpdated == 1)
            let report = try await Verifier(source: source, destination: fixture.backend, logger: Self.logger)
                .verify(mappings: journal.mappings())
            #expect(report.isSuccess, "\(report.mismatches)")
            // Omnitcode keeps unlinked media in its library (Docs/omnitcode.md): the replaced version is the one
            // row beyond the items; a second upload of the new bytes would make it two.
            #expect(try await fixture.backend.mediaLibrary().count == 6 + 1)
        }
    }

    func copiesTwoHundredItemsInOneRun(under faults: FaultPlan) async throws {
        let source = try await Self.source(perGallery: 100)
        try await withOmnitcodeBackend(retry: GalleryHTTP.RetryPolicy(maxAttempts: 3)) {
            fixture in
            fixture.endpoint.faults.set(faults)
            let journal = try Journal(
                path: NSTemporaryDirectory() + "gh-faulty-\(UUID().uuidString).sqlite", source: "memory",
                destination: "omnitcode")
            let (_, result) = try await Migration.copy(
                source: source, destination: fixture.backend, journal: journal, options: Self.options,
                logger: Self.logger)
            let injected = fixture.endpoint.faults.injectedCounts
            fixture.endpoint.faults.set(FaultPlan())

            #expect(result.summary.failures == 0, "\(result.failures.map(\.message))")
            #expect(result.summary.itemsUploaded == 200)
            #expect(injected["rateLimited"] == 3 && injected["cutBody"] == 5 && injected["malformedJSON"] == 5)
            #expect((injected["serverError"] ?? 0) > 20, "\(injected)")
            let report = try await Verifier(source: source, destination: fixture.backend, logger: Self.logger)
                .verify(mappings: journal.mappings())
            #expect(report.isSuccess, "\(report.mismatches)")
            // Every upload is linked to exactly one item: no orphan in the media library.
            let mediaRows = try await fixture.backend.mediaLibrary().count
            #expect(mediaRows == 200)
        }
    }
}
