import AsyncHTTPClient
import Foundation
import GalleryCore
import Hummingbird
import Logging
import MultipartKit
import NIOCore
import Testing

@testable import GalleryHTTP

/// Typed decoding errors, status mapping, and multipart bodies as a parser sees them.
@Suite struct DecodingAndMultipartTests {
    struct Gallery: Decodable {
        var id: String
        var slug: String
    }

    @Test func malformedJSONIsACorruptResponseNamingTheEndpointWithAnExcerpt() async throws {
        let router = Router()
        router.get("/api/galleries/1") { _, _ -> Response in
            Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"id": "1", "slug": "harb"#)))
        }
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(router) { base, http in
                try await RemoteHTTPClient(
                    httpClient: http, configuration: .init(backend: "t", baseURL: base), logger: Logger(label: "t")
                ).json(RemoteRequest("GET", "/api/galleries/1"), as: Gallery.self)
            }
        }
        #expect(error?.code == .corruptResponse)
        #expect(error?.message.contains("GET /api/galleries/1") == true)
        #expect(error?.serverMessage?.contains(#""slug": "harb"#) == true)
    }

    /// Hostile answers with a 200: a proxy's HTML page, JSON of the wrong shape, truncated JSON, and a body past
    /// the client's bound. Each is a typed error naming the endpoint, and none is mistaken for data.
    @Test(arguments: [
        ("html", GalleryError.Code.corruptResponse), ("wrong-shape", .corruptResponse), ("truncated", .corruptResponse),
        ("gigantic", .corruptResponse),
    ])
    func hostileBodiesAreTypedErrorsNamingTheEndpoint(kind: String, code: GalleryError.Code) async throws {
        let router = Router()
        router.get("/api/galleries/1") { _, _ -> Response in
            let body: String
            switch kind {
            case "html": body = "<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1></body></html>"
            case "wrong-shape": body = #"[{"id": 1, "slug": ["harbour"]}]"#
            case "truncated": body = #"{"id": "1", "sl"#
            default: body = #"{"id": "1", "slug": ""# + String(repeating: "x", count: 300_000) + #""}"#
            }
            var headers = HTTPFields()
            headers[.contentType] = kind == "html" ? "text/html" : "application/json"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(router) { base, http in
                try await RemoteHTTPClient(
                    httpClient: http, configuration: .init(backend: "t", baseURL: base, maxJSONBytes: 64 * 1024),
                    logger: Logger(label: "t")
                ).json(RemoteRequest("GET", "/api/galleries/1"), as: Gallery.self)
            }
        }
        #expect(error?.code == code, "\(kind): \(String(describing: error))")
        #expect(error?.message.contains("GET /api/galleries/1") == true, "\(kind): \(String(describing: error))")
        #expect(error?.hint != nil)
        // An excerpt at most, never the whole gigantic body.
        #expect((error.map { "\($0)" } ?? "").count < 4_000)
    }

    @Test func missingFieldIsNamed() async throws {
        let client = RemoteHTTPClient(
            httpClient: HTTPClient.shared, configuration: .init(backend: "t", baseURL: "http://127.0.0.1:9"),
            logger: Logger(label: "t"))
        let error = #expect(throws: GalleryError.self) {
            try client.decode(Gallery.self, from: Array(#"{"id":"x"}"#.utf8), endpoint: "GET /g/x")
        }
        #expect(error?.message.contains("missing field 'slug'") == true)
    }

    @Test(arguments: [
        (401, GalleryError.Code.auth), (403, .auth), (404, .notFound), (409, .conflict), (400, .invalidInput),
        (422, .invalidInput), (429, .rateLimited), (500, .server), (503, .server),
    ])
    func statusesMapToCodes(status: Int, code: GalleryError.Code) {
        let error = GalleryError.http(status: status, endpoint: "GET /x", backend: "b", serverMessage: "m")
        #expect(error.code == code)
        #expect(error.httpStatus == status)
        #expect(error.hint != nil)
        #expect(error.backend == "b")
    }

    @Test func multipartBodyStreamsTheFileAndParsesBack() async throws {
        let payload = try await ByteStream.pattern(count: 300_000, seed: 7).collect(upTo: 1 << 20)
        let form = MultipartForm(
            fields: [("caption", "Harbour \"night\"")], fileField: "file", filename: "IMG_0412.jpg",
            contentType: "image/jpeg", file: .bytes(payload, chunkSize: 10_000))
        guard case .stream(let stream, let contentType, _) = try form.body() else {
            Issue.record("expected a streamed body")
            return
        }
        let wire = try await stream.collect(upTo: 1 << 21)
        #expect(stream.byteCount == Int64(wire.count))
        #expect(contentType == "multipart/form-data; boundary=\(form.boundary)")

        var parts: [(headers: [String: String], body: [UInt8])] = []
        var headers: [String: String] = [:]
        var body: [UInt8] = []
        let parser = MultipartParser(boundary: form.boundary)
        parser.onHeader = { headers[$0.lowercased()] = $1 }
        parser.onBody = { body.append(contentsOf: $0.readableBytesView) }
        parser.onPartComplete = {
            parts.append((headers, body))
            headers = [:]
            body = []
        }
        try parser.execute(wire)
        #expect(parts.count == 2)
        #expect(String(decoding: parts[0].body, as: UTF8.self) == "Harbour \"night\"")
        #expect(parts[1].headers["content-disposition"] == #"form-data; name="file"; filename="IMG_0412.jpg""#)
        #expect(parts[1].headers["content-type"] == "image/jpeg")
        #expect(parts[1].body == payload)
    }

    @Test func retryAfterParsesSecondsAndDates() {
        #expect(RetryAfter.parse("120") == .seconds(120))
        #expect(RetryAfter.parse(nil) == nil)
        #expect(RetryAfter.parse("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // 2015-10-21 07:27:50 GMT
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
    }
}
