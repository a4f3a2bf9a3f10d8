import AsyncHTTPClient
import Foundation
import GallerySandbox
import NIOHTTP1
import Testing

/// Gallery routes and their quirks (Docs/omnitcode.md), with a plain client.
@Suite struct OmnitcodeGalleryTests {
    /// Uploads `count` small PNGs and returns their media ids.
    func upload(_ count: Int, with admin: PlainClient) async throws -> [String] {
        var ids: [String] = []
        for index in 0..<count {
            let answer = try await admin.upload(
                pngBytes(200 + index, seed: UInt8(index)), filename: "p\(index).png", type: "image/png")
            ids.append(try #require(answer.object["id"] as? String))
        }
        return ids
    }

    func english(_ admin: PlainClient) async throws -> String {
        let languages = try await admin.get("/api/v1/languages").array
        return try #require(languages.first { $0["code"] as? String == "en" }?["id"] as? String)
    }

    @Test func createListGetAndTheN1Shape() async throws {
        try await withOmnitcode { admin, _, _ in
            let en = try await english(admin)
            let created = try await admin.post(
                "/api/v1/galleries",
                [
                    "slug": "harbour-walk", "status": "published",
                    "translations": [["language_id": en, "title": "Harbour walk", "description": "Evening photos."]],
                ])
            #expect(created.status == 201)
            let gallery = created.object
            let id = try #require(gallery["id"] as? String)
            #expect(gallery["slug"] as? String == "harbour-walk")
            #expect(gallery["gallery_media"] as? [Any] != nil)
            #expect(gallery["cover_image"] is NSNull)
            #expect(gallery["updated_at"] is NSNull)
            // Pydantic v2's form: six fraction digits and Z.
            let createdAt = try #require(gallery["created_at"] as? String)
            #expect(createdAt.wholeMatch(of: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z/) != nil, "\(createdAt)")
            let translation = try #require((gallery["translations"] as? [[String: Any]])?.first)
            #expect(translation["language_id"] as? String == en)
            #expect(translation["title"] as? String == "Harbour walk")
            #expect(translation["gallery_id"] as? String == id)

            // The list is a bare array of summaries: three fields, no title.
            let list = try await admin.get("/api/v1/galleries")
            #expect(list.status == 200)
            #expect(list.array.count == 1)
            #expect(Set(list.array[0].keys) == ["id", "slug", "status"])
            #expect(try await admin.get("/api/v1/galleries?status=draft").array.isEmpty)
            #expect(try await admin.get("/api/v1/galleries?status=bogus").status == 422)
            #expect(try await admin.get("/api/v1/galleries?skip=1").array.isEmpty)

            let fetched = try await admin.get("/api/v1/galleries/\(id)")
            #expect(fetched.status == 200)
            #expect(fetched.object["id"] as? String == id)
        }
    }

    @Test func errorsComeInFastAPIShapes() async throws {
        try await withOmnitcode { admin, _, _ in
            #expect(try await admin.post("/api/v1/galleries", ["slug": "dup"]).status == 201)
            let duplicate = try await admin.post("/api/v1/galleries", ["slug": "dup"])
            #expect(duplicate.status == 409)
            #expect(duplicate.detail == "Gallery slug already exists")

            let short = try await admin.post("/api/v1/galleries", ["slug": "x"])
            #expect(short.status == 422)
            #expect(short.validation.first?["loc"] as? [String] == ["body", "slug"])

            let badCover = try await admin.post(
                "/api/v1/galleries", ["slug": "cover", "cover_image_id": UUID().uuidString.lowercased()])
            #expect(badCover.status == 404)
            #expect(badCover.detail == "Cover image not found")

            let badLanguage = try await admin.post(
                "/api/v1/galleries",
                [
                    "slug": "lang", "translations": [["language_id": UUID().uuidString.lowercased(), "title": "T"]],
                ])
            #expect(badLanguage.status == 404)
            #expect(badLanguage.detail == "Language not found")

            let notUUID = try await admin.get("/api/v1/galleries/not-a-uuid")
            #expect(notUUID.status == 422)
            #expect(notUUID.validation.first?["loc"] as? [String] == ["path", "id"])

            let missing = try await admin.get("/api/v1/galleries/\(UUID().uuidString.lowercased())")
            #expect(missing.status == 404)
            #expect(missing.detail == "Gallery not found")

            let broken = try await admin.send(
                .POST, "/api/v1/galleries", body: Array("{\"slug\":".utf8), contentType: "application/json")
            #expect(broken.status == 422)
            #expect(broken.validation.first?["type"] as? String == "json_invalid")

            let unknownRoute = try await admin.get("/api/v1/nothing-here")
            #expect(unknownRoute.status == 404)
            #expect(unknownRoute.detail == "Not Found")
        }
    }

    @Test func addAppendsReorderIsAllOrNothingAndDuplicatesAre400() async throws {
        try await withOmnitcode { admin, _, _ in
            let media = try await upload(4, with: admin)
            let id = try #require(try await admin.post("/api/v1/galleries", ["slug": "order"]).object["id"] as? String)
            // absent → 0 in an empty gallery; 0 → append; absent → append.
            let first = try await admin.post("/api/v1/galleries/\(id)/media", ["media_id": media[0], "caption": "one"])
            #expect(first.status == 201)
            #expect(((first.object["gallery_media"] as? [[String: Any]])?.first)?["order"] as? Int == 0)
            #expect(
                try await admin.post("/api/v1/galleries/\(id)/media", ["media_id": media[1], "order": 0]).status == 201)
            let third = try await admin.post("/api/v1/galleries/\(id)/media", ["media_id": media[2]])
            let links = try #require(third.object["gallery_media"] as? [[String: Any]])
            #expect(links.map { $0["media_id"] as? String } == [media[0], media[1], media[2]])
            #expect(links.map { $0["order"] as? Int } == [0, 1, 2])
            #expect((links[0]["media"] as? [String: Any])?["mime_type"] as? String == "image/png")

            let duplicate = try await admin.post("/api/v1/galleries/\(id)/media", ["media_id": media[0]])
            #expect(duplicate.status == 400)
            #expect(duplicate.detail == "Media is already in this gallery")

            let partial = try await admin.post(
                "/api/v1/galleries/\(id)/media/reorder", ["media_ids": [media[2], media[0]]])
            #expect(partial.status == 400)
            #expect(partial.detail == "Not all media items included in reorder request")
            let foreign = try await admin.post(
                "/api/v1/galleries/\(id)/media/reorder", ["media_ids": [media[2], media[0], media[3]]])
            #expect(foreign.status == 404)

            let reordered = try await admin.post(
                "/api/v1/galleries/\(id)/media/reorder", ["media_ids": [media[2], media[0], media[1]]])
            #expect(reordered.status == 200)
            let after = try #require(reordered.object["gallery_media"] as? [[String: Any]])
            #expect(after.map { $0["media_id"] as? String } == [media[2], media[0], media[1]])
            #expect(after.map { $0["order"] as? Int } == [0, 1, 2])

            let captioned = try await admin.send(
                .PATCH, "/api/v1/galleries/\(id)/media/\(media[0])", json: ["caption": "renamed"])
            #expect(captioned.status == 200)
            let link = (captioned.object["gallery_media"] as? [[String: Any]])?.first {
                $0["media_id"] as? String == media[0]
            }
            #expect(link?["caption"] as? String == "renamed")
            let tooLong = try await admin.send(
                .PATCH, "/api/v1/galleries/\(id)/media/\(media[0])",
                json: ["caption": String(repeating: "x", count: 501)])
            #expect(tooLong.status == 422)

            let removed = try await admin.send(.DELETE, "/api/v1/galleries/\(id)/media/\(media[1])")
            #expect(removed.status == 200)
            #expect((removed.object["gallery_media"] as? [Any])?.count == 2)
            let again = try await admin.send(.DELETE, "/api/v1/galleries/\(id)/media/\(media[1])")
            #expect(again.status == 404)
            #expect(again.detail == "Media not found in this gallery")
            // The media stays in the library.
            #expect(try await admin.get("/api/v1/media/\(media[1])").status == 200)
        }
    }

    @Test func coverTranslationsAndSoftDelete() async throws {
        try await withOmnitcode { admin, _, _ in
            let media = try await upload(1, with: admin)
            let en = try await english(admin)
            let id = try #require(try await admin.post("/api/v1/galleries", ["slug": "soft"]).object["id"] as? String)
            // A cover need not be a member.
            let covered = try await admin.send(.PATCH, "/api/v1/galleries/\(id)", json: ["cover_image_id": media[0]])
            #expect(covered.status == 200)
            #expect((covered.object["cover_image"] as? [String: Any])?["id"] as? String == media[0])
            #expect(covered.object["updated_at"] is String)
            let cleared = try await admin.send(.PATCH, "/api/v1/galleries/\(id)", json: ["cover_image_id": NSNull()])
            #expect(cleared.object["cover_image_id"] is NSNull)

            let upserted = try await admin.send(
                .PUT, "/api/v1/galleries/\(id)/translations", json: ["language_id": en, "title": "First"])
            #expect(upserted.status == 200)
            let overwritten = try await admin.send(
                .PUT, "/api/v1/galleries/\(id)/translations", json: ["language_id": en, "title": "Second"])
            let translations = try #require(overwritten.object["translations"] as? [[String: Any]])
            #expect(translations.count == 1)
            #expect(translations[0]["title"] as? String == "Second")
            let dropped = try await admin.send(.DELETE, "/api/v1/galleries/\(id)/translations/\(en)")
            #expect((dropped.object["translations"] as? [Any])?.isEmpty == true)
            #expect(
                try await admin.send(.DELETE, "/api/v1/galleries/\(id)/translations/\(en)").detail
                    == "Translation not found")

            let deleted = try await admin.send(.DELETE, "/api/v1/galleries/\(id)")
            #expect(deleted.status == 204)
            #expect(try await admin.get("/api/v1/galleries/\(id)").status == 404)
            #expect(try await admin.get("/api/v1/galleries").array.isEmpty)
            // The slug stays reserved after a soft delete (the emulator's documented choice).
            #expect(try await admin.post("/api/v1/galleries", ["slug": "soft"]).status == 409)
        }
    }

    @Test func thePageDialectWrapsListsInAnEnvelope() async throws {
        try await withOmnitcode(.init(seed: .demo, listDialect: .page)) { admin, _, _ in
            let answer = try await admin.get("/api/v1/galleries?page=1&per_page=1")
            #expect(answer.status == 200)
            let data = try #require(answer.object["data"] as? [[String: Any]])
            let pagination = try #require(answer.object["pagination"] as? [String: Any])
            #expect(data.count == 1)
            #expect(pagination["total"] as? Int == 2)
            #expect(pagination["pages"] as? Int == 2)
            #expect(pagination["has_next"] as? Bool == true)
            #expect(pagination["has_prev"] as? Bool == false)
        }
    }

    @Test func demoSeedHoldsAnOrderedCaptionedGalleryWithCover() async throws {
        try await withOmnitcode(.init(seed: .demo)) { admin, anonymous, _ in
            let summaries = try await admin.get("/api/v1/galleries").array
            let harbour = try #require(summaries.first { $0["slug"] as? String == "harbour-walk" }?["id"] as? String)
            let gallery = try await admin.get("/api/v1/galleries/\(harbour)").object
            let links = try #require(gallery["gallery_media"] as? [[String: Any]])
            #expect(links.count == 3)
            #expect(links.map { $0["order"] as? Int } == [0, 1, 2])
            #expect(gallery["cover_image_id"] as? String == links[1]["media_id"] as? String)
            #expect((gallery["translations"] as? [Any])?.count == 2)
            let path = try #require((links[0]["media"] as? [String: Any])?["path"] as? String)
            let file = try await anonymous.get("/\(path)")
            #expect(file.status == 200)
            #expect(file.bytes.count == (links[0]["media"] as? [String: Any])?["size"] as? Int)
        }
    }
}
