public import AsyncHTTPClient
import Foundation
public import GalleryCore
public import GalleryHTTP
public import Logging

/// Omnitcode's "CMS API" (a FastAPI headless CMS) as a gallery backend: ordered media with captions, a cover that
/// may be any media, and per-language titles. See Docs/omnitcode.md for every rule followed here.
///
/// Writes follow the spec's recipe (§3.2): upload the bytes, add the link (it appends), then one final reorder;
/// covers, captions and translations after. Reads sort links client-side by (order, created_at, media_id).
public struct OmnitcodeBackend: GalleryBackend {
    public struct Configuration: Sendable {
        /// The service's origin (`https://cms.example.org`); `/api/v1` is appended.
        public var url: String
        /// Where `uploads/…` paths are served; defaults to the origin.
        public var mediaURL: String?
        public var email: String?
        public var password: String?
        public var token: String?
        /// The language whose translation is the gallery's title and description.
        public var language: String
        /// `code → language UUID`, for deployments whose `/languages` endpoint is missing or forbidden.
        public var languageIDs: [String: String]

        public init(
            url: String, mediaURL: String? = nil, email: String? = nil, password: String? = nil,
            token: String? = nil, language: String = "en", languageIDs: [String: String] = [:]
        ) {
            self.url = url
            self.mediaURL = mediaURL
            self.email = email
            self.password = password
            self.token = token
            self.language = language
            self.languageIDs = languageIDs
        }
    }

    public let name: String
    public let configuration: Configuration
    let client: RemoteHTTPClient
    let languages: OmnitcodeLanguages
    let mediaUpdates = OmnitcodeMediaUpdates()
    let looseMedia = OmnitcodeLooseMedia()
    let logger: Logger

    /// - Parameters:
    ///   - retry: How often one request is sent (`--low-level-retries`).
    ///   - clock: Time for retry backoff and token expiry; tests pass a manual clock.
    public init<C: Clock>(
        name: String = "omnitcode",
        configuration: Configuration,
        httpClient: HTTPClient,
        logger: Logger,
        retry: RetryPolicy = RetryPolicy(),
        clock: C
    ) throws where C.Duration == Duration {
        self.name = name
        self.configuration = configuration
        self.logger = logger
        var origin = configuration.url
        while origin.hasSuffix("/") { origin.removeLast() }
        if origin.hasSuffix("/api/v1") { origin.removeLast("/api/v1".count) }
        guard URL(string: origin)?.host != nil else {
            throw GalleryError(
                .configuration, "Remote '\(name)' has an invalid url '\(configuration.url)'", backend: name,
                hint: "Set `url` to the service's origin, e.g. https://cms.example.org")
        }
        let credentials: OmnitcodeSession.Credentials
        if let email = configuration.email, let password = configuration.password {
            credentials = .password(email: email, password: password)
        } else if let token = configuration.token {
            credentials = .token(token)
        } else {
            throw GalleryError(
                .configuration, "Remote '\(name)' needs `email` and `password`, or `token`", backend: name,
                hint: "Add them to the [\(name)] table of the remotes file (secrets may be ${ENV} references).")
        }
        let redactor = Redactor(secrets: [configuration.password, configuration.token].compactMap { $0 })
        client = RemoteHTTPClient(
            httpClient: httpClient, configuration: .init(backend: name, baseURL: origin, retry: retry),
            logger: logger, redactor: redactor, authorizer: OmnitcodeSession.authorizer(credentials, clock: clock),
            classifier: Self.classifier, clock: clock)
        languages = OmnitcodeLanguages(configured: configuration.languageIDs)
        mediaBase =
            (configuration.mediaURL ?? origin).hasSuffix("/")
            ? (configuration.mediaURL ?? origin) : (configuration.mediaURL ?? origin) + "/"
    }

    public init(
        name: String = "omnitcode", configuration: Configuration, httpClient: HTTPClient, logger: Logger,
        retry: RetryPolicy = RetryPolicy()
    ) throws {
        try self.init(
            name: name, configuration: configuration, httpClient: httpClient, logger: logger, retry: retry,
            clock: ContinuousClock())
    }

    /// Base for static file URLs, ending in `/`.
    let mediaBase: String

    /// What the API requests cost so far, as GalleryHTTP's lifecycle counted them.
    public func requestCounts() async -> RequestCounts? { client.meter.counts }

    public var capabilities: Capabilities { Self.capabilities }

    /// What Omnitcode holds (Docs/omnitcode.md): explicit order, any media as cover, captions per link (≤500), alt text
    /// per media (global), translated titles; flat galleries, no item titles, no server digests, 10 MiB, 8 types.
    public static let capabilities = Capabilities(
        order: .explicit,
        cover: .any,
        captions: true,
        maxCaptionLength: 500,
        altText: true,
        itemTitles: false,
        galleryDescriptions: true,
        nestedGalleries: false,
        translations: true,
        extras: false,
        createGalleries: true,
        deletes: true,
        isWritable: true,
        digests: [],
        maxItemBytes: 10 * 1024 * 1024,
        allowedMIMETypes: [
            "image/jpeg", "image/png", "image/gif", "image/webp", "image/svg+xml", "application/pdf", "video/mp4",
            "video/webm",
        ],
        sizeGranularity: 1,
        // `status` is published or draft (archived reads as private too): unlisted has no home.
        visibilities: [.public, .private]
    )

    // MARK: - Requests

    /// FastAPI answers a missing or expired bearer token with 401, and on some routes with 403
    /// `{"detail": "Not authenticated"}`: both mean "renew", not "forbidden".
    static let classifier = StandardClassifier(isUnauthorized: { answer in
        guard answer.status == 403, let body = answer.body else { return false }
        struct Detail: Decodable { var detail: String? }
        return (try? JSONDecoder().decode(Detail.self, from: Data(body)))?.detail == "Not authenticated"
    })

    func get<T: Decodable>(_ path: String, query: [(name: String, value: String)] = [], as type: T.Type) async throws
        -> T
    {
        try await client.json(RemoteRequest("GET", path, query: query), as: T.self)
    }

    func send<T: Decodable>(_ method: String, _ path: String, body: [String: JSONValue], as type: T.Type) async throws
        -> T
    {
        try await client.json(try RemoteRequest.json(method, path, body: body), as: T.self)
    }

    /// A mutation whose answer (often the whole gallery, by the service's design) we do not need: read and dropped
    /// without decoding, which at thousands of items would cost more than the upload itself.
    func sendDiscarding(_ method: String, _ path: String, body: [String: JSONValue]) async throws {
        try await client.perform(try RemoteRequest.json(method, path, body: body))
    }

    func galleryPath(_ id: GalleryID) throws -> String {
        // Ids are UUIDs; anything else cannot be ours and must not be spliced into a path.
        guard UUID(uuidString: id.rawValue) != nil else {
            throw GalleryError(
                .notFound, "No gallery '\(id)' on \(name): Omnitcode ids are UUIDs", backend: name, gallery: id.rawValue
            )
        }
        return "/api/v1/galleries/\(id.rawValue.lowercased())"
    }
}
