import Foundation
public import GalleryCore
import GalleryHTTP

extension OmnitcodeBackend {
    /// Summaries, pulled page by page as the consumer iterates; each needs one GET for its title (the list has
    /// none).
    public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        let lister = OmnitcodeGalleryLister(backend: self)
        return AsyncThrowingStream(unfolding: { try await lister.next() })
    }

    public func gallery(_ id: GalleryID) async throws -> Gallery {
        do {
            return try await map(try await wireGallery(id))
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: id.rawValue)
        }
    }

    /// Reads the media row by id (one small request, not the whole gallery: a copy of a gallery of N items would
    /// otherwise fetch N² links), then streams its file. An item is its media, so the gallery part of the ref only
    /// names the context in errors.
    public func openItem(_ ref: ItemRef) async throws -> ByteStream {
        do {
            guard let uuid = UUID(uuidString: ref.item.rawValue) else {
                throw GalleryError(.notFound, "No item '\(ref.item)': Omnitcode media ids are UUIDs", backend: name)
            }
            let media = try await get("/api/v1/media/\(uuid.uuidString.lowercased())", as: OmnitcodeWire.Media.self)
            return try await download(media)
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: ref.gallery.rawValue, item: ref.item.rawValue)
        }
    }

    public func openCover(of gallery: GalleryID) async throws -> ByteStream {
        do {
            let wire = try await wireGallery(gallery)
            guard let cover = wire.coverImage else {
                throw GalleryError(.notFound, "Gallery '\(gallery)' has no cover", backend: name)
            }
            return try await download(cover)
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue)
        }
    }

    // MARK: - Helpers

    func wireGallery(_ id: GalleryID) async throws -> OmnitcodeWire.Gallery {
        try await get(try galleryPath(id), as: OmnitcodeWire.Gallery.self)
    }

    /// Streams a media file from the static origin, failing with `integrity` when the byte count differs from the
    /// declared `size` (the only integrity data the service offers).
    func download(_ media: OmnitcodeWire.Media) async throws -> ByteStream {
        guard let path = media.path else {
            throw GalleryError(.corruptResponse, "Media \(media.id) has no path", backend: name, item: media.id)
        }
        let relative = path.hasPrefix("/") ? String(path.dropFirst()) : path
        let response = try await client.send(RemoteRequest("GET", "/" + relative, absoluteURL: mediaBase + relative))
        guard let expected = media.size else { return response.body }
        return response.body.checkingLength(expected, backend: name, item: media.id)
    }

    /// The portable gallery: title and description from the configured language, all translations by code,
    /// items in order, the cover as a member or a standalone image.
    func map(_ wire: OmnitcodeWire.Gallery) async throws -> Gallery {
        var codes: [String: String] = [:]
        if !wire.translations.isEmpty {
            for (code, id) in try await languageTable() { codes[id] = code }
        }
        var translations: [String: Translation] = [:]
        for translation in wire.translations {
            let code = codes[translation.languageID.lowercased()] ?? translation.languageID
            translations[code] = Translation(title: translation.title ?? "", description: translation.description)
        }
        let primary = translations[configuration.language] ?? translations.sorted { $0.key < $1.key }.first?.value
        // The primary language is the gallery's own title and description, not one more translation.
        translations[configuration.language] = nil
        let items = wire.orderedLinks.map { link in
            item(link.media, id: link.mediaID, caption: link.caption, created: link.createdAt)
        }
        var cover: CoverRef?
        if let coverID = wire.coverImageID?.lowercased() {
            if items.contains(where: { $0.id.rawValue.lowercased() == coverID }) {
                cover = .item(ItemID(coverID))
            } else if let media = wire.coverImage {
                cover = .standalone(item(media, id: media.id, caption: nil, created: nil))
            }
        }
        return Gallery(
            id: GalleryID(wire.id),
            title: primary?.title ?? wire.slug,
            description: primary?.description,
            slug: wire.slug,
            visibility: wire.status == "published" ? .public : .private,
            translations: translations,
            items: items,
            cover: cover
        )
    }

    func item(_ media: OmnitcodeWire.Media?, id: String, caption: String?, created: String?) -> Item {
        Item(
            id: ItemID(id),
            filename: media?.originalFilename ?? media?.filename ?? id,
            mimeType: media?.mimeType ?? "application/octet-stream",
            byteCount: media?.size ?? 0,
            caption: caption,
            altText: media?.altText,
            created: OmnitcodeTimestamp.parse(created)
        )
    }
}

/// The pull-based state behind ``OmnitcodeBackend/listGalleries()``.
actor OmnitcodeGalleryLister {
    private let backend: OmnitcodeBackend
    private var pager = OmnitcodePager<OmnitcodeWire.Summary>(path: "/api/v1/galleries")
    private var buffer: [OmnitcodeWire.Summary] = []

    init(backend: OmnitcodeBackend) { self.backend = backend }

    func next() async throws -> GallerySummary? {
        do {
            while buffer.isEmpty {
                // A copy, because an actor's stored value cannot be mutated across an await.
                var pager = self.pager
                let page = try await pager.next(using: backend)
                self.pager = pager
                guard let page else { return nil }
                buffer = page
            }
            let summary = buffer.removeFirst()
            return try await backend.map(try await backend.wireGallery(GalleryID(summary.id))).summary
        } catch {
            throw GalleryError.wrapping(error, backend: backend.name)
        }
    }
}
