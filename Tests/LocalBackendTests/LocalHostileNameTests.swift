import Foundation
import GalleryConformance
import GalleryCore
import Testing

@testable import LocalBackend

@Suite struct LocalHostileNameTests {
    /// Hostile names are written and read back without escaping the root or overwriting each other.
    @Test func hostileNamesStayInsideAndNeverCollide() async throws {
        let folder = try TemporaryFolder()
        let backend = try LocalBackend(root: folder.path + "/root")
        let gallery = try await backend.createGallery(GallerySpec(title: "../escape"))
        let long = String(repeating: "ä", count: 150) + ".jpg"  // 304 bytes of UTF-8
        let nfc = "caf\u{E9}.jpg"
        let nfd = "cafe\u{301}.jpg"
        let names = [
            "../x.jpg", long, nfc, nfd, "A.jpg", "a.jpg", "gallery.json", "nul\u{0}and\u{7}bell.jpg", "/abs.jpg",
        ]

        var stored: [Item] = []
        for (index, name) in names.enumerated() {
            let spec = ItemSpec(filename: name, mimeType: "image/jpeg", byteCount: 100)
            stored.append(
                try await backend.addItem(
                    to: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 100, seed: UInt64(index))))
        }
        try await backend.flush()

        // Every item kept, each under its own name, each with its own bytes.
        let read = try await backend.gallery(gallery)
        #expect(read.items.count == names.count)
        #expect(Set(read.items.map { SafeName.collisionKey($0.filename) }).count == names.count)
        for (index, item) in stored.enumerated() {
            let digest = try await SHA256Digester.digest(of: backend.openItem(ItemRef(gallery: gallery, item: item.id)))
                .sha256
            #expect(digest == (try await SyntheticImage.sha256(byteCount: 100, seed: UInt64(index))), "\(names[index])")
            #expect(item.filename.utf8.count <= 255)
            #expect(!item.filename.contains("/") && !item.filename.hasPrefix("."))
            #expect(item.filename.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F })
        }
        #expect(stored[1].filename.hasSuffix(".jpg"))

        // Nothing was written outside the root.
        let outside = try folder.contents().filter { !$0.hasPrefix("root") }
        #expect(outside.isEmpty, "\(outside)")
    }

    @Test func safeNamesAreNFCAndBounded() {
        #expect(SafeName.make("cafe\u{301}.jpg") == "caf\u{E9}.jpg")
        #expect(SafeName.make("..") == "_.")
        #expect(SafeName.make("a/b\\c.jpg") == "a_b_c.jpg")
        #expect(SafeName.make("") == "unnamed")
        let long = SafeName.make(String(repeating: "x", count: 400) + ".webp")
        #expect(long.utf8.count == 255 && long.hasSuffix(".webp"))
        #expect(SafeName.unique("A.jpg", taken: ["a.jpg"]) == "A (2).jpg")
        #expect(SafeName.unique("gallery.json", taken: []) == "gallery (2).json")
    }

    @Test func manifestRoundTripKeepsOrderCoverCaptionsAndTranslations() async throws {
        let folder = try TemporaryFolder()
        let backend = try LocalBackend(root: folder.path)
        let gallery = try await backend.createGallery(
            GallerySpec(
                title: "Harbour", description: "Evening", slug: "harbour", visibility: .unlisted,
                translations: ["de": Translation(title: "Hafen")], extra: ["omnitcode.status": .string("draft")]))
        var ids: [ItemID] = []
        for index in 0..<3 {
            let spec = ItemSpec(
                filename: "p\(index).jpg", mimeType: "image/jpeg", byteCount: 50,
                metadata: ItemMetadata(caption: "c\(index)", altText: "alt\(index)"))
            ids.append(
                try await backend.addItem(
                    to: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 50, seed: UInt64(index))
                ).id)
        }
        try await backend.setOrder(of: gallery, to: ids.reversed())
        try await backend.setCover(of: gallery, to: .item(ids[1]))

        // A fresh backend on the same folder reads it all back from gallery.json.
        let read = try await LocalBackend(root: folder.path).gallery(gallery)
        #expect(read.items.map(\.id) == ids.reversed())
        #expect(read.items.map(\.caption) == ["c2", "c1", "c0"])
        #expect(read.items.allSatisfy { $0.sha256 != nil })
        #expect(read.cover == .item(ids[1]))
        #expect(read.translations["de"]?.title == "Hafen")
        #expect(read.visibility == .unlisted && read.slug == "harbour" && read.description == "Evening")
        #expect(read.extra["omnitcode.status"] == .string("draft"))
    }

    @Test func aRemovedNameCanBeUsedAgain() async throws {
        let folder = try TemporaryFolder()
        let backend = try LocalBackend(root: folder.path)
        let gallery = try await backend.createGallery(GallerySpec(title: "g"))
        let spec = ItemSpec(filename: "a.jpg", mimeType: "image/jpeg", byteCount: 20)
        let first = try await backend.addItem(
            to: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 20, seed: 1))
        try await backend.removeItem(ItemRef(gallery: gallery, item: first.id))
        let again = try await backend.addItem(
            to: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 20, seed: 2))
        #expect(again.filename == "a.jpg")
    }

    @Test func aHandEditedManifestCannotPointOutsideTheFolder() async throws {
        let folder = try TemporaryFolder()
        try folder.write("secret.jpg")
        try folder.write("root/g/a.jpg")
        let manifest = """
            {"schemaVersion": 1, "title": "g", "items": [],
             "cover": {"standalone": {"file": "../../secret.jpg", "bytes": 1, "mimeType": "image/jpeg"}}}
            """
        try folder.write("root/g/gallery.json", bytes: Array(manifest.utf8))
        let backend = try LocalBackend(root: folder.path + "/root")
        #expect(try await backend.gallery("g").cover == nil)
        await #expect(throws: GalleryError.self) { _ = try await backend.openCover(of: "g") }
    }
}
