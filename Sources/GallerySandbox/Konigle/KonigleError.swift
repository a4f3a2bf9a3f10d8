import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error in Django REST Framework's shapes (Docs/konigle.md): `{"detail": "…"}` for most statuses, a map of
/// field → messages for a 400 validation failure.
struct KonigleError: Error, Sendable {
    var status: HTTPResponse.Status
    /// The JSON body, already encoded.
    var body: Data
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, detail: String) {
        self.status = status
        self.body = KonigleJSON.encode(["detail": detail])
    }

    /// A 400 naming the fields that were refused, each with its messages.
    static func fields(_ errors: [String: [String]]) -> KonigleError {
        var error = KonigleError(.badRequest, detail: "")
        error.body = KonigleJSON.encode(errors)
        return error
    }

    static let notFound = KonigleError(.notFound, detail: "Not found.")
    static let invalidPage = KonigleError(.notFound, detail: "Invalid page.")
    static let forbidden = KonigleError(.forbidden, detail: "You do not have permission to perform this action.")

    static func unauthenticated(_ detail: String) -> KonigleError {
        var error = KonigleError(.unauthorized, detail: detail)
        error.headers[.wwwAuthenticate] = "Token"
        return error
    }

    static func methodNotAllowed(_ method: String) -> KonigleError {
        KonigleError(.methodNotAllowed, detail: "Method \"\(method)\" not allowed.")
    }

    /// DRF's throttle answer; the wait is in the body (`retry_after`), which is where the SDK reads it.
    static func throttled(after seconds: Int) -> KonigleError {
        var error = KonigleError(.tooManyRequests, detail: "")
        error.body = KonigleJSON.encode([
            "detail": "Request was throttled. Expected available in \(seconds) seconds.", "retry_after": seconds,
        ])
        return error
    }

    static func required(_ field: String) -> KonigleError { fields([field: ["This field is required."]]) }

    var response: Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}

/// JSON with Foundation's serializer: integers stay integral, `NSNull` is `null`, slashes are not escaped.
enum KonigleJSON {
    static func encode(_ object: Any) -> Data {
        (try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
            ?? Data("null".utf8)
    }

    static func response(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: encode(object))))
    }

    /// A JSON object request body; anything else is DRF's 400 parse error, and a non-JSON type its 415.
    static func object(_ request: Request) async throws -> [String: Any] {
        let type = request.headers[.contentType]?.lowercased() ?? ""
        guard type.hasPrefix("application/json") else {
            throw KonigleError(
                .unsupportedMediaType,
                detail: "Unsupported media type \"\(type.isEmpty ? "none" : type)\" in request.")
        }
        let body = try await request.body.collect(upTo: 4 << 20)
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any]
        else {
            throw KonigleError(.badRequest, detail: "JSON parse error - Expecting value: line 1 column 1 (char 0)")
        }
        return object
    }
}
