import Foundation
import Hummingbird

extension OmnitcodeStore {
    typealias Media = OmnitcodeState.Media

    /// The upload allow-list, by MIME type, with the extensions each may carry.
    static let allowedTypes: [String: [String]] = [
        "image/jpeg": ["jpg", "jpeg"], "image/png": ["png"], "image/gif": ["gif"], "image/webp": ["webp"],
        "image/svg+xml": ["svg"], "application/pdf": ["pdf"], "video/mp4": ["mp4"], "video/webm": ["webm"],
    ]
    static let maxUploadBytes = 10 * 1024 * 1024

    /// Stores an upload under a new UUID name that keeps the extension; the client's name survives as
    /// `original_filename`.
    func storeUpload(originalFilename: String, mimeType: String, bytes: [UInt8], by user: User) throws -> Response {
        let given = (originalFilename as NSString).pathExtension.lowercased()
        let allowed = Self.allowedTypes[mimeType] ?? []
        let ext = allowed.contains(given) ? given : (allowed.first ?? "bin")
        let filename = "\(Self.newID()).\(ext)"
        try writeFile(filename, bytes)
        let media = Media(
            id: Self.newID(), filename: filename, originalFilename: originalFilename, mimeType: mimeType,
            size: bytes.count, altText: nil, uploadedBy: user.id, createdAt: Date(), updatedAt: nil)
        mediaIndex[media.id] = state.media.count
        fileIndex[media.filename] = state.media.count
        state.media.append(media)
        save()
        return OmnitcodeJSON.response(.created, render(media, full: true))
    }

    func listMedia(_ paging: OmnitcodePaging, imagesOnly: Bool) -> Response {
        let rows = state.media.filter { !imagesOnly || $0.mimeType.hasPrefix("image/") }
        return page(rows.map { render($0, full: true) }, paging)
    }

    /// Rows in the media library, linked to a gallery or not.
    var mediaCount: Int { state.media.count }

    /// The media row with this id.
    func mediaRow(_ id: String) -> Media? { mediaIndex[id].map { state.media[$0] } }

    func media(_ id: String) throws -> Response {
        guard let media = mediaRow(id) else { throw OmnitcodeError.notFound("Media") }
        return OmnitcodeJSON.response(.ok, render(media, full: true))
    }

    func updateMedia(_ id: String, altText: Field<String>) throws -> Response {
        guard let index = mediaIndex[id] else { throw OmnitcodeError.notFound("Media") }
        switch altText {
        case .absent: break
        case .null: state.media[index].altText = nil
        case .value(let text): state.media[index].altText = text
        }
        state.media[index].updatedAt = Date()
        // Every gallery link embedding this media shows the new alt text.
        for key in linkCache.keys where key.hasSuffix("/\(id)") { linkCache[key] = nil }
        save()
        return OmnitcodeJSON.response(.ok, render(state.media[index], full: true))
    }

    /// A stored file for the static route: its bytes and type.
    func staticFile(_ filename: String) -> (mimeType: String, bytes: [UInt8])? {
        guard let position = fileIndex[filename], case let media = state.media[position], let bytes = readFile(filename)
        else {
            return nil
        }
        return (media.mimeType, bytes)
    }

    /// A media row as JSON: the short form nested in galleries, or the full MediaResponse.
    func render(_ media: Media, full: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "id": media.id, "filename": media.filename, "original_filename": media.originalFilename,
            "mime_type": media.mimeType, "size": media.size, "path": media.path,
            "alt_text": media.altText ?? NSNull(),
        ]
        if full {
            object["uploaded_by"] = media.uploadedBy
            object["created_at"] = OmnitcodeTime.string(media.createdAt)
            object["updated_at"] = OmnitcodeTime.value(media.updatedAt)
        }
        return object
    }
}
