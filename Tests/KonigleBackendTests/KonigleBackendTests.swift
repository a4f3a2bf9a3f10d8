import AsyncHTTPClient
import Foundation
import GalleryCore
import GallerySandbox
import GalleryTestSupport
import KonigleBackend
import NIOCore
import NIOHTTP1
import Testing

/// The adapter against each alternative the emulator offers where the real service is undocumented, and the
/// platform rules it owns: the token header, the 429 wait in the body, the fields each mode writes.
@Suite struct KonigleBackendTests {
    @Test(arguments: [KonigleEmulator.PositionModel.contiguous, .plain])
    func productOrderAndCoverHoldWhateverThePositionModel(positions: KonigleEmulator.PositionModel) async throws {
        try await withKonigle(.init(positions: positions, productImageField: .uid)) { fixture in
            let backend = try fixture.backend(.products)
            let gallery = try await backend.createGallery(GallerySpec(title: "Bay prints"))
            var added: [ItemID] = []
            for (index, name) in ["a.jpg", "b.jpg", "c.jpg", "d.jpg"].enumerated() {
                let sample = jpegItem(name, seed: UInt8(index + 1), metadata: ItemMetadata(altText: "view \(index)"))
                added.append(try await backend.addItem(to: gallery, spec: sample.spec, bytes: .bytes(sample.bytes)).id)
            }
            #expect(try await backend.gallery(gallery).items.map(\.id) == added)
            let wanted = [added[2], added[0], added[3], added[1]]
            try await backend.setOrder(of: gallery, to: wanted)
            try await backend.setCover(of: gallery, to: .item(added[3]))
            let read = try await backend.gallery(gallery)
            #expect(read.items.map(\.id) == wanted)
            #expect(read.items.map(\.filename) == ["c.jpg", "a.jpg", "d.jpg", "b.jpg"])
            #expect(read.items.map(\.altText) == ["view 2", "view 0", "view 3", "view 1"])
            #expect(read.items.allSatisfy { $0.byteCount == 3_000 })
            #expect(read.cover == .item(added[3]))
            // Deleting the cover's image clears the product's cover.
            try await backend.removeItem(ItemRef(gallery: gallery, item: added[3]))
            #expect(try await backend.gallery(gallery).cover == nil)
        }
    }

    @Test func tagSetsKeepOrderAndCoverInTagsWhenTheServerDropsMeta() async throws {
        try await withKonigle(.init(keepsMeta: false)) { fixture in
            let backend = try fixture.backend(.tags)
            let gallery = try await backend.createGallery(GallerySpec(title: "Harbour walk"))
            #expect(gallery == "harbour-walk")
            var added: [ItemID] = []
            for (index, name) in ["one.jpg", "two.jpg", "three.jpg"].enumerated() {
                let sample = jpegItem(name, seed: UInt8(index + 10))
                added.append(try await backend.addItem(to: gallery, spec: sample.spec, bytes: .bytes(sample.bytes)).id)
            }
            let wanted = [added[1], added[2], added[0]]
            try await backend.setOrder(of: gallery, to: wanted)
            try await backend.setCover(of: gallery, to: .item(added[2]))
            // A fresh backend knows only what the server holds: the tags.
            let read = try await fixture.backend(.tags).gallery(gallery)
            #expect(read.items.map(\.id) == wanted)
            #expect(read.cover == .item(added[2]))
            // Without meta the title is not kept: the slug stands in.
            #expect(read.title == "harbour-walk")
        }
    }

    @Test func tagsModeWritesEachFieldWhereTheMappingSays() async throws {
        try await withKonigle { fixture in
            let backend = try fixture.backend(.tags)
            let gallery = try await backend.createGallery(GallerySpec(title: "Pier, at night"))
            let metadata = ItemMetadata(caption: "The old pier", altText: "A wooden pier", title: "Pier")
            let sample = jpegItem("pier.jpg", metadata: metadata)
            let item = try await backend.addItem(to: gallery, spec: sample.spec, bytes: .bytes(sample.bytes))
            try await backend.setCover(of: gallery, to: .item(item.id))
            let raw = try await rawAsset(fixture, item.id.rawValue)
            #expect(raw["name"] as? String == "Pier")
            #expect(raw["description"] as? String == "The old pier")
            #expect(raw["alt_text"] as? String == "A wooden pier")
            #expect((raw["tags"] as? [String])?.sorted() == ["gallery-cover:pier-at-night", "gallery:pier-at-night"])
            let record = (raw["meta"] as? [String: Any])?["gallery"] as? [String: Any]
            #expect(record?["id"] as? String == "pier-at-night")
            #expect(record?["title"] as? String == "Pier, at night")
            #expect((record?["position"] as? NSNumber)?.intValue == 0)
            #expect(record?["cover"] as? Bool == true)
            let read = try await fixture.backend(.tags).gallery(gallery)
            #expect(read.title == "Pier, at night")
            #expect(read.items.first?.metadata == metadata)
            #expect(read.items.first?.filename == "pier.jpg")
        }
    }

    @Test func aThrottledRequestWaitsWhatTheBodySays() async throws {
        try await withKonigle(.init(retryAfterSeconds: 7)) { fixture in
            var plan = FaultPlan()
            plan.rateLimitNext = 1
            fixture.endpoint.faults.set(plan)
            _ = try await fixture.backend(.products).allGalleries()
            #expect(fixture.endpoint.faults.injectedCounts == ["rateLimited": 1])
            #expect(fixture.clock.sleeps == [.seconds(7)])
        }
    }

    @Test func aWrongKeyIsAnAuthErrorThatDoesNotShowTheKey() async throws {
        try await withKonigle { fixture in
            let key = "0123456789abcdef0123456789abcdef01234567"
            let error = await #expect(throws: GalleryError.self) {
                _ = try await fixture.backend(.tags, apiKey: key).allGalleries()
            }
            #expect(error?.code == .auth)
            #expect(error?.httpStatus == 401)
            #expect(error?.serverMessage == "Invalid token.")
            #expect(!"\(String(describing: error))".contains(key))
        }
    }

    @Test func undeclaredFieldsAreRefusedPerMode() async throws {
        try await withKonigle { fixture in
            let products = try fixture.backend(.products)
            let gallery = try await products.createGallery(GallerySpec(title: "P"))
            let captioned = jpegItem("c.jpg", metadata: ItemMetadata(caption: "no place for it"))
            let error = await #expect(throws: GalleryError.self) {
                _ = try await products.addItem(to: gallery, spec: captioned.spec, bytes: .bytes(captioned.bytes))
            }
            #expect(error?.capability == .captions)
            #expect(try await products.gallery(gallery).items.isEmpty)
            #expect(products.capabilities.emptyGalleries)
            #expect(try fixture.backend(.tags).capabilities.emptyGalleries == false)
        }
    }

    /// An asset as the emulator holds it, read with a plain client (not the adapter's decoder).
    private func rawAsset(_ fixture: KonigleFixture, _ id: String) async throws -> [String: Any] {
        var request = HTTPClientRequest(url: "\(fixture.endpoint.baseURL)/admin/api/storefront-assets/\(id)")
        request.headers.add(name: "Authorization", value: "Token \(fixture.emulator.options.apiKey)")
        let response = try await fixture.http.execute(request, timeout: .seconds(120))
        let body = try await response.body.collect(upTo: 1 << 20)
        return try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any] ?? [:]
    }
}
