public import Foundation
import GalleryCore

extension RemoteHTTPClient {
    /// Sends a request whose answer carries nothing we need (204, or a body we ignore).
    public func perform(_ request: RemoteRequest, admitted: AdmissionTicket? = nil) async throws {
        _ = try await data(request, admitted: admitted)
    }

    /// Decodes `bytes` or throws a `corruptResponse` error that names the endpoint and quotes the body.
    public func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8], endpoint: String, decoder: JSONDecoder? = nil)
        throws -> T
    {
        do {
            return try (decoder ?? Self.makeDecoder()).decode(T.self, from: Data(bytes))
        } catch {
            throw GalleryError.corruptResponse(
                endpoint: endpoint,
                backend: configuration.backend,
                reason: Self.describe(error),
                excerpt: BodyExcerpt.make(bytes, redactor: redactor)
            )
        }
    }

    /// A decoder for snake_case APIs is the backend's choice; this one keeps keys as they are.
    public static func makeDecoder() -> JSONDecoder { JSONDecoder() }

    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    /// A decoding error in one line: what was wrong and where.
    static func describe(_ error: any Error) -> String {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.isEmpty
                ? "the top level"
                : codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing field '\(key.stringValue)' at \(path(context.codingPath))"
        case DecodingError.typeMismatch(let type, let context):
            return "expected \(type) at \(path(context.codingPath))"
        case DecodingError.valueNotFound(let type, let context):
            return "null where \(type) was expected at \(path(context.codingPath))"
        case DecodingError.dataCorrupted(let context):
            return context.codingPath.isEmpty ? "not valid JSON" : "invalid value at \(path(context.codingPath))"
        default:
            return "\(error)"
        }
    }
}
