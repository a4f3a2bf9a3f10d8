import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error in FastAPI's shape: `{"detail": "…"}` for business errors, `{"detail": [ … ]}` for validation.
struct OmnitcodeError: Error {
    var status: HTTPResponse.Status
    var detail: JSONDetail
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.detail = .string(message)
        self.headers = headers
    }

    /// A 422 with Pydantic-style items.
    static func validation(_ items: [JSONDetail]) -> OmnitcodeError {
        var error = OmnitcodeError(.unprocessableContent, "")
        error.detail = .array(items)
        return error
    }

    static func notFound(_ what: String) -> OmnitcodeError { OmnitcodeError(.notFound, "\(what) not found") }

    var response: Response {
        var response = OmnitcodeJSON.response(status, ["detail": detail.foundation])
        for field in headers { response.headers.append(field) }
        return response
    }
}

/// JSON rendering with Foundation's serializer, which keeps integers integral and writes `null` for `NSNull`.
enum OmnitcodeJSON {
    static func response(_ status: HTTPResponse.Status, _ object: Any) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
            ?? Data("null".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Parses a JSON request body; malformed JSON is a 422 `json_invalid`, as FastAPI answers.
    static func object(_ body: ByteBuffer) throws -> [String: Any] {
        let data = Data(body.readableBytesView)
        guard let parsed = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            throw OmnitcodeError.validation([
                .object([
                    "type": "json_invalid", "loc": .array([.string("body"), .int(0)]), "msg": "JSON decode error",
                    "input": .object([:]), "ctx": .object(["error": "Expecting value"]),
                ])
            ])
        }
        guard let object = parsed as? [String: Any] else {
            throw OmnitcodeError.validation([
                .object([
                    "type": "model_attributes_type", "loc": .array(["body"]),
                    "msg": "Input should be a valid dictionary or object to extract fields from",
                    "input": JSONDetail(foundation: parsed),
                ])
            ])
        }
        return object
    }
}
