import Foundation
public import GalleryCore

/// One request to a remote service, described independently of the HTTP library that sends it.
///
/// A request names its endpoint (`GET /api/v1/galleries`) for errors and logs; its URL is resolved against the
/// client's base URL unless ``absoluteURL`` is given (media served from another origin).
public struct RemoteRequest: Sendable {
    /// A request body.
    public enum Body: Sendable {
        case none
        /// Bytes in memory (JSON documents, small forms).
        case bytes([UInt8], contentType: String)
        /// Streamed bytes. `isReplayable` says whether iterating the stream again reads the same bytes from the
        /// start: only then may the request be retried.
        case stream(ByteStream, contentType: String, isReplayable: Bool)

        var isReplayable: Bool {
            switch self {
            case .none, .bytes: true
            case .stream(_, _, let isReplayable): isReplayable
            }
        }
    }

    public var method: String
    /// The path below the base URL, starting with `/`.
    public var path: String
    /// Query parameters in order; values are percent-encoded when the URL is built.
    public var query: [(name: String, value: String)]
    /// Extra headers; credentials among them are redacted in every log line and error.
    public var headers: [(name: String, value: String)]
    public var body: Body
    /// A full URL that replaces base URL + path (for downloads from a static file origin).
    public var absoluteURL: String?
    /// Whether repeating the request cannot change the result: such requests are retried on transport errors and
    /// 5xx. Defaults to the method's HTTP semantics; a login, or a POST whose repeat the server detects, may
    /// say so too.
    public var isIdempotent: Bool
    /// Whether the client's ``RequestAuthorizer`` adds credentials: `false` for the authorizer's own login and
    /// refresh. Requests to another origin than the base URL's (``absoluteURL``) never carry them.
    public var sendsCredentials: Bool
    /// Whether this is the authorizer's own login or refresh: it is sent up to ``RetryPolicy/credentialAttempts``
    /// times, since every other request waits on it.
    public var obtainsCredentials = false

    public init(
        _ method: String,
        _ path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)] = [],
        body: Body = .none,
        absoluteURL: String? = nil,
        isIdempotent: Bool? = nil,
        sendsCredentials: Bool = true
    ) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body
        self.absoluteURL = absoluteURL
        self.isIdempotent = isIdempotent ?? ["GET", "HEAD", "PUT", "DELETE", "OPTIONS"].contains(method.uppercased())
        self.sendsCredentials = sendsCredentials
    }

    /// How errors and logs name this request: method and path, without query or host.
    public var endpoint: String { "\(method) \(path)" }
}

extension RemoteRequest {
    /// A request whose body is the JSON encoding of `value`.
    public static func json(
        _ method: String,
        _ path: String,
        body value: some Encodable,
        query: [(name: String, value: String)] = []
    ) throws -> RemoteRequest {
        let data: [UInt8]
        do {
            data = Array(try RemoteHTTPClient.makeEncoder().encode(value))
        } catch {
            throw GalleryError(.invalidInput, "Cannot encode the body of \(method) \(path): \(error)")
        }
        return RemoteRequest(method, path, query: query, body: .bytes(data, contentType: "application/json"))
    }
}

extension RemoteRequest {
    /// A request whose body is `fields` as `application/x-www-form-urlencoded` (HTML forms, OAuth2 password logins).
    public static func form(_ method: String, _ path: String, fields: [(name: String, value: String)]) -> RemoteRequest
    {
        // Only RFC 3986's unreserved characters go as they are; a space is %20, which every form parser reads.
        let unreserved = CharacterSet(
            charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        func encoded(_ text: String) -> String { text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "" }
        let body = fields.map { encoded($0.name) + "=" + encoded($0.value) }.joined(separator: "&")
        return RemoteRequest(
            method, path, body: .bytes(Array(body.utf8), contentType: "application/x-www-form-urlencoded"))
    }
}
