import Foundation
import GalleryConformance
import GalleryCore
import GalleryHTTP
import GallerySandbox
import KankaBackend
import Logging
import Testing

/// The adapter against the emulator: mapping, units, bytes, refusals and errors.
@Suite struct KankaBackendTests {
    @Test func galleriesAreFoldersWithTheRootImplicitAndSizesInKiB() async throws {
        var options = KankaEmulator.Options()
        options.seed = .demo
        try await withKanka(options) { kanka in
            let backend = kanka.backend()
            let galleries = try await backend.allGalleries()
            #expect(galleries.first?.id == KankaBackend.rootGallery)
            let maps = try #require(galleries.first { $0.title == "Maps" })
            #expect(galleries.first { $0.title == "Coast" }?.parent == maps.id)
            #expect(galleries.count == 4)
            let mapsGallery = try await backend.gallery(maps.id)
            #expect(mapsGallery.items.map(\.filename) == ["old-map-of-the-bay.png"])
            // 9,000 bytes are 9 KiB rounded up on Kanka, reported back in bytes at KiB granularity.
            #expect(mapsGallery.items.first?.byteCount == Int64(9 * 1024))
            #expect(mapsGallery.items.first?.mimeType == "image/png")
            let root = try await backend.gallery(KankaBackend.rootGallery)
            #expect(Set(root.items.map(\.filename)) == ["harbour-at-dusk.png", "lighthouse.png"])
            #expect(root.items.first { $0.filename == "lighthouse.png" }?.byteCount == Int64(1024))
        }
    }

    @Test func bytesComeFromTheOriginalNotTheThumbnail() async throws {
        try await withKanka { kanka in
            let backend = kanka.backend()
            let spec = SyntheticImage.spec("quay.jpeg", byteCount: 7_777)
            let item = try await backend.addItem(
                to: KankaBackend.rootGallery, spec: spec,
                bytes: SyntheticImage.stream(byteCount: 7_777, seed: 5))
            #expect(item.filename == "quay.jpg")
            let read = try await SHA256Digester.digest(
                of: backend.openItem(ItemRef(gallery: KankaBackend.rootGallery, item: item.id)))
            #expect(read.byteCount == 7_777)
            #expect(read.sha256 == (try await SyntheticImage.sha256(byteCount: 7_777, seed: 5)))
            #expect(item.sha256 == read.sha256)
        }
    }

    @Test func creatingAGalleryIsRefusedWithTheWebUIAsTheWay() async throws {
        try await withKanka { kanka in
            do {
                _ = try await kanka.backend().createGallery(GallerySpec(title: "Battle maps"))
                Issue.record("createGallery succeeded")
            } catch let error as GalleryError {
                #expect(error.code == .unsupported && error.capability == .createGalleries)
                #expect(error.hint?.contains("web UI") == true && error.hint?.contains("Battle maps") == true)
            }
        }
    }

    @Test func aFileSkippedOverTheQuotaIsAQuotaError() async throws {
        var options = KankaEmulator.Options()
        options.storageKiB = 3
        try await withKanka(options) { kanka in
            do {
                _ = try await kanka.backend().addItem(
                    to: KankaBackend.rootGallery,
                    spec: SyntheticImage.spec("big.jpg", byteCount: 3_900),
                    bytes: SyntheticImage.stream(byteCount: 3_900, seed: 1))
                Issue.record("the silently skipped upload was reported as stored")
            } catch let error as GalleryError {
                #expect(error.code == .quotaExceeded)
                #expect(error.item == "big.jpg")
            }
        }
    }

    @Test func errorsNeverCarryTheToken() async throws {
        try await withKanka { kanka in
            var configuration = kanka.configuration()
            configuration.token = "eyJwrong-secret-token-0123456789"
            let backend = KankaBackend.make(configuration, httpClient: kanka.http, logger: .init(label: "test"))
            do {
                _ = try await backend.gallery(KankaBackend.rootGallery)
                Issue.record("a wrong token was accepted")
            } catch let error as GalleryError {
                #expect(error.code == .auth && error.httpStatus == 401)
                let everything = "\(error) \(error.hint ?? "") \(error.serverMessage ?? "")"
                #expect(!everything.contains("wrong-secret-token"))
                #expect(error.serverMessage?.contains("Invalid authentication token") == true)
            }
        }
    }

    @Test func concurrentUploadsShareRequestsWhenTheBudgetIsSpent() async throws {
        var options = KankaEmulator.Options()
        options.rateLimit = 4
        options.rateWindow = .milliseconds(800)
        try await withKanka(options) { kanka in
            let backend = kanka.backend(window: .milliseconds(800))
            let folder = try await kanka.emulator.createFolder(name: "Batch")
            let ids = try await withThrowingTaskGroup(of: ItemID.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        try await backend.addItem(
                            to: GalleryID(folder), spec: SyntheticImage.spec("b\(index).jpg", byteCount: 1_500),
                            bytes: SyntheticImage.stream(byteCount: 1_500, seed: UInt64(index))
                        ).id
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(ids).count == 16)
            let stats = await kanka.emulator.stats()
            #expect(stats.counted < 16, "16 uploads took \(stats.counted) requests")
            #expect(stats.throttled == 0)
            #expect(try await backend.gallery(GalleryID(folder)).items.count == 16)
        }
    }

    @Test func learnsALowerLimitFromTheFirstAnswer() async throws {
        var options = KankaEmulator.Options()
        options.rateLimit = 3
        options.rateWindow = .milliseconds(500)
        try await withKanka(options) { kanka in
            // Configured as a subscriber (90), but the server says 3: no request may bounce.
            let backend = kanka.backend(window: .milliseconds(500), rate: 90)
            for _ in 0..<8 { _ = try await backend.gallery(KankaBackend.rootGallery) }
            let stats = await kanka.emulator.stats()
            #expect(stats.counted == 8 && stats.throttled == 0)
            #expect(await backend.governor.limit == 3)
        }
    }
}
