import Foundation
import GalleryCore
import GalleryHTTP

/// Galleries as tagged sets of library images (Docs/konigle.md "tags mode"), their title, order and cover kept
/// on each member (``KonigleGalleryMeta``). Captions are `description`, alt text `alt_text`, titles `name` (a
/// name equal to the file name reads as no title).
///
/// A gallery exists on the server only through its members: one created with no items yet is remembered by this
/// backend until its first item arrives.
struct KonigleTagGalleries: KonigleGalleries {
    let api: KonigleAPI
    let positions = KonigleAppendPositions()
    let state = KonigleTagState()

    private struct AssetPatch: Encodable {
        var name: String?
        var altText: String?
        var description: String?
        var tags: [String]?
        var meta: [String: JSONValue]?

        enum CodingKeys: String, CodingKey {
            case name, description, tags, meta
            case altText = "alt_text"
        }
    }

    private static let assets = "/admin/api/storefront-assets"

    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        let api = self.api
        let state = self.state
        return PagedStream.make(start: true) { (_: Bool) in
            var found: [String: (title: String?, count: Int)] = [:]
            var order: [String] = []
            for image in try await api.all(Self.assets, query: [("mime_type", "image"), ("ordering", "created_at")])
                as [KonigleWire.Image]
            {
                for tag in image.tags ?? [] where tag.hasPrefix("gallery:") {
                    let slug = String(tag.dropFirst("gallery:".count))
                    guard !slug.isEmpty,
                        let member = KonigleGalleryMeta(slug: slug, meta: image.meta, tags: image.tags ?? [])
                    else { continue }
                    if found[slug] == nil { order.append(slug) }
                    found[slug, default: (nil, 0)].count += 1
                    if found[slug]?.title == nil { found[slug]?.title = member.title }
                }
            }
            var summaries = order.map { slug in
                GallerySummary(
                    id: GalleryID(slug), title: found[slug]?.title ?? slug, slug: slug, itemCount: found[slug]?.count)
            }
            for (slug, title) in await state.pending() where found[slug] == nil {
                summaries.append(GallerySummary(id: GalleryID(slug), title: title, slug: slug, itemCount: 0))
            }
            return (summaries, nil)
        }
    }

    func gallery(_ id: GalleryID) async throws -> Gallery {
        let slug = id.rawValue
        let members = try await self.members(slug)
        if members.isEmpty {
            guard let title = await state.pendingTitle(slug) else {
                throw GalleryError(
                    .notFound, "No gallery '\(slug)': no image is tagged \(KonigleGalleryMeta.memberTag(slug))",
                    backend: api.name, gallery: slug)
            }
            return Gallery(id: id, title: title, slug: slug)
        }
        let title = members.lazy.compactMap(\.record.title).first ?? slug
        await state.learn(title: title, of: slug)
        let items = members.map { Self.item($0.image) }
        let cover = members.first { $0.record.cover }.map { CoverRef.item(ItemID($0.image.id)) }
        return Gallery(id: id, title: title, slug: slug, items: items, cover: cover)
    }

    func openItem(_ ref: ItemRef) async throws -> ByteStream {
        let image = try await image(ref.item)
        guard let url = image.assetURL else {
            throw GalleryError(.corruptResponse, "Image \(image.id) has no asset_url", backend: api.name)
        }
        return try await api.download(url, expected: image.size, item: image.id)
    }

    /// A free slug from the spec's slug or title; the gallery appears on the server with its first item.
    func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        let base = KonigleGalleryMeta.slug(spec.slug ?? spec.title)
        for attempt in 1...50 {
            let slug = attempt == 1 ? base : "\(base)-\(attempt)"
            guard await state.pendingTitle(slug) == nil, try await memberCount(slug) == 0 else { continue }
            await state.remember(slug, title: spec.title)
            return GalleryID(slug)
        }
        throw GalleryError(.conflict, "No free slug for '\(spec.title)'", backend: api.name, gallery: spec.title)
    }

    func setTitle(of gallery: GalleryID, to title: String) async throws {
        let slug = gallery.rawValue
        if await state.pendingTitle(slug) != nil { await state.remember(slug, title: title) }
        for member in try await members(slug) where member.record.title != title {
            var record = member.record
            record.title = title
            try await write(record, on: member.image)
        }
        await state.learn(title: title, of: slug)
    }

    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        let slug = gallery.rawValue
        let title = try await galleryTitle(slug)
        // The planned place when known: the uploads' order of arrival then does not matter to `setOrder`.
        let index = try await positions.index(for: spec, in: slug) { try await memberCount(slug) }
        let record = KonigleGalleryMeta(id: slug, title: title, position: index, cover: false)
        let positionTag = await state.metaDropped
        var fields: [(name: String, value: String)] = [
            ("name", Self.name(title: spec.metadata.title, filename: KonigleAPI.uploadFilename(spec))),
            ("alt_text", spec.metadata.altText ?? ""),
            ("tags", record.tags(replacing: [], positionTag: positionTag).joined(separator: ",")),
        ]
        if let caption = spec.metadata.caption { fields.append(("description", caption)) }
        fields.append(("meta", String(decoding: try JSONEncoder().encode(record.meta(replacing: nil)), as: UTF8.self)))
        let (image, digest, sent) = try await api.upload(
            Self.assets, fields: fields, fileField: "image", spec: spec, bytes: bytes, as: KonigleWire.Image.self)
        if sent != spec.byteCount {
            try? await api.delete("\(Self.assets)/\(try KonigleProductGalleries.segment(image.id))")
            throw GalleryError(
                .integrity, "The source gave \(sent) bytes, not the \(spec.byteCount) it declared",
                backend: api.name, item: spec.filename)
        }
        await state.forgetPending(slug)
        if !record.isKept(in: image.meta), !positionTag {
            // The server does not keep `meta`: from now on positions also travel as tags.
            await state.noteMetaDropped()
            try await write(record, on: image)
        }
        var item = Self.item(image)
        item.digest = .sha256(digest)
        return item
    }

    func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        let image = try await image(ref.item)
        let filename = KonigleWire.filename(fromURL: image.assetURL) ?? image.name
        _ = try await api.send(
            "PATCH", try Self.path(ref.item),
            body: AssetPatch(
                name: Self.name(title: metadata.title, filename: filename), altText: metadata.altText ?? "",
                description: metadata.caption ?? ""),
            as: KonigleWire.Image.self)
    }

    func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        let members = try await members(gallery.rawValue)
        let wanted = items.map(\.rawValue)
        guard Set(wanted) == Set(members.map(\.image.id)), wanted.count == members.count else {
            throw GalleryError(
                .invalidInput, "setOrder needs every item of the gallery exactly once", backend: api.name,
                gallery: gallery.rawValue, hint: "Pass all \(members.count) item ids.")
        }
        await positions.forget(gallery.rawValue)
        let byID = Dictionary(members.map { ($0.image.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, id) in wanted.enumerated() {
            guard let member = byID[id], member.record.position != index else { continue }
            var record = member.record
            record.position = index
            try await write(record, on: member.image)
        }
    }

    func setCover(of gallery: GalleryID, to item: ItemID?) async throws {
        let members = try await members(gallery.rawValue)
        if let item, !members.contains(where: { $0.image.id == item.rawValue }) {
            throw GalleryError(
                .invalidInput, "The cover \(item) is not an item of the gallery", backend: api.name,
                gallery: gallery.rawValue)
        }
        for member in members where member.record.cover != (member.image.id == item?.rawValue) {
            var record = member.record
            record.cover = member.image.id == item?.rawValue
            try await write(record, on: member.image)
        }
    }

    /// Deletes the image, or only takes it out of this gallery when it belongs to another one too.
    func removeItem(_ ref: ItemRef) async throws {
        let image = try await image(ref.item)
        let slug = ref.gallery.rawValue
        let title =
            await state.title(of: slug) ?? KonigleGalleryMeta(slug: slug, meta: image.meta, tags: image.tags ?? [])?
            .title
            ?? slug
        let others = (image.tags ?? []).filter { $0.hasPrefix("gallery:") && $0 != KonigleGalleryMeta.memberTag(slug) }
        if others.isEmpty {
            try await api.delete(try Self.path(ref.item))
        } else {
            let tags = (image.tags ?? []).filter {
                $0 != KonigleGalleryMeta.memberTag(slug) && $0 != KonigleGalleryMeta.coverTag(slug)
                    && !$0.hasPrefix("gallery-pos:\(slug):")
            }
            var meta = image.meta
            if case .object(let gallery)? = meta?["gallery"], gallery["id"]?.stringValue == slug {
                meta?["gallery"] = nil
            }
            _ = try await api.send(
                "PATCH", try Self.path(ref.item), body: AssetPatch(tags: tags, meta: meta ?? [:]),
                as: KonigleWire.Image.self)
        }
        await positions.forget(slug)
        // An emptied gallery has no image left to carry it: this backend keeps knowing it.
        if try await memberCount(slug) == 0 { await state.remember(slug, title: title) }
    }

    func deleteGallery(_ id: GalleryID) async throws {
        for member in try await members(id.rawValue) {
            try await removeItem(ItemRef(gallery: id, item: ItemID(member.image.id)))
        }
        await state.forgetPending(id.rawValue)
    }

    // MARK: - Helpers

    struct Member {
        var image: KonigleWire.Image
        var record: KonigleGalleryMeta
    }

    /// The gallery's images in order: by position, then by creation (unplaced ones last).
    private func members(_ slug: String) async throws -> [Member] {
        let images: [KonigleWire.Image] = try await api.all(
            Self.assets,
            query: [("mime_type", "image"), ("tags", KonigleGalleryMeta.memberTag(slug)), ("ordering", "created_at")])
        let members = images.compactMap { image in
            KonigleGalleryMeta(slug: slug, meta: image.meta, tags: image.tags ?? []).map {
                Member(image: image, record: $0)
            }
        }
        return members.enumerated().sorted { lhs, rhs in
            switch (lhs.element.record.position, rhs.element.record.position) {
            case (let a?, let b?) where a != b: a < b
            case (_?, nil): true
            case (nil, _?): false
            default: lhs.offset < rhs.offset
            }
        }.map(\.element)
    }

    private func memberCount(_ slug: String) async throws -> Int {
        try await api.get(
            Self.assets,
            query: [
                ("page", "1"), ("page_size", "1"), ("mime_type", "image"), ("tags", KonigleGalleryMeta.memberTag(slug)),
            ],
            as: KonigleWire.Page<KonigleWire.Image>.self
        ).count
    }

    /// The title new members carry: the pending one, the one learnt, or the first member's.
    private func galleryTitle(_ slug: String) async throws -> String {
        if let title = await state.title(of: slug) { return title }
        let first = try await api.get(
            Self.assets,
            query: [
                ("page", "1"), ("page_size", "1"), ("mime_type", "image"), ("tags", KonigleGalleryMeta.memberTag(slug)),
                ("ordering", "created_at"),
            ],
            as: KonigleWire.Page<KonigleWire.Image>.self
        ).payload.first
        guard let first else {
            throw GalleryError(
                .notFound, "No gallery '\(slug)' on \(api.name)", backend: api.name, gallery: slug,
                hint: "Create the gallery first; in tags mode it exists through its tagged images.")
        }
        let title = KonigleGalleryMeta(slug: slug, meta: first.meta, tags: first.tags ?? [])?.title ?? slug
        await state.learn(title: title, of: slug)
        return title
    }

    /// Writes a member's record into its `meta` and tags.
    private func write(_ record: KonigleGalleryMeta, on image: KonigleWire.Image) async throws {
        let positionTag = await state.metaDropped
        _ = try await api.send(
            "PATCH", try Self.path(ItemID(image.id)),
            body: AssetPatch(
                tags: record.tags(replacing: image.tags ?? [], positionTag: positionTag),
                meta: record.meta(replacing: image.meta)),
            as: KonigleWire.Image.self)
    }

    private func image(_ id: ItemID) async throws -> KonigleWire.Image {
        try await api.get(try Self.path(id), as: KonigleWire.Image.self)
    }

    static func path(_ id: ItemID) throws -> String { "\(assets)/\(try KonigleProductGalleries.segment(id.rawValue))" }

    /// `name` is the item's title; without one, its file name (255 characters at most).
    static func name(title: String?, filename: String) -> String {
        String((title.flatMap { $0.isEmpty ? nil : $0 } ?? filename).prefix(255))
    }

    static func item(_ image: KonigleWire.Image) -> Item {
        let filename = KonigleWire.filename(fromURL: image.assetURL) ?? image.name
        return Item(
            id: ItemID(image.id), filename: filename, mimeType: image.mimeType, byteCount: image.size ?? 0,
            caption: image.description.flatMap { $0.isEmpty ? nil : $0 },
            altText: image.altText.flatMap { $0.isEmpty ? nil : $0 },
            title: image.name == filename ? nil : image.name, created: KonigleWire.date(image.createdAt))
    }
}

/// What a tags-mode backend remembers between calls: galleries created with no members yet, titles learnt,
/// and whether the server keeps `meta`.
actor KonigleTagState {
    private var pendingTitles: [String: String] = [:]
    private var titles: [String: String] = [:]
    private(set) var metaDropped = false

    func remember(_ slug: String, title: String) {
        pendingTitles[slug] = title
        titles[slug] = title
    }

    func pendingTitle(_ slug: String) -> String? { pendingTitles[slug] }
    func pending() -> [(String, String)] { pendingTitles.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } }
    func forgetPending(_ slug: String) { pendingTitles[slug] = nil }
    func title(of slug: String) -> String? { titles[slug] }
    func learn(title: String, of slug: String) { titles[slug] = title }
    func noteMetaDropped() { metaDropped = true }
}
