public import Foundation

/// The one error type every GalleryHub module throws.
///
/// A `GalleryError` says what went wrong, where (backend, gallery, item, HTTP status, an excerpt of the
/// server's own words) and what to do next (``hint``). Its ``code`` is an extensible struct rather than a public
/// enum, so new codes can be added without breaking callers that switch over them.
///
/// Invariant: no field ever holds a credential. Backends redact server excerpts before they build one.
public struct GalleryError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is; stable, suitable for metrics labels and exit codes.
    public struct Code: Hashable, Sendable, CustomStringConvertible, Codable {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        /// Credentials are missing, wrong or expired.
        public static let auth = Code("auth")
        /// The gallery, item or endpoint does not exist.
        public static let notFound = Code("notFound")
        /// The request clashes with existing state (a slug taken, an item already present).
        public static let conflict = Code("conflict")
        /// The service asked us to slow down; see ``GalleryError/retryAfter``.
        public static let rateLimited = Code("rateLimited")
        /// Our input was refused: bad names, oversized files, a type the platform does not take.
        public static let invalidInput = Code("invalidInput")
        /// The backend does not support this operation; see ``GalleryError/capability``.
        public static let unsupported = Code("unsupported")
        /// The service failed (5xx).
        public static let server = Code("server")
        /// The network failed before an answer arrived.
        public static let transport = Code("transport")
        /// The service answered something we cannot read.
        public static let corruptResponse = Code("corruptResponse")
        /// The account's storage or item quota is used up.
        public static let quotaExceeded = Code("quotaExceeded")
        /// The work was cancelled (SIGINT, task cancellation).
        public static let cancelled = Code("cancelled")
        /// The remote's configuration is missing or wrong.
        public static let configuration = Code("configuration")
        /// Bytes read back do not match what was written or declared.
        public static let integrity = Code("integrity")
        /// A local file-system operation failed.
        public static let io = Code("io")

        public var description: String { rawValue }

        public init(from decoder: any Decoder) throws {
            rawValue = try decoder.singleValueContainer().decode(String.self)
        }
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    public var code: Code
    /// What went wrong, in one sentence a user understands.
    public var message: String
    /// The backend type or remote name (`kanka`, `sandbox-omnitcode`).
    public var backend: String?
    /// The gallery involved, by id or title.
    public var gallery: String?
    /// The item involved, by id or file name.
    public var item: String?
    /// The HTTP status the service answered, when there was one.
    public var httpStatus: Int?
    /// A short, redacted excerpt of what the service said.
    public var serverMessage: String?
    /// How long the service asked us to wait, for ``Code/rateLimited``.
    public var retryAfter: Duration?
    /// For ``Code/unsupported``: the capability that is missing.
    public var capability: Capability?
    /// What the user can do next.
    public var hint: String?
    /// Whether trying the same thing again may succeed.
    public var isRetryable: Bool

    public init(
        _ code: Code,
        _ message: String,
        backend: String? = nil,
        gallery: String? = nil,
        item: String? = nil,
        httpStatus: Int? = nil,
        serverMessage: String? = nil,
        retryAfter: Duration? = nil,
        capability: Capability? = nil,
        hint: String? = nil,
        isRetryable: Bool? = nil
    ) {
        self.code = code
        self.message = message
        self.backend = backend
        self.gallery = gallery
        self.item = item
        self.httpStatus = httpStatus
        self.serverMessage = serverMessage
        self.retryAfter = retryAfter
        self.capability = capability
        self.hint = hint
        self.isRetryable =
            isRetryable ?? [Code.rateLimited, .server, .transport].contains(code)
    }

    /// An `unsupported` error naming the missing capability, as every backend must throw for what it does not
    /// declare.
    public static func unsupported(_ capability: Capability, backend: String, gallery: String? = nil) -> GalleryError {
        GalleryError(
            .unsupported,
            "\(backend) does not support \(capability.summary)",
            backend: backend,
            gallery: gallery,
            capability: capability,
            hint: "Check `gallery-hub backends` for what \(backend) can hold; the plan reports such data as a loss."
        )
    }

    /// A short form without dynamic values, for log labels and metrics.
    public var shortDescription: String { "GalleryError.\(code)" }

    public var description: String {
        var parts = [message]
        var context: [String] = []
        if let backend { context.append("backend: \(backend)") }
        if let gallery { context.append("gallery: \(gallery)") }
        if let item { context.append("item: \(item)") }
        if let httpStatus { context.append("HTTP \(httpStatus)") }
        if !context.isEmpty { parts.append("(" + context.joined(separator: ", ") + ")") }
        if let serverMessage, !serverMessage.isEmpty { parts.append("server said: \(serverMessage)") }
        return parts.joined(separator: " ")
    }
}

extension GalleryError: LocalizedError {
    public var errorDescription: String? { description }
    public var recoverySuggestion: String? { hint }
}

extension GalleryError {
    /// Returns a copy with missing context filled in; fields already set are kept.
    public func adding(backend: String? = nil, gallery: String? = nil, item: String? = nil) -> GalleryError {
        var copy = self
        copy.backend = copy.backend ?? backend
        copy.gallery = copy.gallery ?? gallery
        copy.item = copy.item ?? item
        return copy
    }

    /// Wraps any error as a `GalleryError`, keeping one that already is.
    public static func wrapping(
        _ error: any Error,
        backend: String? = nil,
        gallery: String? = nil,
        item: String? = nil
    ) -> GalleryError {
        if let error = error as? GalleryError {
            return error.adding(backend: backend, gallery: gallery, item: item)
        }
        if error is CancellationError {
            return GalleryError(.cancelled, "Cancelled", backend: backend, gallery: gallery, item: item)
        }
        return GalleryError(.io, String(describing: error), backend: backend, gallery: gallery, item: item)
    }
}
