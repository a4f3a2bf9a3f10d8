import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A deliberately plain HTTP client for the emulator tests: AsyncHTTPClient and JSONSerialization, nothing from
/// the adapter, so the emulator is checked against the spec and not against our own encoder.
struct PlainClient {
    struct Answer {
        var status: Int
        var headers: HTTPHeaders
        var bytes: [UInt8]
        var json: Any? { try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        /// `detail` as a string (business errors).
        var detail: String? { object["detail"] as? String }
        /// `detail` as FastAPI's validation list.
        var validation: [[String: Any]] { object["detail"] as? [[String: Any]] ?? [] }
    }

    let http: HTTPClient
    let baseURL: String
    var token: String?

    func send(
        _ method: HTTPMethod, _ path: String, json: Any? = nil, body: [UInt8]? = nil, contentType: String? = nil,
        headers: [(String, String)] = []
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(
                ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])))
        } else if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/octet-stream")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        // Generous: a debug build parses a 10 MiB multipart body slowly while the other suites run beside it
        // on two cores (30 s was exceeded twice in full runs).
        let response = try await http.execute(request, timeout: .seconds(180))
        let collected = try await response.body.collect(upTo: 64 * 1024 * 1024)
        return Answer(
            status: Int(response.status.code), headers: response.headers, bytes: Array(collected.readableBytesView))
    }

    func get(_ path: String) async throws -> Answer { try await send(.GET, path) }
    func post(_ path: String, _ json: Any) async throws -> Answer { try await send(.POST, path, json: json) }

    /// Uploads `bytes` as the multipart part `file`, framing the body by hand.
    func upload(_ bytes: [UInt8], filename: String, type: String, field: String = "file") async throws -> Answer {
        let boundary = "plain-boundary-1234"
        var body = Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: \(type)\r\n\r\n"
                .utf8)
        body += bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await send(
            .POST, "/api/v1/media/upload", body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }

    /// Logs in as the seeded admin and returns a client carrying the access token.
    func loggedIn(email: String, password: String) async throws -> (PlainClient, Answer) {
        let answer = try await post("/api/v1/auth/login", ["email": email, "password": password])
        var copy = self
        copy.token = (answer.object["tokens"] as? [String: Any])?["access_token"] as? String
        return (copy, answer)
    }
}

/// Bytes that look like a PNG to a type check.
func pngBytes(_ count: Int, seed: UInt8 = 1) -> [UInt8] {
    var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    var value = seed
    while bytes.count < count {
        value = value &* 31 &+ 7
        bytes.append(value)
    }
    return bytes
}
