import Foundation
public import GalleryCore

/// A 2xx answer whose body is still streaming.
public struct RemoteResponse: Sendable {
    public var status: Int
    /// Header names lower-cased, in the order received.
    public var headers: [(name: String, value: String)]
    /// The body, read as it arrives. Transport failures while reading surface as ``GalleryError`` `transport`.
    public var body: ByteStream

    public init(status: Int, headers: [(name: String, value: String)], body: ByteStream) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name == name }?.value
    }
}

/// An answer as the lifecycle's policies see it: status, headers, and the body when it was read.
///
/// The body is the whole answer for a JSON request (so a classifier can find errors inside a 200, as GraphQL
/// reports them), the first 64 KiB of a refused answer, and `nil` for a 2xx whose body is still streaming.
public struct RemoteAnswer: Sendable {
    public var status: Int
    /// Header names lower-cased, in the order received.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil) {
        self.status = status
        self.headers = headers.map { (name: $0.name.lowercased(), value: $0.value) }
        self.body = body
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let name = name.lowercased()
        return headers.first { $0.name == name }?.value
    }

    /// A header read as a whole number (`X-RateLimit-Remaining`).
    public func integerHeader(_ name: String) -> Int? {
        header(name).flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }
}
