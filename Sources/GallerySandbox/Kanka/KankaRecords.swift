import Crypto
import Foundation

/// One row of Kanka's `images` table: an image or a folder (specs/kanka.md §2).
struct KankaImage: Sendable {
    var id: String
    var name: String
    var description: String?
    var author: String?
    var isFolder: Bool
    var folderID: String?
    var ext: String?
    var bytes: [UInt8]
    /// Kibibytes, rounded up; `nil` for folders.
    var sizeKiB: Int?
    /// Unix seconds: the database keeps whole seconds.
    var createdAt: Int
    var createdBy: Int
    var updatedAt: Int
    var visibilityID: Int
    /// `campaigns/{campaign}/{uuid}/1.{ext}`: where the CDN serves the original.
    var storagePath: String?

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

/// Time helpers: UUIDv7 ids and Laravel's timestamp format.
enum KankaClock {
    /// `2026-08-21T09:14:05.000000Z`: whole seconds, six zero fraction digits.
    static func timestamp(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return text.replacingOccurrences(of: "Z", with: ".000000Z")
    }

    /// Whole Unix seconds of an ISO-8601 timestamp, with or without fraction digits.
    static func seconds(fromTimestamp text: String) -> Int? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trimmed = text.replacingOccurrences(of: ".000000Z", with: "Z")
        guard let date = plain.date(from: trimmed) ?? fractional.date(from: text) else { return nil }
        return Int(date.timeIntervalSince1970)
    }

    static func nowSeconds() -> Int { Int(Date().timeIntervalSince1970) }

    /// A lower-case UUIDv7: 48 bits of Unix milliseconds, then random bits with the version and variant set.
    static func uuid7() -> String {
        let millis = UInt64(Date().timeIntervalSince1970 * 1000)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8((millis >> (8 * (5 - UInt64(index)))) & 0xFF) }
        var generator = SystemRandomNumberGenerator()
        for index in 6..<16 { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }

    /// Whether `id` has the UUID shape Laravel's route binding accepts.
    static func isUUID(_ id: String) -> Bool {
        let groups = id.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
