import Foundation
public import GalleryCore
public import GalleryHTTP

/// A Kanka campaign gallery (Docs/kanka.md): folders are galleries (the root is an implicit one, nested
/// folders are nested galleries), bytes come from the UGC CDN original (never the 300 px thumbnail), sizes are
/// KiB rounded up, and every API request is admitted by a ``WindowGovernor`` under the user's per-minute limit.
///
/// What Kanka cannot hold is declared, not faked: no order, no cover, no API to create folders.
public struct KankaBackend: GalleryBackend {
    public struct Configuration: Sendable {
        /// The remote's name, as errors name it.
        public var name: String
        /// The API base including the version segment: `https://api.kanka.io/1.0`.
        public var baseURL: String
        public var token: String
        /// The campaign's numeric id (or slug).
        public var campaign: String
        /// Where originals are served: `https://cdn-ugc.kanka.io` in production. A path (`/cdn`) is taken on the
        /// API's own host, as the sandbox serves it.
        public var cdnURL: String
        /// The user's budget per window: 30, or 90 for subscribers.
        public var requestsPerMinute: Int
        /// The throttle's window; 60 s on the real service.
        public var window: Duration
        /// Slack the governor adds after a window's estimated end: 1 s for Laravel's whole-second timer; an
        /// emulator with an exact clock needs only a few milliseconds.
        public var windowMargin: Duration
        /// The most files sent in one upload request (PHP's `max_file_uploads` is 20 by default).
        public var maxFilesPerUpload: Int
        /// The largest file the account takes (3 MiB for a free account).
        public var maxItemBytes: Int64
        /// How long an upload waits for other files to join its request before it goes with fewer than
        /// ``maxFilesPerUpload``: the engine keeps enough files in flight that a batch fills in far less.
        public var uploadLinger: Duration

        public init(
            name: String = "kanka",
            baseURL: String = "https://api.kanka.io/1.0",
            token: String,
            campaign: String,
            cdnURL: String = "https://cdn-ugc.kanka.io",
            requestsPerMinute: Int = 30,
            window: Duration = .seconds(60),
            windowMargin: Duration = .seconds(1),
            maxFilesPerUpload: Int = 20,
            maxItemBytes: Int64 = 3 * 1024 * 1024,
            uploadLinger: Duration = .milliseconds(250)
        ) {
            self.name = name
            self.baseURL = baseURL
            self.token = token
            self.campaign = campaign
            var cdn = cdnURL.hasSuffix("/") ? String(cdnURL.dropLast()) : cdnURL
            if cdn.hasPrefix("/"), let origin = Self.origin(of: baseURL) { cdn = origin + cdn }
            self.cdnURL = cdn
            self.requestsPerMinute = requestsPerMinute
            self.window = window
            self.windowMargin = windowMargin
            self.maxFilesPerUpload = max(1, maxFilesPerUpload)
            self.maxItemBytes = maxItemBytes
            self.uploadLinger = uploadLinger
        }

        /// `scheme://host[:port]` of a URL.
        static func origin(of url: String) -> String? {
            guard let components = URLComponents(string: url), let scheme = components.scheme,
                let host = components.host
            else { return nil }
            return "\(scheme)://\(host)" + (components.port.map { ":\($0)" } ?? "")
        }
    }

    /// The implicit gallery of the images outside any folder.
    public static let rootGallery = GalleryID("root")

    public let configuration: Configuration
    public let governor: WindowGovernor
    let api: RemoteHTTPClient
    let uploads: KankaUploadQueue
    /// Storage paths seen in listings, so reading an item's bytes costs no API request.
    let storagePaths = KankaPathCache()
    /// Time for the upload queue's linger (the governor's clock).
    let clock: ErasedClock

    public var name: String { configuration.name }

    /// - Parameters:
    ///   - api: A client for the API base URL, admitting its requests through `governor`
    ///     (see ``make(_:httpClient:logger:retry:clock:)``).
    ///   - governor: Shared by every backend that talks to the same Kanka user.
    ///   - clock: Time for the upload queue's linger; the governor's clock.
    public init<C: Clock>(configuration: Configuration, api: RemoteHTTPClient, governor: WindowGovernor, clock: C)
    where C.Duration == Duration {
        self.configuration = configuration
        self.api = api
        self.governor = governor
        self.uploads = KankaUploadQueue()
        self.clock = ErasedClock(clock)
    }

    public init(configuration: Configuration, api: RemoteHTTPClient, governor: WindowGovernor) {
        self.init(configuration: configuration, api: api, governor: governor, clock: ContinuousClock())
    }

    /// What the API requests cost so far, as GalleryHTTP's lifecycle counted them.
    public func requestCounts() async -> RequestCounts? { api.meter.counts }

    public var capabilities: Capabilities {
        Capabilities(
            order: .none,
            cover: .none,
            captions: true,
            maxCaptionLength: 1000,
            altText: false,
            itemTitles: false,
            galleryDescriptions: false,
            nestedGalleries: true,
            translations: false,
            extras: false,
            createGalleries: false,
            deletes: true,
            isWritable: true,
            digests: [],
            maxItemBytes: configuration.maxItemBytes,
            allowedMIMETypes: KankaFileType.allowedMIMETypes,
            sizeGranularity: 1024,
            // Uploads are sniffed: an empty file or bytes of another type are refused with 422.
            checksContent: true,
            itemsPerRequest: configuration.maxFilesPerUpload
        )
    }

    // MARK: - Reading

    public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        let backend = self
        // The list is flat and puts every folder before any image: paging stops at the first image.
        return PagedStream.make(start: 0) { page -> (elements: [GallerySummary], next: Int?) in
            if page == 0 { return ([GallerySummary(id: Self.rootGallery, title: "(root)")], 1) }
            let rows = try await backend.listPage(page)
            let folders = rows.data.filter(\.isFolder).map {
                GallerySummary(id: GalleryID($0.id), title: $0.name ?? "", parent: $0.folderID.map { GalleryID($0) })
            }
            let more = folders.count == rows.data.count && page < (rows.meta?.lastPage ?? page)
            return (folders, more ? page + 1 : nil)
        }
    }

    public func gallery(_ id: GalleryID) async throws -> Gallery {
        let isRoot = id == Self.rootGallery
        guard isRoot || Self.isUUID(id.rawValue) else { throw notFound(id) }
        var folder: KankaRow?
        var items: [Item] = []
        for try await row in allRows() {
            if row.isFolder {
                if row.id == id.rawValue { folder = row }
                continue
            }
            let parent = row.folderID ?? Self.rootGallery.rawValue
            if parent == id.rawValue { items.append(item(from: row)) }
        }
        if isRoot { return Gallery(id: id, title: "(root)", items: items) }
        guard let folder else { throw notFound(id) }
        return gallery(folder, items: items)
    }

    /// Every folder with its images from one pass over the campaign's flat list: Kanka has no folder filter,
    /// so reading folder by folder would page through the whole campaign once per folder (Docs/kanka.md).
    /// The root comes first, then the folders in listing order, as ``listGalleries()`` lists them.
    public func allGalleriesWithItems(concurrency: Int) async throws -> [Gallery] {
        var folders: [KankaRow] = []
        var items: [String: [Item]] = [:]
        var itemCount = 0
        for try await row in allRows() {
            if row.isFolder {
                folders.append(row)
            } else {
                items[row.folderID ?? Self.rootGallery.rawValue, default: []].append(item(from: row))
                itemCount += 1
            }
            // Galleries are whole only once the last page is read: until then, only what was seen is counted.
            ListingProgress.report(.init(galleries: 0, items: itemCount))
        }
        ListingProgress.report(.init(galleries: folders.count + 1, totalGalleries: folders.count + 1, items: itemCount))
        let root = Gallery(id: Self.rootGallery, title: "(root)", items: items[Self.rootGallery.rawValue] ?? [])
        return [root] + folders.map { gallery($0, items: items[$0.id] ?? []) }
    }

    private func gallery(_ folder: KankaRow, items: [Item]) -> Gallery {
        Gallery(
            id: GalleryID(folder.id), title: folder.name ?? "", items: items,
            parent: folder.folderID.map { GalleryID($0) },
            extra: folder.visibilityID.map { ["kanka.visibility_id": .number(Double($0))] } ?? [:])
    }

    public func openItem(_ ref: ItemRef) async throws -> ByteStream {
        guard Self.isUUID(ref.item.rawValue) else { throw notFound(ref) }
        var path = storagePaths[ref.item.rawValue]
        if path == nil {
            let row = try await fetchRow(ref.item.rawValue, gallery: ref.gallery)
            remember(row)
            path = storagePath(of: row)
        }
        guard let path else {
            throw GalleryError(
                .corruptResponse, "Kanka gave no file path for item \(ref.item)", backend: name,
                gallery: ref.gallery.rawValue, item: ref.item.rawValue,
                hint: "A folder has no bytes; check the item id.")
        }
        let request = RemoteRequest("GET", "/" + path, absoluteURL: configuration.cdnURL + "/" + path)
        do {
            return try await api.send(request).body
        } catch let error as GalleryError {
            throw error.adding(backend: name, gallery: ref.gallery.rawValue, item: ref.item.rawValue)
        }
    }

    // MARK: - Rows to model

    func item(from row: KankaRow) -> Item {
        remember(row)
        var extra: [String: JSONValue] = [:]
        if let author = row.author { extra["kanka.author"] = .string(author) }
        if let visibility = row.visibilityID { extra["kanka.visibility_id"] = .number(Double(visibility)) }
        return Item(
            id: ItemID(row.id), filename: row.filename, mimeType: KankaFileType.mimeType(ext: row.ext),
            byteCount: (row.size ?? 0) * 1024, caption: row.description, created: row.created, extra: extra)
    }

    func remember(_ row: KankaRow) {
        guard let path = storagePath(of: row) else { return }
        storagePaths[row.id] = path
    }

    /// The original's storage path: what follows `/src/` in the thumbnail URL (URL-decoded), or, for SVGs whose
    /// `path` is the original itself, what follows the CDN base.
    func storagePath(of row: KankaRow) -> String? {
        guard let path = row.path else { return nil }
        if let range = path.range(of: "/src/") {
            let tail = String(path[range.upperBound...])
            return tail.removingPercentEncoding ?? tail
        }
        if path.hasPrefix(configuration.cdnURL + "/") { return String(path.dropFirst(configuration.cdnURL.count + 1)) }
        guard let ext = row.ext else { return nil }
        return "campaigns/\(configuration.campaign)/\(row.id)/1.\(ext)"
    }

    static func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false).map(\.count)
        return groups == [8, 4, 4, 4, 12] && text.allSatisfy { $0.isHexDigit || $0 == "-" }
    }

    func notFound(_ id: GalleryID) -> GalleryError {
        GalleryError(
            .notFound, "Kanka has no folder \(id)", backend: name, gallery: id.rawValue,
            hint: "Galleries on Kanka are folders (or `root`); list them with `gallery-hub ls`.")
    }

    func notFound(_ ref: ItemRef) -> GalleryError {
        GalleryError(
            .notFound, "Kanka has no image \(ref.item)", backend: name, gallery: ref.gallery.rawValue,
            item: ref.item.rawValue, hint: "The image may have been deleted; re-run the plan.")
    }
}
