public import AsyncHTTPClient
import Foundation
public import GalleryCore
public import GalleryHTTP
public import Logging

/// Konigle's admin API as a gallery backend, in one of two modes (Docs/konigle.md):
///
/// - ``Mode/products``: a gallery is a product's image list; order is `position`, the cover is the product's
///   main image, alt text is `alt`. A new gallery is a draft product.
/// - ``Mode/tags``: a gallery is the set of library images tagged `gallery:<slug>`; title, order and cover are
///   kept in each image's `meta` (and in tags when the server does not keep `meta`); captions are the image's
///   `description`, alt text its `alt_text`, titles its `name`.
///
/// Presigned cloud uploads end as private Uploads, never as library or product images, so items are always sent
/// as multipart files.
public struct KonigleBackend: GalleryBackend {
    public enum Mode: String, Sendable, CaseIterable {
        case products
        case tags
    }

    public struct Configuration: Sendable {
        /// The site's origin (`https://tim.konigle.com`); `/admin/api/…` is appended.
        public var url: String
        public var apiKey: String
        public var mode: Mode

        public init(url: String, apiKey: String, mode: Mode = .products) {
            self.url = url
            self.apiKey = apiKey
            self.mode = mode
        }
    }

    public let name: String
    public let configuration: Configuration
    let api: KonigleAPI
    let galleries: any KonigleGalleries

    /// - Parameter clock: time for retry backoff; tests pass a manual clock.
    public init<C: Clock>(
        name: String = "konigle", configuration: Configuration, httpClient: HTTPClient, logger: Logger,
        retry: RetryPolicy = RetryPolicy(), clock: C
    ) throws where C.Duration == Duration {
        self.name = name
        self.configuration = configuration
        var origin = configuration.url
        while origin.hasSuffix("/") { origin.removeLast() }
        if origin.hasSuffix("/admin/api") { origin.removeLast("/admin/api".count) }
        guard let parsed = URL(string: origin), parsed.host != nil, ["http", "https"].contains(parsed.scheme ?? "")
        else {
            throw GalleryError(
                .configuration, "Remote '\(name)' has an invalid url '\(configuration.url)'", backend: name,
                hint: "Set `url` to the site's origin, e.g. https://tim.konigle.com")
        }
        guard !configuration.apiKey.isEmpty else {
            throw GalleryError(
                .configuration, "Remote '\(name)' has no API key", backend: name,
                hint: "Set `apiKey` in the [\(name)] table of the remotes file (a ${ENV} reference works).")
        }
        let client = RemoteHTTPClient(
            httpClient: httpClient, configuration: .init(backend: name, baseURL: origin, retry: retry), logger: logger,
            redactor: Redactor(secrets: [configuration.apiKey]),
            authorizer: KonigleHTTP.authorizer(apiKey: configuration.apiKey), classifier: KonigleHTTP.Classifier(),
            clock: clock)
        api = KonigleAPI(name: name, client: client)
        switch configuration.mode {
        case .products: galleries = KonigleProductGalleries(api: api)
        case .tags: galleries = KonigleTagGalleries(api: api)
        }
    }

    public init(
        name: String = "konigle", configuration: Configuration, httpClient: HTTPClient, logger: Logger,
        retry: RetryPolicy = RetryPolicy()
    ) throws {
        try self.init(
            name: name, configuration: configuration, httpClient: httpClient, logger: logger, retry: retry,
            clock: ContinuousClock())
    }

    /// What the API requests cost so far, as GalleryHTTP's lifecycle counted them.
    public func requestCounts() async -> RequestCounts? { api.client.meter.counts }

    public var capabilities: Capabilities { Self.capabilities(configuration.mode) }

    /// The raster types both the service and its SDK take as images.
    static let imageTypes: Set<String> = ["image/jpeg", "image/png", "image/gif", "image/webp"]

    /// What each mode holds. Products: explicit order, a member cover, alt text; nothing else per item.
    /// Tags: explicit order and a member cover (both in `meta`), captions, alt text and titles; a gallery exists
    /// only while it holds images, so an empty one is not kept. Neither nests,
    /// translates, describes galleries, keeps extras or visibilities (a product is always created a draft).
    public static func capabilities(_ mode: Mode) -> Capabilities {
        Capabilities(
            order: .explicit, cover: .member, captions: mode == .tags, altText: true, itemTitles: mode == .tags,
            galleryDescriptions: false, nestedGalleries: false, translations: false, extras: false,
            createGalleries: true, deletes: true, isWritable: true, digests: [], allowedMIMETypes: imageTypes,
            emptyGalleries: mode == .products)
    }

    // MARK: - GalleryBackend, forwarded to the mode

    /// Errors while paging come from GalleryHTTP already naming this backend.
    public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> { galleries.listGalleries() }

    public func gallery(_ id: GalleryID) async throws -> Gallery {
        try await wrap(gallery: id) { try await galleries.gallery(id) }
    }

    public func openItem(_ ref: ItemRef) async throws -> ByteStream {
        try await wrap(gallery: ref.gallery, item: ref.item.rawValue) { try await galleries.openItem(ref) }
    }

    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        try await wrap(title: spec.title) {
            if spec.parent != nil {
                throw GalleryError.unsupported(.nestedGalleries, backend: name, gallery: spec.title)
            }
            if !spec.translations.isEmpty {
                throw GalleryError.unsupported(.translations, backend: name, gallery: spec.title)
            }
            if !spec.extra.isEmpty { throw GalleryError.unsupported(.extras, backend: name, gallery: spec.title) }
            if let description = spec.description, !description.isEmpty {
                throw GalleryError.unsupported(.galleryDescriptions, backend: name, gallery: spec.title)
            }
            return try await galleries.createGallery(spec)
        }
    }

    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        try await wrap(gallery: id) {
            if changes.translations.map({ !$0.isEmpty }) ?? false {
                throw GalleryError.unsupported(.translations, backend: name, gallery: id.rawValue)
            }
            if changes.extra.map({ !$0.isEmpty }) ?? false {
                throw GalleryError.unsupported(.extras, backend: name, gallery: id.rawValue)
            }
            if let description = changes.description, description != nil {
                throw GalleryError.unsupported(.galleryDescriptions, backend: name, gallery: id.rawValue)
            }
            if let title = changes.title { try await galleries.setTitle(of: id, to: title) }
        }
    }

    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        try await wrap(gallery: gallery, item: spec.filename) {
            try requireMetadataSupport(spec.metadata, gallery: gallery)
            if let rule = capabilities.refusal(mimeType: spec.mimeType, byteCount: spec.byteCount) {
                throw GalleryError(
                    .invalidInput,
                    "\(spec.filename) (\(spec.mimeType), \(spec.byteCount) bytes) cannot be stored: \(rule)",
                    backend: name, gallery: gallery.rawValue, item: spec.filename,
                    hint: "Convert or skip it; the plan lists such items as losses.")
            }
            return try await galleries.addItem(to: gallery, spec: spec, bytes: bytes)
        }
    }

    /// ``addItem(to:spec:bytes:)``, never storing the file twice: `upload` is recorded as `sent` before the
    /// bytes go out (and `answered` when the server refused them), so an attempt after a lost answer (a cut
    /// body, malformed JSON, a kill) first looks in the gallery for an image of the same name and size whose
    /// bytes hash like the source's (``StoredCopy``) and takes it instead of uploading again.
    public func addItem(
        to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        if try await checkpoint.recorded()[Self.uploadMark] == "sent" {
            let found = try await wrap(gallery: gallery, item: spec.filename) {
                try await storedCopy(in: gallery, spec: spec, bytes: bytes, checkpoint: checkpoint)
            }
            if let found { return found }
        }
        try await checkpoint.record(Self.uploadMark, "sent")
        do {
            return try await addItem(to: gallery, spec: spec, bytes: bytes)
        } catch let error as GalleryError where error.httpStatus != nil {
            // The server answered: nothing was stored, and nothing needs looking for.
            try await checkpoint.record(Self.uploadMark, "answered")
            throw error
        }
    }

    static let uploadMark = "upload"

    /// The gallery's image an earlier, unanswered attempt stored for `spec`, reading the source's bytes to
    /// compare; `nil` when no image has its name and size (`bytes` are then unread, for the upload).
    private func storedCopy(
        in gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item? {
        let name = KonigleAPI.uploadFilename(spec)
        let held: [Item]
        do {
            held = try await galleries.gallery(gallery).items
        } catch let error as GalleryError where error.code == .notFound {
            held = []  // a tag gallery exists through its images only: none was stored
        }
        let candidates = held.filter { $0.filename == name && $0.byteCount == spec.byteCount }
        guard !candidates.isEmpty else { return nil }
        let sha256 = try await StoredCopy.digest(
            of: bytes, expected: spec.byteCount, backend: self.name, item: spec.filename)
        guard
            var found = try await StoredCopy.match(
                candidates, sha256: sha256, byteCount: spec.byteCount, backend: self.name, item: spec.filename,
                stored: { candidate in
                    try await galleries.openItem(ItemRef(gallery: gallery, item: candidate.id))
                })
        else {
            try await checkpoint.record(Self.uploadMark, "searched")
            throw StoredCopy.notFound(backend: self.name, item: spec.filename)
        }
        found.digest = .sha256(sha256)
        return found
    }

    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        try await wrap(gallery: ref.gallery, item: ref.item.rawValue) {
            try requireMetadataSupport(metadata, gallery: ref.gallery)
            try await galleries.updateItem(ref, metadata: metadata)
        }
    }

    public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        try await wrap(gallery: gallery) { try await galleries.setOrder(of: gallery, to: items) }
    }

    public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        try await wrap(gallery: gallery) {
            if case .standalone = cover {
                throw GalleryError.unsupported(.nonMemberCover, backend: name, gallery: gallery.rawValue)
            }
            try await galleries.setCover(of: gallery, to: cover?.itemID)
        }
    }

    public func removeItem(_ ref: ItemRef) async throws {
        try await wrap(gallery: ref.gallery, item: ref.item.rawValue) { try await galleries.removeItem(ref) }
    }

    public func deleteGallery(_ id: GalleryID) async throws {
        try await wrap(gallery: id) { try await galleries.deleteGallery(id) }
    }

    private func wrap<T>(
        gallery: GalleryID? = nil, title: String? = nil, item: String? = nil, _ body: () async throws -> T
    )
        async throws -> T
    {
        do {
            return try await body()
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery?.rawValue ?? title, item: item)
        }
    }
}

/// One gallery mode: how galleries, items, order and covers map onto the admin API.
protocol KonigleGalleries: Sendable {
    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error>
    func gallery(_ id: GalleryID) async throws -> Gallery
    func openItem(_ ref: ItemRef) async throws -> ByteStream
    func createGallery(_ spec: GallerySpec) async throws -> GalleryID
    func setTitle(of gallery: GalleryID, to title: String) async throws
    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item
    func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws
    func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws
    func setCover(of gallery: GalleryID, to item: ItemID?) async throws
    func removeItem(_ ref: ItemRef) async throws
    func deleteGallery(_ id: GalleryID) async throws
}
