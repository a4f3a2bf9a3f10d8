import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension OmnitcodeStore {
    /// The full GalleryResponse, links sorted by (order, created_at, media_id).
    ///
    /// Assembled from cached per-link fragments: the service answers every media mutation with the whole gallery,
    /// and rebuilding each link's JSON on every answer made adding N items cost O(N²) JSON building.
    func galleryResponse(_ gallery: Gallery, _ status: HTTPResponse.Status) -> Response {
        let links = gallery.links.sorted {
            ($0.order, $0.createdAt, $0.mediaID) < ($1.order, $1.createdAt, $1.mediaID)
        }
        var head =
            (try? JSONSerialization.data(withJSONObject: renderHead(gallery), options: [.withoutEscapingSlashes]))
            .map { Array($0) } ?? Array("{}".utf8)
        // Replace the closing brace with the gallery_media array, then close again.
        head.removeLast()
        var body = head
        body.reserveCapacity(head.count + links.count * 512)
        body += Array(#","gallery_media":["#.utf8)
        for (position, link) in links.enumerated() {
            if position > 0 { body.append(UInt8(ascii: ",")) }
            body += linkFragment(gallery.id, link)
        }
        body += Array("]}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// One `gallery_media` entry, rendered once and reused until the link or its media changes.
    func linkFragment(_ galleryID: String, _ link: OmnitcodeState.Link) -> [UInt8] {
        let key = "\(galleryID)/\(link.mediaID)"
        if let cached = linkCache[key] { return cached }
        let media = mediaRow(link.mediaID)
        let object: [String: Any] = [
            "gallery_id": galleryID, "media_id": link.mediaID, "order": link.order,
            "caption": link.caption ?? NSNull(), "created_at": OmnitcodeTime.string(link.createdAt),
            "media": media.map { render($0, full: false) } ?? NSNull(),
        ]
        let bytes =
            (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes]))
            .map { Array($0) } ?? Array("null".utf8)
        linkCache[key] = bytes
        return bytes
    }

    /// Everything of a GalleryResponse but `gallery_media`.
    func renderHead(_ gallery: Gallery) -> [String: Any] {
        let cover = gallery.coverImageID.flatMap { mediaRow($0) }
        return [
            "id": gallery.id, "slug": gallery.slug, "status": gallery.status,
            "cover_image_id": gallery.coverImageID ?? NSNull(), "author_id": gallery.authorID ?? NSNull(),
            "created_by": gallery.createdBy,
            "translations": gallery.translations.map { translation -> [String: Any] in
                [
                    "id": translation.id, "gallery_id": gallery.id, "language_id": translation.languageID,
                    "title": translation.title, "description": translation.description ?? NSNull(),
                    "meta_title": translation.metaTitle ?? NSNull(),
                    "meta_description": translation.metaDescription ?? NSNull(),
                    "created_at": OmnitcodeTime.string(translation.createdAt),
                    "updated_at": OmnitcodeTime.value(translation.updatedAt),
                ]
            },
            "cover_image": cover.map { render($0, full: false) } ?? NSNull(),
            "created_at": OmnitcodeTime.string(gallery.createdAt),
            "updated_at": OmnitcodeTime.value(gallery.updatedAt),
        ]
    }
}
