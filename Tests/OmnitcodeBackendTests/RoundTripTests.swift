import AsyncHTTPClient
import GalleryCore
import GallerySandbox
import OmnitcodeBackend
import Testing

/// The adapter against the emulator over real HTTP: bytes by SHA-256, order, cover, captions, translations.
@Suite struct RoundTripTests {
    @Test func galleryWithItemsCaptionsTranslationsRoundTrips() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let id = try await backend.createGallery(
                GallerySpec(
                    title: "Harbour walk", description: "Evening photos.", visibility: .public,
                    translations: ["sr": Translation(title: "Šetnja lukom", description: "Večernje fotografije.")]))
            let samples = [
                try await SampleItem(
                    "IMG_0412.png", size: 1_500_000, seed: 1, caption: "Lighthouse", altText: "A white lighthouse"),
                try await SampleItem("boats.jpg", size: 70_000, seed: 2, mimeType: "image/jpeg", caption: "Boats"),
                try await SampleItem("pier.webp", size: 3, seed: 3, mimeType: "image/webp"),
            ]
            var added: [Item] = []
            for sample in samples {
                let item = try await backend.addItem(to: id, spec: sample.spec, bytes: sample.stream)
                #expect(item.sha256 == sample.sha256)
                #expect(item.byteCount == sample.spec.byteCount)
                added.append(item)
            }

            let gallery = try await backend.gallery(id)
            #expect(gallery.title == "Harbour walk")
            #expect(gallery.description == "Evening photos.")
            #expect(gallery.visibility == .public)
            #expect(gallery.slug == "harbour-walk")
            #expect(
                gallery.translations["sr"] == Translation(title: "Šetnja lukom", description: "Večernje fotografije."))
            // The primary language (en) is the gallery's own title, not one more translation.
            #expect(gallery.translations["en"] == nil)
            #expect(gallery.items.map(\.id) == added.map(\.id))
            #expect(gallery.items.map(\.filename) == ["IMG_0412.png", "boats.jpg", "pier.webp"])
            #expect(gallery.items.map(\.caption) == ["Lighthouse", "Boats", nil])
            #expect(gallery.items.map(\.altText) == ["A white lighthouse", nil, nil])
            #expect(gallery.items.map(\.mimeType) == ["image/png", "image/jpeg", "image/webp"])
            for (item, sample) in zip(gallery.items, samples) {
                let read = try await SHA256Digester.digest(
                    of: try await backend.openItem(ItemRef(gallery: id, item: item.id)))
                #expect(read.sha256 == sample.sha256)
                #expect(read.byteCount == sample.spec.byteCount)
            }
        }
    }

    @Test func orderCoverAndCaptionUpdates() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let id = try await backend.createGallery(GallerySpec(title: "Order"))
            var ids: [ItemID] = []
            for index in 0..<4 {
                let sample = try await SampleItem("\(index).png", size: 1_000 + index, seed: UInt64(index))
                ids.append(try await backend.addItem(to: id, spec: sample.spec, bytes: sample.stream).id)
            }
            let reversed = Array(ids.reversed())
            try await backend.setOrder(of: id, to: reversed)
            #expect(try await backend.gallery(id).items.map(\.id) == reversed)
            await #expect(throws: GalleryError.self) { try await backend.setOrder(of: id, to: Array(ids.dropFirst())) }

            try await backend.setCover(of: id, to: .item(ids[2]))
            #expect(try await backend.gallery(id).cover == .item(ids[2]))

            let coverSample = try await SampleItem("cover.png", size: 4_321, seed: 99, altText: "Cover alt")
            try await backend.setStandaloneCover(of: id, spec: coverSample.spec, bytes: coverSample.stream)
            let withStandalone = try await backend.gallery(id)
            guard case .standalone(let coverItem) = withStandalone.cover else {
                Issue.record("expected a standalone cover, got \(String(describing: withStandalone.cover))")
                return
            }
            #expect(coverItem.filename == "cover.png")
            #expect(coverItem.altText == "Cover alt")
            #expect(withStandalone.items.count == 4)
            #expect(
                try await SHA256Digester.digest(of: try await backend.openCover(of: id)).sha256 == coverSample.sha256)

            try await backend.setCover(of: id, to: nil)
            #expect(try await backend.gallery(id).cover == nil)

            let ref = ItemRef(gallery: id, item: ids[0])
            try await backend.updateItem(ref, metadata: ItemMetadata(caption: "New caption", altText: "New alt"))
            var item = try await backend.gallery(id).items.first { $0.id == ids[0] }
            #expect(item?.caption == "New caption")
            #expect(item?.altText == "New alt")
            try await backend.updateItem(ref, metadata: ItemMetadata())
            item = try await backend.gallery(id).items.first { $0.id == ids[0] }
            #expect(item?.caption == nil)
            #expect(item?.altText == nil)
        }
    }

    @Test func metadataAndTranslationUpdates() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let id = try await backend.createGallery(
                GallerySpec(title: "Before", translations: ["sr": Translation(title: "Pre")]))
            try await backend.updateGallery(
                id, GalleryChanges(title: "After", description: .some("Now described"), visibility: .public))
            var gallery = try await backend.gallery(id)
            #expect(gallery.title == "After")
            #expect(gallery.description == "Now described")
            #expect(gallery.visibility == .public)
            #expect(gallery.translations["sr"]?.title == "Pre")
            try await backend.updateGallery(
                id, GalleryChanges(translations: ["en": Translation(title: "Only English")]))
            gallery = try await backend.gallery(id)
            // Only the primary language is left: it is the title, and no other translation remains.
            #expect(gallery.translations.isEmpty)
            #expect(gallery.title == "Only English")
        }
    }

    @Test func removeItemDeleteGalleryAndListing() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let keep = try await backend.createGallery(GallerySpec(title: "Keep"))
            let drop = try await backend.createGallery(GallerySpec(title: "Drop"))
            let sample = try await SampleItem("a.png", size: 500, seed: 5)
            let item = try await backend.addItem(to: keep, spec: sample.spec, bytes: sample.stream)
            try await backend.removeItem(ItemRef(gallery: keep, item: item.id))
            #expect(try await backend.gallery(keep).items.isEmpty)

            try await backend.deleteGallery(drop)
            let error = await #expect(throws: GalleryError.self) { try await backend.gallery(drop) }
            #expect(error?.code == .notFound)
            #expect(error?.backend == "sandbox-omnitcode")
            #expect(error?.httpStatus == 404)

            let summaries = try await backend.allGalleries()
            #expect(summaries.map(\.title) == ["Keep"])
            // Same title again: the slug is taken (soft-deleted rows keep theirs), so a suffix is chosen.
            let again = try await backend.createGallery(GallerySpec(title: "Drop"))
            #expect(try await backend.gallery(again).slug == "drop-2")
        }
    }

    @Test func thePageDialectIsDetectedFromTheResponse() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo, listDialect: .page)) { fixture in
            let summaries = try await fixture.backend.allGalleries()
            #expect(Set(summaries.map(\.title)) == ["Harbour walk", "Empty draft"])
            let harbour = try #require(summaries.first { $0.title == "Harbour walk" })
            #expect(harbour.itemCount == 3)
        }
    }
}
