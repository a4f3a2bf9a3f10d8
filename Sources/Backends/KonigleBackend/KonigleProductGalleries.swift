import Foundation
import GalleryCore
import GalleryHTTP

/// Galleries as products (Docs/konigle.md "products mode"): the items are the product's images in `position`
/// order, the cover is the product's main `image`, alt text is `alt`. Product images report no byte size, so a
/// gallery read asks the file host for each (`HEAD`).
struct KonigleProductGalleries: KonigleGalleries {
    let api: KonigleAPI
    let positions = KonigleAppendPositions()

    private struct ProductBody: Encodable {
        var title: String
        var status = "draft"
        var handle: String?
        var content: [String: String] = [:]
        var options: [String] = []
        var tags = ""
    }

    private struct TitleBody: Encodable { var title: String }
    private struct CoverBody: Encodable {
        var image: String?
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(image, forKey: .image)
        }
        enum CodingKeys: String, CodingKey { case image }
    }
    private struct ImagePatch: Encodable {
        var position: Int?
        var alt: String?
    }

    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        api.pages("/admin/api/products", query: [], as: KonigleWire.Product.self) { product in
            GallerySummary(id: GalleryID(product.uid), title: product.title, slug: product.handle)
        }
    }

    func gallery(_ id: GalleryID) async throws -> Gallery {
        let product = try await product(id)
        let images = try await images(of: id)
        let sizes = try await fileSizes(images)
        let items = images.map { image in
            let filename = KonigleWire.filename(fromURL: image.url) ?? image.uid
            return Item(
                id: ItemID(image.uid), filename: filename, mimeType: MIMEType.forFilename(filename),
                byteCount: sizes[image.uid] ?? 0, altText: image.alt.flatMap { $0.isEmpty ? nil : $0 },
                created: KonigleWire.date(image.createdAt))
        }
        let cover = product.image.flatMap { uid in
            items.contains { $0.id.rawValue == uid } ? CoverRef.item(ItemID(uid)) : nil
        }
        return Gallery(
            id: id, title: product.title, slug: product.handle,
            visibility: product.status == "active" ? .public : .private, items: items, cover: cover)
    }

    func openItem(_ ref: ItemRef) async throws -> ByteStream {
        let image = try await api.get(
            "/admin/api/product-images/\(try Self.segment(ref.item.rawValue))", as: KonigleWire.ProductImage.self)
        guard let url = image.url else {
            throw GalleryError(.corruptResponse, "Product image \(image.uid) has no url", backend: api.name)
        }
        return try await api.download(url, expected: nil, item: image.uid)
    }

    /// A draft product: a gallery is not meant to go on sale by being copied.
    func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        let body = ProductBody(title: Self.title(spec.title), handle: spec.slug)
        let product = try await api.send("POST", "/admin/api/products", body: body, as: KonigleWire.Product.self)
        return GalleryID(product.uid)
    }

    func setTitle(of gallery: GalleryID, to title: String) async throws {
        _ = try await api.send(
            "PATCH", try Self.productPath(gallery), body: TitleBody(title: Self.title(title)),
            as: KonigleWire.Product.self)
    }

    /// Uploads the file at its planned place when the writer knows it (``ItemSpec/position``), else at the end of
    /// the list (`position` = count + 1). The planned place makes the order right as the uploads land, in any
    /// order, on a server that stores positions as sent, so `setOrder` moves nothing there; on one that keeps
    /// positions contiguous, `setOrder` moves what still is out of place.
    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        let product = try Self.segment(gallery.rawValue)
        let index = try await positions.index(for: spec, in: gallery.rawValue) { try await images(of: gallery).count }
        let (image, digest, sent) = try await api.upload(
            "/admin/api/product-images",
            fields: [("product", product), ("alt", spec.metadata.altText ?? ""), ("position", String(index + 1))],
            fileField: "file", spec: spec, bytes: bytes, as: KonigleWire.ProductImage.self)
        if sent != spec.byteCount {
            try? await api.delete("/admin/api/product-images/\(try Self.segment(image.uid))")
            throw GalleryError(
                .integrity, "The source gave \(sent) bytes, not the \(spec.byteCount) it declared",
                backend: api.name, item: spec.filename)
        }
        return Item(
            id: ItemID(image.uid), storing: spec,
            filename: KonigleWire.filename(fromURL: image.url) ?? spec.filename, byteCount: sent,
            digest: .sha256(digest))
    }

    func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        _ = try await api.send(
            "PATCH", "/admin/api/product-images/\(try Self.segment(ref.item.rawValue))",
            body: ImagePatch(alt: metadata.altText ?? ""), as: KonigleWire.ProductImage.self)
    }

    /// Moves each image that is out of place to its index + 1, in order. Positions are contiguous on the
    /// service as far as is known (a move shifts the others); if the order read back still differs, the server
    /// stores positions as sent, and every image gets its place explicitly.
    func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        let current = try await images(of: gallery).map(\.uid)
        let wanted = items.map(\.rawValue)
        guard Set(wanted) == Set(current), wanted.count == current.count else {
            throw GalleryError(
                .invalidInput, "setOrder needs every item of the gallery exactly once", backend: api.name,
                gallery: gallery.rawValue, hint: "Pass all \(current.count) item ids.")
        }
        await positions.forget(gallery.rawValue)
        var model = current
        for (index, uid) in wanted.enumerated() where model[index] != uid {
            try await move(uid, to: index + 1)
            model.removeAll { $0 == uid }
            model.insert(uid, at: index)
        }
        guard try await images(of: gallery).map(\.uid) != wanted else { return }
        for (index, uid) in wanted.enumerated() { try await move(uid, to: index + 1) }
    }

    func setCover(of gallery: GalleryID, to item: ItemID?) async throws {
        _ = try await api.send(
            "PATCH", try Self.productPath(gallery), body: CoverBody(image: item?.rawValue), as: KonigleWire.Product.self
        )
    }

    func removeItem(_ ref: ItemRef) async throws {
        try await api.delete("/admin/api/product-images/\(try Self.segment(ref.item.rawValue))")
        await positions.forget(ref.gallery.rawValue)
    }

    func deleteGallery(_ id: GalleryID) async throws {
        try await api.delete(try Self.productPath(id))
        await positions.forget(id.rawValue)
    }

    // MARK: - Helpers

    private func move(_ uid: String, to position: Int) async throws {
        _ = try await api.send(
            "PATCH", "/admin/api/product-images/\(try Self.segment(uid))", body: ImagePatch(position: position),
            as: KonigleWire.ProductImage.self)
    }

    private func product(_ id: GalleryID) async throws -> KonigleWire.Product {
        try await api.get(try Self.productPath(id), as: KonigleWire.Product.self)
    }

    /// The product's images by position (then creation), read to the last page.
    private func images(of gallery: GalleryID) async throws -> [KonigleWire.ProductImage] {
        let images: [KonigleWire.ProductImage] = try await api.all(
            "/admin/api/product-images",
            query: [("product_id", try Self.segment(gallery.rawValue)), ("ordering", "position")])
        return images.enumerated().sorted { lhs, rhs in
            if lhs.element.position != rhs.element.position { return lhs.element.position < rhs.element.position }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }

    /// Each image's byte size, eight `HEAD`s at a time.
    private func fileSizes(_ images: [KonigleWire.ProductImage]) async throws -> [String: Int64] {
        try await withThrowingTaskGroup(of: (String, Int64).self) { group in
            var sizes: [String: Int64] = [:]
            var pending = images.makeIterator()
            func start() {
                guard let image = pending.next(), let url = image.url else { return }
                group.addTask { (image.uid, try await api.size(of: url)) }
            }
            for _ in 0..<8 { start() }
            while let (uid, size) = try await group.next() {
                sizes[uid] = size
                start()
            }
            return sizes
        }
    }

    static func productPath(_ id: GalleryID) throws -> String { "/admin/api/products/\(try segment(id.rawValue))" }

    /// An id as a path segment; one that could not be the service's (a uid) is not found rather than spliced in.
    static func segment(_ id: String) throws -> String {
        guard !id.isEmpty, id.count <= 64,
            id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
            throw GalleryError(.notFound, "No gallery or item '\(id)': Konigle ids are uids", gallery: id)
        }
        return id
    }

    /// A product title is 1–255 characters.
    static func title(_ text: String) -> String {
        let trimmed = String(text.prefix(255))
        return trimmed.isEmpty ? "Untitled" : trimmed
    }
}
