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

/// What a platform-specific 429 parser sees: enough to find a wait in a body when the header is missing
/// (Kanka sends a header-less 429 whose body is a JSON array of messages).
public struct RateLimitedAnswer: Sendable {
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
}
