import Crypto
import Foundation

/// One row of Kanka's `images` table: an image or a folder (Docs/kanka.md). Coded without its bytes, which a
/// data folder keeps one file per image (``KankaPersistence``).
struct KankaImage: Sendable, Codable {
    var id: String
    var name: String
    var description: String?
    var author: String?
    var isFolder: Bool
    var folderID: String?
    var ext: String?
    var bytes: [UInt8] = []
    /// Kibibytes, rounded up; `nil` for folders.
    var sizeKiB: Int?
    /// Unix seconds: the database keeps whole seconds.
    var createdAt: Int
    var createdBy: Int
    var updatedAt: Int
    var visibilityID: Int
    /// `campaigns/{campaign}/{uuid}/1.{ext}`: where the CDN serves the original.
    var storagePath: String?

    enum CodingKeys: String, CodingKey {
        case id, name, description, author, isFolder, folderID, ext, sizeKiB, createdAt, createdBy, updatedAt
        case visibilityID, storagePath
    }

    /// The §2 object, keys in the real order. `origin` is the scheme and host the client used.
    func json(origin: String) -> KankaJSON {
        .object([
            ("id", .string(id)),
            ("name", .string(name)),
            ("description", .string(description)),
            ("author", .string(author)),
            ("is_folder", .bool(isFolder)),
            ("folder_id", .string(folderID)),
            ("path", .string(thumbnailURL(origin: origin))),
            ("ext", .string(ext)),
            ("version", 1),
            ("size", .int(sizeKiB)),
            ("created_at", .string(KankaClock.timestamp(createdAt))),
            ("created_by", .int(createdBy)),
            ("updated_at", .string(KankaClock.timestamp(updatedAt))),
            ("visibility_id", .int(visibilityID)),
            ("focus_x", .null),
            ("focus_y", .null),
        ])
    }

    /// A signed 300×300 smart-crop URL whose tail after `/src/` is the storage path; SVGs get the original.
    func thumbnailURL(origin: String) -> String? {
        guard let storagePath else { return nil }
        if ext == "svg" { return "\(origin)\(KankaEmulator.cdnPath)/\(storagePath)" }
        let digest = Insecure.SHA1.hash(data: Array(("300x300/smart/src/" + storagePath).utf8))
        let signature = Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return "\(origin)\(KankaEmulator.thumbnailPath)/\(signature)/300x300/smart/src/\(storagePath)"
    }
}

/// A user behind a token: the campaign owner (admin) or a plain member who may list but not manage.
struct KankaUser: Sendable {
    var id: Int
    var canManage: Bool
}
