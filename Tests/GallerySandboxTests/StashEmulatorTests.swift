import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import GallerySandbox

/// The Stash emulator over real HTTP: scans of the library on disk, jobs, order, covers, auth, bytes and the
/// gqlgen error shapes (Docs/stash.md).
@Suite struct StashEmulatorTests {
    struct Fixture {
        let emulator: StashEmulator
        let http: HTTPClient
        let origin: String
        let library: String

        /// Sends a GraphQL document; returns the status, the parsed body and the response headers.
        func graphQL(
            _ query: String, variables: [String: Any] = [:], key: String? = nil, accept: String? = nil
        ) async throws -> (status: Int, body: [String: Any], headers: HTTPHeaders) {
            var request = HTTPClientRequest(url: origin + "/graphql")
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.headers.add(name: "ApiKey", value: key ?? emulator.options.apiKey)
            if let accept { request.headers.add(name: "Accept", value: accept) }
            let document: [String: Any] = ["query": query, "variables": variables]
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: document)))
            let response = try await http.execute(request, timeout: .seconds(120))
            let bytes = try await response.body.collect(upTo: 1 << 22)
            let body = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
            return (Int(response.status.code), body, response.headers)
        }

        func data(_ query: String, variables: [String: Any] = [:]) async throws -> [String: Any] {
            let answer = try await graphQL(query, variables: variables)
            guard answer.status == 200, answer.body["errors"] == nil, let data = answer.body["data"] as? [String: Any]
            else { throw GalleryErrorText("unexpected answer \(answer.status): \(answer.body)") }
            return data
        }

        func scan(_ paths: [String] = []) async throws -> String {
            let data = try await data(
                "mutation($p: [String!]) { metadataScan(input: {paths: $p}) }", variables: ["p": paths])
            await emulator.waitForScans()
            return data["metadataScan"] as? String ?? ""
        }

        func put(_ relative: String, _ bytes: [UInt8]) throws {
            let path = library + "/" + relative
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        }

        func images() async throws -> [[String: Any]] {
            let data = try await data(
                """
                { findImages(filter: {per_page: -1, sort: "path", direction: ASC}) {
                    count images { id visual_files { ... on ImageFile { path basename } } } } }
                """)
            return ((data["findImages"] as? [String: Any])?["images"] as? [[String: Any]]) ?? []
        }

        func get(_ path: String, headers: [(String, String)]) async throws -> HTTPClientResponse {
            var request = HTTPClientRequest(url: origin + path)
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            return try await http.execute(request, timeout: .seconds(120))
        }
    }

    struct GalleryErrorText: Error, CustomStringConvertible {
        var description: String
        init(_ text: String) { description = text }
    }

    func withEmulator(createGalleriesFromFolders: Bool = false, _ body: (Fixture) async throws -> Void) async throws {
        let library = NSTemporaryDirectory() + "stash-emulator-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: library) }
        let emulator = try StashEmulator(
            options: .init(libraryDirectories: [library], createGalleriesFromFolders: createGalleriesFromFolders))
        // Redirects are not followed: image routes answer an unauthenticated request with 302 to /login.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            try await withSandbox([emulator]) { sandbox in
                let origin = sandbox["stash"]!.origin
                try await body(Fixture(emulator: emulator, http: http, origin: origin, library: library))
            }
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static func png(_ seed: UInt8) -> [UInt8] {
        [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ Int(seed)) }
    }

    @Test func scansSeeTheDiskAsItIsNowWithDedupAndRenames() async throws {
        try await withEmulator { stash in
            try stash.put("a/one.png", Self.png(1))
            _ = try await stash.scan()
            #expect(try await stash.images().count == 1)
            // Changed behind the emulator's back: a new file, a copy of known bytes, a rename.
            try stash.put("a/two.png", Self.png(2))
            try stash.put("b/copy-of-one.png", Self.png(1))
            _ = try await stash.scan()
            let images = try await stash.images()
            #expect(images.count == 2, "the copy of known bytes is a second file of the first image")
            let first = try #require(images.first { ($0["visual_files"] as? [[String: Any]])?.count == 2 })
            let firstID = first["id"] as? String
            try FileManager.default.moveItem(
                atPath: stash.library + "/a/two.png", toPath: stash.library + "/a/zwei.png")
            _ = try await stash.scan()
            let renamed = try await stash.images()
            #expect(renamed.count == 2, "a rename keeps the image")
            let names = renamed.flatMap {
                ($0["visual_files"] as? [[String: Any]] ?? []).compactMap { $0["basename"] as? String }
            }
            #expect(names.contains("zwei.png") && !names.contains("two.png"))
            #expect(renamed.contains { $0["id"] as? String == firstID })
        }
    }

    @Test func jobsRunInOrderAndTheGraveyardKeepsTen() async throws {
        try await withEmulator { stash in
            var ids: [String] = []
            for _ in 0..<12 { ids.append(try await stash.scan()) }
            #expect(ids == (1...12).map(String.init))
            let job = "query($id: ID!) { findJob(input: {id: $id}) { id status progress description } }"
            let oldest = try await stash.data(job, variables: ["id": "2"])
            #expect(oldest["findJob"] is NSNull, "job 2 fell out of the ten-entry graveyard")
            let newest = try await stash.data(job, variables: ["id": "12"])
            let row = try #require(newest["findJob"] as? [String: Any])
            #expect(row["status"] as? String == "FINISHED")
            #expect(row["description"] as? String == "Scanning...")
            #expect(stash.emulator.scansFinished() == 12)
        }
    }

    @Test func folderGalleriesFollowNaturalCaseInsensitivePathOrderAndTheCoverPattern() async throws {
        try await withEmulator { stash in
            for (index, name) in ["img10.png", "img2.png", "Board.png", "img1.png", "img_b.png", "imgb.png"]
                .enumerated()
            {
                try stash.put("trip/\(name)", Self.png(UInt8(10 + index)))
            }
            try stash.put("trip/.forcegallery", [])
            try stash.put("plain/x.png", Self.png(40))
            _ = try await stash.scan()
            let data = try await stash.data(
                """
                { findGalleries(filter: {per_page: -1}) { count galleries { id title image_count folder { path }
                    cover { visual_files { ... on ImageFile { basename } } } } } }
                """)
            let result = try #require(data["findGalleries"] as? [String: Any])
            #expect(result["count"] as? Int == 1, ".forcegallery makes one; a plain folder makes none by default")
            let gallery = try #require((result["galleries"] as? [[String: Any]])?.first)
            #expect(gallery["title"] as? String == "")
            let cover = (gallery["cover"] as? [String: Any])?["visual_files"] as? [[String: Any]]
            #expect(cover?.first?["basename"] as? String == "Board.png")
            let id = try #require(gallery["id"] as? String)
            var order: [String] = []
            for index in 0..<6 {
                let image = try await stash.data(
                    "query($id: ID!, $i: Int!) { findGallery(id: $id) { image(index: $i) { visual_files { ... on ImageFile { basename } } } } }",
                    variables: ["id": id, "i": index])
                let files = ((image["findGallery"] as? [String: Any])?["image"] as? [String: Any])?["visual_files"]
                order.append(((files as? [[String: Any]])?.first?["basename"] as? String) ?? "?")
            }
            // Digits by value, letters upper-cased (so `_` sorts after them).
            #expect(order == ["Board.png", "img1.png", "img2.png", "img10.png", "imgb.png", "img_b.png"])
            let refused = try await stash.graphQL(
                "mutation($id: ID!) { addGalleryImages(input: {gallery_id: $id, image_ids: [\"1\"]}) }",
                variables: ["id": id])
            #expect(refused.status == 200)
            let message = ((refused.body["errors"] as? [[String: Any]])?.first?["message"] as? String) ?? ""
            #expect(message == "cannot change contents of folder-based gallery \"trip\"")
        }
    }

    @Test func createGalleriesFromFoldersMakesOneGalleryPerFolderUnlessNoGallery() async throws {
        try await withEmulator(createGalleriesFromFolders: true) { stash in
            try stash.put("a/one.png", Self.png(61))
            try stash.put("a/two.png", Self.png(62))
            try stash.put("b/three.png", Self.png(63))
            try stash.put("b/.nogallery", [])
            _ = try await stash.scan()
            let data = try await stash.data(
                "{ findGalleries(filter: {per_page: -1}) { count galleries { image_count folder { path } } } }")
            let result = try #require(data["findGalleries"] as? [String: Any])
            let galleries = (result["galleries"] as? [[String: Any]]) ?? []
            #expect(result["count"] as? Int == 1)
            #expect(galleries.first?["image_count"] as? Int == 2)
            let folder = (galleries.first?["folder"] as? [String: Any])?["path"] as? String
            #expect(folder == stash.library + "/a")
            // Scanning again makes no second gallery of the same folder.
            _ = try await stash.scan()
            let again = try await stash.data("{ findGalleries { count } }")
            #expect((again["findGalleries"] as? [String: Any])?["count"] as? Int == 1)
        }
    }

    @Test func errorsTakeGqlgensShapes() async throws {
        try await withEmulator { stash in
            let invalid = try await stash.graphQL("{ findGallery(id: \"1\") { id no_such_field } }")
            #expect(invalid.status == 422)
            let error = try #require((invalid.body["errors"] as? [[String: Any]])?.first)
            #expect((error["extensions"] as? [String: Any])?["code"] as? String == "GRAPHQL_VALIDATION_FAILED")
            #expect(error["locations"] != nil)
            let asPython = try await stash.graphQL("{ findGallery(id: \"1\") { id no_such_field } }", accept: "*/*")
            #expect(asPython.status == 400)
            #expect(asPython.headers.first(name: "content-type") == "application/graphql-response+json")
            let resolver = try await stash.graphQL(
                "mutation { galleryUpdate(input: {id: \"999\", title: \"x\"}) { id } }")
            #expect(resolver.status == 200)
            let failure = try #require((resolver.body["errors"] as? [[String: Any]])?.first)
            #expect(failure["message"] as? String == "gallery with id 999 not found")
            #expect(failure["path"] as? [String] == ["galleryUpdate"])
            #expect(failure["locations"] == nil)
            // Numeric strings are taken for Int variables, as gqlgen takes them.
            let created = try await stash.data("mutation { galleryCreate(input: {title: \"T\"}) { id } }")
            let id = ((created["galleryCreate"] as? [String: Any])?["id"] as? String) ?? ""
            let page = try await stash.data(
                "query($n: Int) { findGalleries(filter: {per_page: $n}) { count } }", variables: ["n": "1"])
            #expect((page["findGalleries"] as? [String: Any])?["count"] as? Int == 1)
            _ = id
            let imageCreate = try await stash.graphQL("mutation { imageCreate(input: {title: \"x\"}) { id } }")
            #expect(imageCreate.status == 422, "Stash has no upload mutation")
        }
    }

    @Test func authAndBytesWithRanges() async throws {
        try await withEmulator { stash in
            let wrong = try await stash.graphQL("{ version { version } }", key: "wrong")
            #expect(wrong.status == 401)
            #expect(wrong.headers.first(name: "www-authenticate") == "FormBased")
            let noKey = try await stash.get("/graphql?query=%7Bversion%7Bversion%7D%7D", headers: [])
            #expect(noKey.status == .unauthorized)
            try stash.put("p/photo.png", Self.png(7))
            _ = try await stash.scan()
            let id = try #require(try await stash.images().first?["id"] as? String)
            let redirected = try await stash.get("/image/\(id)/image", headers: [])
            #expect(redirected.status == .found)
            #expect(redirected.headers.first(name: "location")?.hasPrefix("/login?returnURL=") == true)
            let range = try await stash.get(
                "/image/\(id)/image", headers: [("ApiKey", stash.emulator.options.apiKey), ("Range", "bytes=2-5")])
            #expect(range.status == .partialContent)
            #expect(range.headers.first(name: "content-range") == "bytes 2-5/308")
            let bytes = try await range.body.collect(upTo: 1024)
            #expect(Array(bytes.readableBytesView) == Array(Self.png(7)[2...5]))
            // Bytes are read from disk when asked: a file changed since the scan serves what is there now.
            try stash.put("p/photo.png", [0x89, 0x50, 0x4E, 0x47])
            let now = try await stash.get("/image/\(id)/image", headers: [("ApiKey", stash.emulator.options.apiKey)])
            #expect(try await now.body.collect(upTo: 1024).readableBytes == 4)
        }
    }

    @Test func introspectionListsCompleteInputFields() async throws {
        try await withEmulator { stash in
            let data = try await stash.data(
                """
                { version { version } systemStatus { appSchema status }
                  __schema { types { name kind inputFields { name } } } }
                """)
            #expect((data["systemStatus"] as? [String: Any])?["appSchema"] as? Int == 75)
            let types = ((data["__schema"] as? [String: Any])?["types"] as? [[String: Any]]) ?? []
            let create = types.first { $0["name"] as? String == "GalleryCreateInput" }
            let names = ((create?["inputFields"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
            #expect(
                Set(names) == [
                    "title", "code", "url", "urls", "date", "details", "photographer", "rating100", "organized",
                    "scene_ids", "studio_id", "tag_ids", "performer_ids",
                ])
        }
    }

    @Test func naturalOrderMatchesStash() {
        let sorted = ["img10", "IMG2", "img02", "a_b", "ab", "a", "a-b"].sorted(by: StashNaturalOrder.less)
        #expect(sorted == ["a", "a-b", "ab", "a_b", "IMG2", "img02", "img10"])
    }
}
