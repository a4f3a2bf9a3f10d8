import Foundation
import GallerySandbox
import GalleryTestSupport
import NIOHTTP1
import Testing

/// The emulator against Docs/kanka.md, through a plain HTTP client.
@Suite struct KankaEmulatorTests {
    @Test func uploadAnswers200WithAnArrayAndTheServersNamesSizesAndTypes() async throws {
        try await withKankaEmulator { client, _ in
            let long = String(repeating: "x", count: 60) + ".png"
            let answer = try await client.upload([
                ("harbour.at.dusk.final.jpeg", kankaJPEG(3_170)),
                ("mislabelled.jpg", kankaPNG(70)),
                (long, kankaPNG(1_024)),
            ])
            #expect(answer.status == 200)
            let rows = answer.rows
            try #require(rows.count == 3)
            #expect(rows[0]["name"] as? String == "harbour.at.dusk.final")
            #expect(rows[0]["ext"] as? String == "jpg")
            #expect(rows[0]["size"] as? Int == 4)
            #expect(rows[1]["ext"] as? String == "png")
            #expect(rows[1]["size"] as? Int == 1)
            #expect((rows[2]["name"] as? String)?.count == 45)
            #expect(rows[2]["size"] as? Int == 1)
            let id = try #require(rows[0]["id"] as? String)
            #expect(id == id.lowercased() && id.count == 36 && Array(id)[14] == "7")
            #expect((rows[0]["created_at"] as? String)?.hasSuffix(".000000Z") == true)
            #expect(rows[0]["version"] as? Int == 1)
            #expect(rows[0]["folder_id"] is NSNull)
            // Key order and PHP escaping as the real server writes them.
            #expect(answer.text.contains(#"{"id":""#))
            #expect(answer.text.contains(#"\/300x300\/smart\/src\/campaigns\/4821\/"#))
            let keys = [
                "\"id\"", "\"name\"", "\"description\"", "\"author\"", "\"is_folder\"", "\"folder_id\"", "\"path\"",
                "\"ext\"", "\"version\"", "\"size\"", "\"created_at\"", "\"created_by\"", "\"updated_at\"",
                "\"visibility_id\"",
                "\"focus_x\"", "\"focus_y\"",
            ]
            let firstObject = answer.text.split(separator: "}").first.map(String.init) ?? ""
            let positions = keys.map { firstObject.range(of: $0)?.lowerBound.utf16Offset(in: firstObject) ?? -1 }
            #expect(positions == positions.sorted() && !positions.contains(-1))
        }
    }

    @Test func severalFilesCountAsOneRequestAndHeadersCountDown() async throws {
        try await withKankaEmulator { client, emulator in
            let first = try await client.get(client.images)
            #expect(first.headers.first(name: "X-RateLimit-Limit") == "30")
            #expect(first.remaining == 29)
            let upload = try await client.upload((0..<5).map { ("f\($0).png", kankaPNG(100, seed: UInt8($0))) })
            #expect(upload.rows.count == 5)
            #expect(upload.remaining == 28)
            #expect(await emulator.stats().counted == 2)
        }
    }

    @Test func validationErrorsHaveLaravelsShape() async throws {
        try await withKankaEmulator { client, _ in
            let scalar = try await client.upload([("a.png", kankaPNG(10))], field: "file")
            #expect(scalar.status == 422)
            #expect(scalar.object["error"] as? String == "The file must be an array.")
            #expect((scalar.object["fields"] as? [String: [String]])?["file"] == ["The file must be an array."])
            let wrongType = try await client.upload(
                [("notes.png", Array("plain text".utf8)), ("b.png", kankaPNG(10))],
                folder: "0198cf1f-02b4-71aa-8c3d-9b7e20f4a118")
            #expect(wrongType.status == 422)
            #expect(
                wrongType.object["error"] as? String
                    == "The file.0 must be a file of type: jpeg, jpg, gif, png, webp, woff2, svg. (and 1 more error)")
            #expect(
                (wrongType.object["fields"] as? [String: [String]])?["folder_id"] == [
                    "The selected folder id is invalid."
                ])
            let tooBig = try await client.upload([("big.png", kankaPNG(3072 * 1024 + 1))])
            #expect(
                (tooBig.object["fields"] as? [String: [String]])?["file.0"] == [
                    "The file.0 may not be greater than 3072 kilobytes."
                ])
            let none = try await client.send(
                .POST, client.images, body: [], contentType: "multipart/form-data; boundary=x")
            #expect(none.object["error"] as? String == "The file field is required.")
            #expect(none.object["code"] as? Int == 422)
        }
    }

    @Test func listIsFlatFoldersFirstPagedBy45WhateverTheLimit() async throws {
        try await withKankaEmulator { client, emulator in
            let maps = try await emulator.createFolder(name: "Maps")
            _ = try await emulator.createFolder(name: "Coast", parent: maps)
            let upload = try await client.upload(
                (0..<46).map { ("img-\(String(format: "%02d", $0)).png", kankaPNG(80, seed: UInt8($0))) },
                folder: maps)
            #expect(upload.rows.count == 46)
            let page1 = try await client.get(client.images + "?page=1&limit=10")
            #expect(page1.rows.count == 45)
            #expect(page1.rows.prefix(2).allSatisfy { $0["is_folder"] as? Bool == true })
            // Same second for all uploads: name ascending breaks the tie.
            let names = page1.rows.dropFirst(2).compactMap { $0["name"] as? String }
            #expect(names == names.sorted())
            let meta = page1.object["meta"] as? [String: Any] ?? [:]
            #expect(meta["per_page"] as? Int == 45)
            #expect(meta["total"] as? Int == 48)
            #expect(meta["last_page"] as? Int == 2)
            #expect(meta["from"] as? Int == 1 && meta["to"] as? Int == 45)
            let links = page1.object["links"] as? [String: Any] ?? [:]
            #expect(links["next"] as? String == client.baseURL + client.images + "?page=2")
            #expect(links["prev"] is NSNull)
            let metaLinks = meta["links"] as? [[String: Any]] ?? []
            #expect(metaLinks.map { $0["label"] as? String } == ["&laquo; Previous", "1", "2", "Next &raquo;"])
            #expect(metaLinks[1]["active"] as? Bool == true)
            #expect(page1.text.contains(#""meta":{"current_page":1,"from":1,"last_page":2,"links":"#))
            let page2 = try await client.get(client.images + "?page=2")
            #expect(page2.rows.count == 3)
            #expect((page2.object["meta"] as? [String: Any])?["from"] as? Int == 46)
            let past = try await client.get(client.images + "?page=9")
            #expect(past.status == 200 && past.rows.isEmpty)
            #expect((past.object["meta"] as? [String: Any])?["from"] is NSNull)
            #expect((past.object["meta"] as? [String: Any])?["current_page"] as? Int == 9)
        }
    }

    @Test func getUpdateDeleteAndTheirErrors() async throws {
        try await withKankaEmulator { client, emulator in
            let folder = try await emulator.createFolder(name: "Portraits")
            let row = try #require(try await client.upload([("face.png", kankaPNG(2_000))], folder: folder).rows.first)
            let id = try #require(row["id"] as? String)
            let got = try await client.get(client.images + "/" + id)
            #expect(got.data["name"] as? String == "face")
            let malformed = try await client.get(client.images + "/42")
            #expect(malformed.status == 404)
            #expect(malformed.text == #"{"code":404,"error":"No query results for model [App\\Models\\Image] 42"}"#)
            let nameless = try await client.send(.PATCH, client.images + "/" + id, json: ["description": "x"])
            #expect(nameless.status == 422 && nameless.object["error"] as? String == "The name field is required.")
            let updated = try await client.send(
                .PATCH, client.images + "/" + id,
                json: ["name": "Face", "description": "<b>Portrait</b> of the captain", "author": "Ana"])
            #expect(updated.data["description"] as? String == "Portrait of the captain")
            #expect(updated.data["author"] as? String == "Ana")
            let wrongCampaign = try await client.get("/campaigns/999/images")
            #expect(
                wrongCampaign.text == #"{"code":404,"error":"No query results for model [App\\Models\\Campaign]."}"#)
            let deleted = try await client.send(.DELETE, client.images + "/" + folder)
            #expect(deleted.status == 204 && deleted.bytes.isEmpty)
            #expect(deleted.headers.first(name: "Content-Type") == nil)
            // The folder went with the image inside it.
            #expect(try await client.get(client.images + "/" + id).status == 404)
        }
    }

    @Test func routingAuthAndMethodErrors() async throws {
        try await withKankaEmulator { client, emulator in
            var anonymous = client
            anonymous.token = nil
            let unknown = try await anonymous.get("/nothing/here")
            #expect(unknown.status == 404 && unknown.text == #"{"error":"Page not found"}"#)
            let noToken = try await anonymous.get(client.images)
            #expect(noToken.status == 401)
            #expect(noToken.object["code"] as? Int == 401)
            #expect((noToken.object["error"] as? String)?.hasPrefix("Invalid authentication token.") == true)
            var wrong = client
            wrong.token = "eyJnot-a-real-token"
            #expect(try await wrong.get(client.images).status == 401)
            let put = try await client.send(.PUT, client.images, json: [:])
            #expect(put.status == 405)
            #expect(
                put.object["error"] as? String
                    == "The PUT method is not supported for route 1.0/campaigns/4821/images. Supported methods: GET, HEAD, POST."
            )
            let stats = await emulator.stats()
            #expect(stats.unauthenticated == 2 && stats.counted == 0)
            // The same routes answer under /api/1.0, as on a host that is not the API domain.
            let viaAPIPrefix = try await client.send(.GET, "/api/1.0" + client.images, absolute: true)
            #expect(viaAPIPrefix.status == 200 && viaAPIPrefix.remaining == 29)
            let counters = try await client.send(.GET, "/__sandbox/kanka/stats", absolute: true)
            #expect(counters.object["counted"] as? Int == 1 && counters.object["unauthenticated"] as? Int == 2)
        }
    }

    @Test func aMemberListsButCannotManage() async throws {
        let options = KankaEmulator.Options()
        try await withKankaEmulator(options) { client, _ in
            let row = try #require(try await client.upload([("a.png", kankaPNG(100))]).rows.first)
            var member = client
            member.token = options.memberToken
            #expect(try await member.get(client.images).rows.count == 1)
            #expect(try await member.get(client.images + "/" + (row["id"] as? String ?? "")).status == 403)
            // Validation runs before the permission check.
            #expect(try await member.upload([("b.png", Array("text".utf8))]).status == 422)
            #expect(try await member.upload([("b.png", kankaPNG(10))]).status == 403)
        }
    }

    @Test func throttleIsAFixedWindowWithAHeaderless429() async throws {
        let clock = ManualClock()
        var options = KankaEmulator.Options()
        options.rateLimit = 5
        let emulator = try KankaEmulator(options: options, clock: clock)
        try await withKankaEmulator(options, emulator: emulator) { client, _ in
            for expected in (0..<5).reversed() {
                #expect(try await client.get(client.images).remaining == expected)
            }
            clock.advance(by: .seconds(59))
            let refused = try await client.get(client.images)
            #expect(refused.status == 429)
            #expect(
                refused.text
                    == #"["Your account limit of 5 requests per minute has been reached. Subscribe to Kanka to unlock higher limits"]"#
            )
            #expect(refused.headers.first(name: "Retry-After") == nil)
            #expect(refused.headers.first(name: "X-RateLimit-Remaining") == nil)
            #expect(refused.headers.first(name: "X-RateLimit-Limit") == nil)
            // Refused requests do not extend the window; it rolls 60 s after the first counted request.
            clock.advance(by: .seconds(1))
            #expect(try await client.get(client.images).remaining == 4)
            let stats = await emulator.stats()
            #expect(stats.counted == 6 && stats.throttled == 1)
        }
    }

    /// kanka.io drops every file after the first that no longer fits; the alternative judges each file alone.
    @Test(arguments: [KankaEmulator.QuotaOverflow.dropRest, .skipEach])
    func quotaOverflowIsSkippedSilently(overflow: KankaEmulator.QuotaOverflow) async throws {
        var options = KankaEmulator.Options()
        options.storageKiB = 5
        options.quotaOverflow = overflow
        try await withKankaEmulator(options) { client, _ in
            let answer = try await client.upload([
                ("a.png", kankaPNG(3_000)), ("b.png", kankaPNG(2_500)), ("c.png", kankaPNG(900)),
            ])
            #expect(answer.status == 200)
            #expect(answer.rows.compactMap { $0["name"] as? String } == (overflow == .dropRest ? ["a"] : ["a", "c"]))
            // 2 KiB are left after a.png alone, 1 KiB after a.png and c.png. Validation rounds down, storing
            // rounds up: a file one KiB short passes the first and is then left out silently.
            let last = overflow == .dropRest ? 2_500 : 1_500
            let empty = try await client.upload([("d.png", kankaPNG(last))])
            #expect(empty.status == 200 && empty.rows.isEmpty)
        }
    }

    @Test func thumbnailIsNotTheOriginalWhichTheCDNServes() async throws {
        try await withKankaEmulator { client, _ in
            let bytes = kankaPNG(5_000, seed: 9)
            let row = try #require(try await client.upload([("map.png", bytes)]).rows.first)
            let path = try #require(row["path"] as? String)
            #expect(path.contains("/300x300/smart/src/campaigns/4821/"))
            let storage = String(path[path.range(of: "/src/")!.upperBound...])
            var anonymous = client
            anonymous.token = nil
            let original = try await anonymous.send(.GET, "/cdn/" + storage, absolute: true)
            #expect(original.status == 200 && original.bytes == bytes)
            let thumbnail = try await anonymous.send(.GET, String(path.dropFirst(client.origin.count)), absolute: true)
            #expect(thumbnail.status == 200 && thumbnail.bytes != bytes)
        }
    }

    @Test func demoSeedAndTheAdminFolderRoute() async throws {
        var options = KankaEmulator.Options()
        options.seed = .demo
        try await withKankaEmulator(options) { client, emulator in
            #expect(await emulator.folders().map(\.path) == ["Maps", "Maps/Coast", "Portraits"])
            let created = try await client.send(
                .POST, "/__sandbox/kanka/folders", json: ["name": "Handouts"], absolute: true)
            #expect(created.status == 201 && created.data["is_folder"] as? Bool == true)
            let list = try await client.get(client.images)
            #expect(list.rows.filter { $0["is_folder"] as? Bool == true }.count == 4)
            #expect(list.rows.contains { $0["name"] as? String == "harbour-at-dusk" && $0["size"] as? Int == 4 })
        }
    }
}

@Suite struct KankaEmulatorSyncTests {
    @Test func lastSyncKeepsOnlyRowsUpdatedLater() async throws {
        try await withKankaEmulator { client, emulator in
            _ = try await emulator.createFolder(name: "Old")
            let all = try await client.get(client.images)
            #expect(all.rows.count == 1)
            let stamp = try #require(all.rows.first?["updated_at"] as? String)
            let later = try await client.get(client.images + "?lastSync=" + stamp)
            #expect(later.status == 200 && later.rows.isEmpty)
            let earlier = try await client.get(client.images + "?lastSync=2000-01-01T00:00:00.000000Z")
            #expect(earlier.rows.count == 1)
        }
    }
}
