import Foundation

/// One gallery row as the API sends it (Docs/kanka.md). Recent fields (`description`, `author`,
/// `version`) may be absent on older deployments, so they decode as optional and their presence is remembered.
struct KankaRow: Decodable, Sendable {
    var id: String
    var name: String?
    var description: String?
    var author: String?
    /// Whether the deployment sends the Aug 2026 `description`/`author` fields at all.
    var hasCaptionFields: Bool
    var isFolder: Bool
    var folderID: String?
    var path: String?
    var ext: String?
    /// Kibibytes, rounded up.
    var size: Int64?
    var createdAt: String?
    var visibilityID: Int?

    enum CodingKeys: String, CodingKey {
        case id, name, description, author, path, ext, size
        case isFolder = "is_folder"
        case folderID = "folder_id"
        case createdAt = "created_at"
        case visibilityID = "visibility_id"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        author = try container.decodeIfPresent(String.self, forKey: .author)
        hasCaptionFields = container.contains(.description)
        isFolder = try container.decodeIfPresent(Bool.self, forKey: .isFolder) ?? false
        folderID = try container.decodeIfPresent(String.self, forKey: .folderID)
        path = try container.decodeIfPresent(String.self, forKey: .path)
        ext = try container.decodeIfPresent(String.self, forKey: .ext)
        size = try container.decodeIfPresent(Int64.self, forKey: .size)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        visibilityID = try container.decodeIfPresent(Int.self, forKey: .visibilityID)
    }

    /// `name.ext`, the file name as GalleryHub knows it.
    var filename: String {
        let stem = name ?? ""
        guard let ext, !ext.isEmpty else { return stem }
        return stem + "." + ext
    }

    var created: Date? {
        guard let createdAt else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: createdAt.replacingOccurrences(of: ".000000Z", with: ".000Z"))
            ?? ISO8601DateFormatter().date(from: createdAt)
    }
}

/// `{"data": …}` around one row or an array of rows.
struct KankaEnvelope<T: Decodable & Sendable>: Decodable, Sendable {
    var data: T
}

/// One page of the gallery list: rows and the paginator's `meta`.
struct KankaPage: Decodable, Sendable {
    struct Meta: Decodable, Sendable {
        var currentPage: Int
        var lastPage: Int
        enum CodingKeys: String, CodingKey {
            case currentPage = "current_page"
            case lastPage = "last_page"
        }
    }
    var data: [KankaRow]
    var meta: Meta?
}
