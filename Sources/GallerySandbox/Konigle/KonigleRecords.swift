import Foundation

/// One storefront asset (image, video or document): the row behind `/admin/api/storefront-assets`.
struct KonigleAsset: Sendable {
    var id: String
    var name: String
    var mimeType: String
    var altText: String
    var size: Int
    var tags: [String]
    var description: String?
    /// The stored `meta` object as JSON text, so numbers keep their JSON form.
    var meta: Data?
    var sourceURL: String?
    var width: Int?
    var height: Int?
    /// Where the bytes are kept, below `/_media/`.
    var fileKey: String
    var created: Date
    var updated: Date
    var sequence: Int

    func json(origin: String) -> [String: Any] {
        var object: [String: Any] = [
            "id": id, "name": name, "mime_type": mimeType, "alt_text": altText, "size": size,
            "asset_url": KonigleStore.mediaURL(origin: origin, key: fileKey), "tags": tags,
            "description": description ?? NSNull(), "meta": KonigleRecords.object(meta) ?? NSNull(),
            "created_at": KonigleRecords.timestamp(created), "updated_at": KonigleRecords.timestamp(updated),
        ]
        if mimeType.hasPrefix("image/") {
            object["image_width"] = width ?? NSNull()
            object["image_height"] = height ?? NSNull()
        }
        return object
    }
}

/// A private upload: a file kept in the site's storage but not published as an asset.
struct KonigleUpload: Sendable {
    enum Status: String, Sendable, Codable {
        case pending, uploading, completed, failed
    }

    var id: String
    var name: String
    var mimeType: String
    var size: Int
    var meta: Data
    var description: String
    var tags: [String]
    var storagePath: String
    var etag: String
    var status: Status
    var started: Date?
    var ended: Date?
    var created: Date
    var sequence: Int
    /// For a cloud upload: what the client declared, which the storage PUT must match.
    var declaredSize: Int?
    var fileKey: String

    func json(origin: String, hasFile: Bool) -> [String: Any] {
        [
            "id": id,
            "url": status == .completed && hasFile ? KonigleStore.mediaURL(origin: origin, key: fileKey) : NSNull(),
            "mime_type": mimeType, "name": name, "size": size, "meta": KonigleRecords.object(meta) ?? [:],
            "description": description, "created_at": KonigleRecords.timestamp(created), "storage_path": storagePath,
            "etag": etag, "status": status.rawValue,
            "upload_started_at": started.map(KonigleRecords.timestamp) ?? NSNull(),
            "upload_ended_at": ended.map(KonigleRecords.timestamp) ?? NSNull(), "tags": tags,
        ]
    }
}

/// A product, with the fields the SDK needs to parse one; `image` is its main (cover) image.
struct KonigleProduct: Sendable {
    var uid: String
    var title: String
    var handle: String
    var status: String
    var productType: String
    var vendor: String
    var tags: String
    var image: String?
    var created: Date
    var updated: Date
    var sequence: Int
}

/// One image of a product's ordered list.
struct KonigleProductImage: Sendable {
    var uid: String
    var product: String
    var alt: String
    var variantIDs: [String]
    var position: Int
    var width: Int?
    var height: Int?
    var src: String?
    var size: Int
    var fileKey: String
    var created: Date
    var updated: Date
    var sequence: Int

    func json(origin: String) -> [String: Any] {
        [
            "uid": uid, "product": product, "alt": alt, "variant_ids": variantIDs, "position": position,
            "width": width ?? NSNull(), "height": height ?? NSNull(),
            "url": KonigleStore.mediaURL(origin: origin, key: fileKey), "src": src ?? NSNull(),
            "created_at": KonigleRecords.timestamp(created), "updated_at": KonigleRecords.timestamp(updated),
        ]
    }
}

// The rows a data folder keeps (``KonigleStore``'s `state.json`); the bytes live in files of their own.
extension KonigleAsset: Codable {}
extension KonigleUpload: Codable {}
extension KonigleProduct: Codable {}
extension KonigleProductImage: Codable {}

enum KonigleRecords {
    /// `2026-01-05T10:00:00.123456Z`: DRF's default rendering, microseconds, UTC.
    static func timestamp(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let micros = Int(((interval - Double(seconds)) * 1_000_000).rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), micros)
    }

    static func object(_ data: Data?) -> Any? {
        guard let data else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    static func newID() -> String { UUID().uuidString.lowercased() }

    /// Tags as the create form and the filters send them: one comma-separated string.
    static func tags(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A file name safe in a URL path segment (percent-encoded once), used in storage keys and URLs alike.
    static func pathSegment(_ filename: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        let name = filename.isEmpty ? "file" : filename
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? "file"
    }

    /// The stored name of an uploaded file: the client's name, with the extension of the type its bytes show
    /// when the name has another (`upload.bin` holding a PNG is kept as `upload.png`).
    static func storedFilename(_ filename: String, mimeType: String) -> String {
        let extensions = [
            "image/jpeg": ["jpg", "jpeg"], "image/png": ["png"], "image/gif": ["gif"], "image/webp": ["webp"],
        ]
        guard let wanted = extensions[mimeType] else { return filename }
        let stem: String
        let ext: String
        if let dot = filename.lastIndex(of: "."), dot != filename.startIndex {
            stem = String(filename[..<dot])
            ext = filename[filename.index(after: dot)...].lowercased()
        } else {
            stem = filename.isEmpty ? "upload" : filename
            ext = ""
        }
        return wanted.contains(ext) ? filename : "\(stem).\(wanted[0])"
    }
}
