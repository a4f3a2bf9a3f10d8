import AsyncHTTPClient
import Foundation
import GallerySandbox
import NIOCore
import NIOHTTP1

/// A deliberately plain client for the Kanka emulator tests: AsyncHTTPClient, hand-framed multipart and
/// JSONSerialization, nothing from the adapter, so the emulator is checked against the spec, not against us.
struct KankaPlainClient {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var bytes: [UInt8]
        var text: String { String(decoding: bytes, as: UTF8.self) }
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var data: [String: Any] { object["data"] as? [String: Any] ?? [:] }
        var rows: [[String: Any]] { object["data"] as? [[String: Any]] ?? [] }
        var remaining: Int? { headers.first(name: "X-RateLimit-Remaining").flatMap { Int($0) } }
    }

    let http: HTTPClient
    /// `http://127.0.0.1:PORT/1.0`
    let baseURL: String
    let origin: String
    var token: String?
    let campaign: String

    var images: String { "/campaigns/\(campaign)/images" }

    func send(
        _ method: HTTPMethod, _ path: String, json: Any? = nil, body: [UInt8]? = nil, contentType: String? = nil,
        absolute: Bool = false
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: (absolute ? origin : baseURL) + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json)))
        } else if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: body))
        } else {
            // python-kanka's habit: a JSON content type on bodiless GET and DELETE.
            request.headers.add(name: "Content-Type", value: "application/json")
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Answer(
            status: Int(response.status.code), headers: response.headers, bytes: Array(collected.readableBytesView))
    }

    func get(_ path: String) async throws -> Answer { try await send(.GET, path) }

    /// Uploads files as `file[]` parts (or `field`), optionally into a folder.
    func upload(_ files: [(name: String, bytes: [UInt8])], folder: String? = nil, field: String = "file[]") async throws
        -> Answer
    {
        let boundary = "kanka-plain-boundary"
        var body: [UInt8] = []
        if let folder {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"folder_id\"\r\n\r\n\(folder)\r\n".utf8)
        }
        for file in files {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(file.name)\"\r\n\r\n"
                    .utf8)
            body += file.bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return try await send(.POST, images, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

/// Starts one Kanka emulator in-process and hands the test a plain client with the owner's token.
func withKankaEmulator<R: Sendable>(
    _ options: KankaEmulator.Options = .init(),
    emulator given: KankaEmulator? = nil,
    _ body: (_ client: KankaPlainClient, _ emulator: KankaEmulator) async throws -> R
) async throws -> R {
    var made = given
    if made == nil { made = try KankaEmulator(options: options) }
    let emulator = made!
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await withSandbox([emulator]) { sandbox in
            let endpoint = sandbox["kanka"]!
            let client = KankaPlainClient(
                http: http, baseURL: endpoint.baseURL, origin: endpoint.origin,
                token: options.token, campaign: String(options.campaignID))
            return try await body(client, emulator)
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// Bytes that sniff as PNG.
func kankaPNG(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var value = seed
    while bytes.count < count {
        value = value &* 31 &+ 7
        bytes.append(value)
    }
    return bytes
}

func kankaJPEG(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
    [0xFF, 0xD8, 0xFF, 0xE0] + Array(kankaPNG(count - 4, seed: seed).dropFirst(0))
}
