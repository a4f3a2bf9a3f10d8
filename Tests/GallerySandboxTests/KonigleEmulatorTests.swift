import AsyncHTTPClient
import Foundation
import GalleryCore
import GallerySandbox
import NIOCore
import NIOHTTP1
import Testing

/// The Konigle emulator's sandbox frame and the rules a plain client sees (the SDK check covers the rest).
@Suite struct KonigleEmulatorTests {
    @Test func theRemotesFileNamesBothModes() async throws {
        let emulator = try KonigleEmulator()
        try await withSandbox([emulator]) { sandbox in
            let endpoint = try #require(sandbox["konigle"])
            let document = SandboxLauncher.readyDocument(sandbox)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
            let entry = try #require((parsed["emulators"] as? [String: Any])?["konigle"] as? [String: String])
            #expect(entry == ["baseURL": endpoint.baseURL, "url": endpoint.baseURL, "apiKey": emulator.options.apiKey])

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("konigle-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            let path = folder.appendingPathComponent("remotes.toml").path
            try SandboxLauncher.writeRemotesFile(sandbox, to: path)
            let file = try RemotesFile.load(path: path)
            let products = try #require(try file.resolve("sandbox-konigle", environment: [:]))
            let tags = try #require(try file.resolve("sandbox-konigle-tags", environment: [:]))
            #expect(products.type == "konigle" && tags.type == "konigle")
            #expect(products.options["apiKey"] == emulator.options.apiKey)
            #expect(products.options["mode"] == nil)
            #expect(tags.options["mode"] == "tags")
            #expect(tags.options["url"] == endpoint.baseURL)
        }
    }

    @Test func keysRoutesAndPagesAnswerAsDRFDoes() async throws {
        let emulator = try KonigleEmulator()
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            try await check(emulator, http)
            try await http.shutdown()
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func check(_ emulator: KonigleEmulator, _ http: HTTPClient) async throws {
        try await withSandbox([emulator]) { sandbox in
            let base = try #require(sandbox["konigle"]).baseURL
            func send(_ key: String?, _ method: HTTPMethod, _ path: String, json: String? = nil) async throws
                -> (Int, [String: Any])
            {
                var request = HTTPClientRequest(url: base + path)
                request.method = method
                if let key { request.headers.add(name: "Authorization", value: "Token \(key)") }
                if let json {
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: json))
                }
                // A deadline for a hang, not a speed test: the whole suite shares two cores with this request.
                let response = try await http.execute(request, timeout: .seconds(120))
                let body = try await response.body.collect(upTo: 1 << 20)
                let object = (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any]
                return (Int(response.status.code), object ?? [:])
            }
            let key = emulator.options.apiKey
            let readOnly = try #require(emulator.options.readOnlyKey)
            #expect(
                try await send(nil, .GET, "/admin/api/products").1["detail"] as? String
                    == "Authentication credentials were not provided.")
            #expect(try await send("nope", .GET, "/admin/api/products").0 == 401)
            #expect(try await send(readOnly, .GET, "/admin/api/products").0 == 200)
            let refused = try await send(readOnly, .POST, "/admin/api/products", json: #"{"title":"x"}"#)
            #expect(refused.0 == 403)
            let (status, product) = try await send(key, .POST, "/admin/api/products/", json: #"{"title":"Bay prints"}"#)
            #expect(status == 201)
            #expect(product["handle"] as? String == "bay-prints")
            #expect(product["status"] as? String == "draft")
            #expect(
                try await send(key, .PUT, "/admin/api/products/\(product["uid"] as? String ?? "")").1["detail"]
                    as? String == #"Method "PUT" not allowed."#)
            let page = try await send(key, .GET, "/admin/api/products?page=2")
            #expect(page.0 == 404 && page.1["detail"] as? String == "Invalid page.")
            let first = try await send(key, .GET, "/admin/api/products?page=1&page_size=1")
            #expect(first.1["count"] as? Int == 1 && first.1["next"] is NSNull && first.1["num_pages"] as? Int == 1)
        }
    }
}
