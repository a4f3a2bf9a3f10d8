import Foundation
public import GalleryCore
public import GalleryHTTP

/// A Stash server's galleries (Docs/stash.md): user and folder galleries, their images in Stash's path order,
/// covers, and image `title`/`details` as item title and caption. Bytes come from `/image/{id}/image`.
///
/// Stash takes no uploads: images exist only after a library scan. With a ``Configuration/libraryDir`` (a folder
/// the server scans, seen by the server at ``Configuration/serverLibraryDir``), the backend writes: files named
/// `0001-<name>` into one folder per gallery, one `metadataScan` of that folder per gallery batch at
/// ``flush()`` (or when something reads the batch), the images found by exact path with an MD5 cross-check,
/// then membership, titles and captions, and the cover. Without it the backend is read-only and says so.
///
/// An item's id is the MD5 of its bytes: known the moment the file is written, still valid after the scan, the
/// same for a content-deduplicated image, and accepted by Stash's image route in place of the image id.
public struct StashBackend: GalleryBackend {
    public struct Configuration: Sendable {
        /// The remote's name, as errors name it.
        public var name: String
        /// The GraphQL endpoint, `http://host:9999/graphql`.
        public var url: String
        /// The `ApiKey` header's value; `nil` for a server without authentication.
        public var apiKey: String?
        /// A folder on this machine inside one of the server's libraries, where written galleries go.
        public var libraryDir: String?
        /// The same folder as the server sees it (a Docker volume, a NAS mount); defaults to ``libraryDir``.
        public var serverLibraryDir: String?
        /// How long a scan may take before the write fails.
        public var scanTimeout: Duration
        /// How often a running scan is polled.
        public var pollInterval: Duration

        public init(
            name: String = "stash",
            url: String,
            apiKey: String? = nil,
            libraryDir: String? = nil,
            serverLibraryDir: String? = nil,
            scanTimeout: Duration = .seconds(600),
            pollInterval: Duration = .milliseconds(100)
        ) {
            self.name = name
            self.url = url
            self.apiKey = apiKey.flatMap { $0.isEmpty ? nil : $0 }
            self.libraryDir = libraryDir.flatMap { $0.isEmpty ? nil : Self.trimmed($0) }
            self.serverLibraryDir = serverLibraryDir.flatMap { $0.isEmpty ? nil : Self.trimmed($0) } ?? self.libraryDir
            self.scanTimeout = scanTimeout
            self.pollInterval = pollInterval
        }

        /// `scheme://host:port` of ``url``: the image routes live beside `/graphql`.
        public var origin: String {
            var origin = url
            while origin.hasSuffix("/") { origin.removeLast() }
            if origin.hasSuffix("/graphql") { origin.removeLast("/graphql".count) }
            return origin
        }

        static func trimmed(_ path: String) -> String {
            var path = path
            while path.count > 1, path.hasSuffix("/") { path.removeLast() }
            return path
        }

        /// A local path under ``libraryDir`` as the server sees it.
        func serverPath(_ local: String) -> String {
            guard let libraryDir, let serverLibraryDir, local.hasPrefix(libraryDir) else { return local }
            return serverLibraryDir + local.dropFirst(libraryDir.count)
        }

        /// A server path under ``serverLibraryDir`` as this machine sees it, or `nil` outside it.
        func localPath(_ server: String) -> String? {
            guard let libraryDir, let serverLibraryDir,
                server == serverLibraryDir || server.hasPrefix(serverLibraryDir + "/")
            else { return nil }
            return libraryDir + server.dropFirst(serverLibraryDir.count)
        }
    }

    /// The image types Stash's default `imageExtensions` take.
    public static let allowedMIMETypes: Set<String> = [
        "image/jpeg", "image/png", "image/gif", "image/webp", "image/avif",
    ]
    /// The `urls` entry that marks a gallery GalleryHub created.
    static let markerPrefix = "galleryhub:"

    public let configuration: Configuration
    let graphQL: StashGraphQL
    let log = StashWriteLog()

    public var name: String { configuration.name }

    public init(configuration: Configuration, client: RemoteHTTPClient) {
        self.configuration = configuration
        self.graphQL = StashGraphQL(client: client)
    }

    var isWritable: Bool { configuration.libraryDir != nil }

    /// What the API requests cost so far, as GalleryHTTP's lifecycle counted them.
    public func requestCounts() async -> RequestCounts? { graphQL.client.meter.counts }

    public var capabilities: Capabilities {
        Capabilities(
            order: isWritable ? .explicit : .byFilename,
            cover: .member,
            captions: true,
            altText: false,
            itemTitles: true,
            galleryDescriptions: true,
            nestedGalleries: false,
            translations: false,
            extras: false,
            createGalleries: isWritable,
            deletes: isWritable,
            isWritable: isWritable,
            digests: [.md5],
            allowedMIMETypes: Self.allowedMIMETypes
        )
    }

    // MARK: - Reading

    public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        let graphQL = self.graphQL
        return PagedStream.make(start: 1) { page -> (elements: [GallerySummary], next: Int?) in
            let filter: JSONValue = .object([
                "per_page": .number(100), "page": .number(Double(page)), "sort": .string("id"),
                "direction": .string("ASC"),
            ])
            let result = try await graphQL.run(
                StashWire.listGalleries, variables: ["filter": filter], as: StashWire.GalleryPage.self
            ).findGalleries
            let summaries = result.galleries.map {
                GallerySummary(id: GalleryID($0.id), title: Self.title(of: $0), itemCount: $0.imageCount)
            }
            return (summaries, page * 100 < result.count && !summaries.isEmpty ? page + 1 : nil)
        }
    }

    /// Stash's view of the gallery, plus the files this backend wrote that wait for their scan (in file-name
    /// order, after the scanned ones): reading a batch does not cost a scan. Renamed files are rescanned first,
    /// since only the scan moves them in Stash's order.
    public func gallery(_ id: GalleryID) async throws -> Gallery {
        guard Int(id.rawValue) != nil else { throw notFound(id) }
        if await log.awaitsRescan(id) { try await flushGallery(id) }
        let pending = await log.pendingFiles(of: id)
        let answer = try await graphQL.run(
            StashWire.galleryWithImages,
            variables: ["id": .string(id.rawValue), "images": Self.membership(of: id)],
            as: StashWire.GalleryWithImages.self)
        guard let row = answer.findGallery else { throw notFound(id) }
        let ours = row.urls?.contains { $0.hasPrefix(Self.markerPrefix) } == true
        var items: [Item] = []
        var coverItem: ItemID?
        for image in answer.findImages.images {
            guard let item = item(from: image, stripOrdinal: ours) else { continue }
            await log.remember(item.id, image: image.id)
            if image.id == row.cover?.id { coverItem = item.id }
            items.append(item)
        }
        let present = Set(items.map(\.id))
        let waiting = pending.filter { !present.contains(ItemID($0.md5)) }.sorted {
            NaturalOrder.areInIncreasingOrder(
                ($0.localPath as NSString).lastPathComponent, ($1.localPath as NSString).lastPathComponent)
        }
        items += waiting.map(Self.item(waiting:))
        var extra: [String: JSONValue] = [:]
        let urls = (row.urls ?? []).filter { !$0.hasPrefix(Self.markerPrefix) }
        if !urls.isEmpty { extra["stash.urls"] = .array(urls.map { .string($0) }) }
        if let date = row.date, !date.isEmpty { extra["stash.date"] = .string(date) }
        if let photographer = row.photographer, !photographer.isEmpty {
            extra["stash.photographer"] = .string(photographer)
        }
        return Gallery(
            id: id, title: Self.title(of: row), description: row.details.flatMap { $0.isEmpty ? nil : $0 },
            items: items, cover: coverItem.map { .item($0) }, extra: extra)
    }

    public func openItem(_ ref: ItemRef) async throws -> ByteStream {
        if await log.isPending(ref.item) { try await flushGallery(ref.gallery) }
        let request = RemoteRequest("GET", "/image/\(ref.item.rawValue)/image")
        do {
            return try await graphQL.client.send(request).body
        } catch let error as GalleryError {
            throw error.adding(backend: name, gallery: ref.gallery.rawValue, item: ref.item.rawValue)
        }
    }

    // MARK: - Rows to model

    /// An image as an item: id from the primary file's MD5 (the image id when it has none), file name and size
    /// from the primary file, `title` and `details` as title and caption.
    func item(from image: StashWire.ImageRow, stripOrdinal: Bool) -> Item? {
        guard let file = image.visualFiles.first else { return nil }
        let basename = file.basename ?? (file.path.map { ($0 as NSString).lastPathComponent } ?? image.id)
        let filename = stripOrdinal ? StashFileNames.original(basename) : basename
        let md5 = file.md5
        return Item(
            id: ItemID(md5 ?? image.id), filename: filename, mimeType: MIMEType.forFilename(basename),
            byteCount: file.size ?? 0, digest: md5.map { Digest(.md5, hex: $0) },
            caption: image.details.flatMap { $0.isEmpty ? nil : $0 },
            title: image.title.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A written file before its scan, as it will read once scanned.
    static func item(waiting file: StashPendingFile) -> Item {
        let basename = (file.localPath as NSString).lastPathComponent
        return Item(
            id: ItemID(file.md5), filename: StashFileNames.original(basename), mimeType: MIMEType.forFilename(basename),
            byteCount: file.size, digest: Digest(.md5, hex: file.md5),
            caption: file.caption.flatMap { $0.isEmpty ? nil : $0 },
            title: file.title.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A user gallery's title; a folder gallery (title `""`) is named after its folder.
    static func title(of row: StashWire.GalleryRow) -> String {
        if let title = row.title, !title.isEmpty { return title }
        if let path = row.folder?.path { return (path as NSString).lastPathComponent }
        return "Gallery \(row.id)"
    }

    /// The image filter for a gallery's members.
    static func membership(of id: GalleryID) -> JSONValue {
        .object(["galleries": .object(["value": .array([.string(id.rawValue)]), "modifier": .string("INCLUDES_ALL")])])
    }

    func notFound(_ id: GalleryID) -> GalleryError {
        GalleryError(
            .notFound, "Stash has no gallery \(id)", backend: name, gallery: id.rawValue,
            hint: "Stash gallery ids are numbers; list them with `gallery-hub ls \(name):`.")
    }

    func readOnly(_ gallery: String?, _ capability: Capability = .write) -> GalleryError {
        var error = GalleryError.unsupported(capability, backend: name, gallery: gallery)
        error.hint = """
            Stash takes images only from library scans: set `libraryDir` to a folder inside one of the server's \
            libraries (and `serverLibraryDir` when the server sees it under another path) to write.
            """
        return error
    }
}
