import AsyncHTTPClient
import Foundation
import GallerySandbox
import NIOHTTP1
import Testing

/// Media upload and the static route (Docs/omnitcode.md).
@Suite struct OmnitcodeMediaTests {
    @Test func uploadStoresUnderAUUIDNameAndServesTheBytesStatically() async throws {
        try await withOmnitcode { admin, anonymous, _ in
            let bytes = pngBytes(5_000)
            let answer = try await admin.upload(bytes, filename: "IMG_0412.PNG", type: "image/png")
            #expect(answer.status == 201)
            let media = answer.object
            #expect(media["original_filename"] as? String == "IMG_0412.PNG")
            #expect(media["mime_type"] as? String == "image/png")
            #expect(media["size"] as? Int == 5_000)
            let filename = try #require(media["filename"] as? String)
            #expect(filename.hasSuffix(".png"))
            #expect(UUID(uuidString: String(filename.dropLast(4))) != nil)
            #expect(media["path"] as? String == "uploads/media/\(filename)")
            #expect(media.keys.contains("alt_text") && media["uploaded_by"] is String)

            // Served without auth, with the stored type.
            let file = try await anonymous.get("/uploads/media/\(filename)")
            #expect(file.status == 200)
            #expect(file.bytes == bytes)
            #expect(file.headers.first(name: "content-type") == "image/png")

            let id = try #require(media["id"] as? String)
            #expect(try await admin.get("/api/v1/media/\(id)").object["size"] as? Int == 5_000)
            let list = try await admin.get("/api/v1/media?skip=0&limit=10")
            #expect(list.array.count == 1)
            let patched = try await admin.send(.PATCH, "/api/v1/media/\(id)", json: ["alt_text": "A lighthouse"])
            #expect(patched.object["alt_text"] as? String == "A lighthouse")
        }
    }

    @Test func typesOutsideTheAllowListAndFilesOver10MiBAre400() async throws {
        try await withOmnitcode { admin, _, _ in
            let text = try await admin.upload(Array("hello".utf8), filename: "notes.txt", type: "text/plain")
            #expect(text.status == 400)
            #expect(text.detail?.contains("File type not allowed") == true)
            let heic = try await admin.upload(pngBytes(100), filename: "IMG.HEIC", type: "image/heic")
            #expect(heic.status == 400)
            let big = try await admin.upload(pngBytes(10 * 1024 * 1024 + 1), filename: "big.png", type: "image/png")
            #expect(big.status == 400)
            #expect(big.detail?.contains("too large") == true)
            let exact = try await admin.upload(pngBytes(10 * 1024 * 1024), filename: "max.png", type: "image/png")
            #expect(exact.status == 201)
        }
    }

    @Test func aMissingFilePartIs422() async throws {
        try await withOmnitcode { admin, _, _ in
            let answer = try await admin.upload(pngBytes(10), filename: "a.png", type: "image/png", field: "image")
            #expect(answer.status == 422)
            #expect(answer.validation.first?["loc"] as? [String] == ["body", "file"])
            #expect(answer.validation.first?["type"] as? String == "missing")
        }
    }
}
