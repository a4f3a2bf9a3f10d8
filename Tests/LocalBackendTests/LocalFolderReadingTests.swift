import Foundation
import GalleryCore
import LocalBackend
import Testing

@Suite struct LocalFolderReadingTests {
    @Test func plainFolderListsItemsInNaturalCaseInsensitiveOrder() async throws {
        let folder = try TemporaryFolder()
        for name in ["img10.jpg", "img2.jpg", "IMG1.jpg", "Img3.PNG", "notes.txt"] {
            try folder.write("trip/\(name)")
        }
        let backend = try LocalBackend(root: folder.path)
        let gallery = try await backend.gallery("trip")
        #expect(gallery.items.map(\.filename) == ["IMG1.jpg", "img2.jpg", "Img3.PNG", "img10.jpg"])
        #expect(gallery.items.map(\.mimeType) == ["image/jpeg", "image/jpeg", "image/png", "image/jpeg"])
        #expect(gallery.cover == nil)
        #expect(gallery.title == "trip")
    }

    /// Two folders whose names differ only in Unicode normalization are one name to every comparison: the
    /// second is listed as ignored with the reason, never mixed into the first.
    @Test func normalizationTwinFoldersAreTwoNotOneAndTheSecondIsIgnoredAloud() async throws {
        let folder = try TemporaryFolder()
        try folder.write("caf\u{E9}/nfc.jpg")
        try folder.write("cafe\u{301}/nfd.jpg")
        let backend = try LocalBackend(root: folder.path)
        let galleries = try await backend.allGalleries()
        #expect(galleries.count == 1)
        let listed = try #require(galleries.first)
        #expect(try await backend.gallery(listed.id).items.count == 1)
        let ignored = try await backend.ignoredEntries()
        #expect(ignored.count == 1, "\(ignored)")
        #expect(ignored.first?.reason.contains("Unicode normalization") == true)
    }

    @Test(arguments: ["cover.jpg", "Folder.PNG", "poster.webp"])
    func plainFolderCoverByName(_ coverName: String) async throws {
        let folder = try TemporaryFolder()
        try folder.write("g/a.jpg")
        try folder.write("g/\(coverName)")
        let gallery = try await LocalBackend(root: folder.path).gallery("g")
        #expect(gallery.cover == .item(ItemID(coverName)))
    }

    @Test func nestedFoldersAreNestedGalleriesAndRootImagesFormTheRootGallery() async throws {
        let folder = try TemporaryFolder()
        try folder.write("loose.jpg")
        try folder.write("trips/paris/a.jpg")
        try folder.write("trips/rome/b.jpg")
        let listed = try await LocalBackend(root: folder.path).allGalleries()
        #expect(listed.map(\.id.rawValue) == [".", "trips", "trips/paris", "trips/rome"])
        #expect(listed.first { $0.id == "trips/paris" }?.parent == "trips")
        #expect(listed.first { $0.id == "trips" }?.parent == nil)
    }

    /// The listing walks the tree lazily; a folder removed after it was seen is skipped, not an error.
    @Test func aFolderRemovedDuringTheListingIsSkipped() async throws {
        let folder = try TemporaryFolder()
        try folder.write("a/x/one.jpg")
        try folder.write("b/two.jpg")
        var seen: [String] = []
        for try await summary in try LocalBackend(root: folder.path).listGalleries() {
            seen.append(summary.id.rawValue)
            if seen.count == 1 { try FileManager.default.removeItem(atPath: folder.path + "/a") }
        }
        #expect(seen == ["a", "b"])
    }

    @Test func malformedManifestIsAClearErrorNotALoss() async throws {
        let folder = try TemporaryFolder()
        try folder.write("g/a.jpg")
        try folder.write("g/gallery.json", bytes: Array("{\"schemaVersion\": 1, \"title\": ".utf8))
        do {
            _ = try await LocalBackend(root: folder.path).gallery("g")
            Issue.record("a malformed manifest was read without error")
        } catch let error as GalleryError {
            #expect(error.code == .corruptResponse)
            #expect(error.hint?.contains("Docs/local-format.md") == true)
        }
        #expect(try folder.contents().contains("g/a.jpg"))
    }

    @Test(arguments: ["../outside", "a/../../x", "/etc", ".hidden", "a//b", ""])
    func hostileGalleryIDsNeverLeaveTheRoot(_ id: String) async throws {
        let folder = try TemporaryFolder()
        try folder.write("a/b/c.jpg")
        let backend = try LocalBackend(root: folder.path + "/a")
        await #expect(throws: GalleryError.self) { _ = try await backend.gallery(GalleryID(id)) }
        await #expect(throws: GalleryError.self) {
            _ = try await backend.openItem(ItemRef(gallery: GalleryID(id), item: "c.jpg"))
        }
    }

    @Test(arguments: ["../c.jpg", "b/c.jpg", ".hidden", "gallery.json"])
    func hostileItemIDsAreRefused(_ item: String) async throws {
        let folder = try TemporaryFolder()
        try folder.write("g/x.jpg")
        try folder.write("c.jpg")
        let backend = try LocalBackend(root: folder.path)
        await #expect(throws: GalleryError.self) {
            _ = try await backend.openItem(ItemRef(gallery: "g", item: ItemID(item)))
        }
    }
}
