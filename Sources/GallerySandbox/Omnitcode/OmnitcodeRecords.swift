import Foundation

/// The emulator's rows, as the real service's tables would hold them. Codable so `--data DIR` can keep them.
struct OmnitcodeState: Codable, Sendable {
    struct User: Codable, Sendable {
        var id: String
        var email: String
        var passwordHash: String
        var salt: String
        var firstName: String?
        var lastName: String?
        var isActive: Bool
        var roles: [String]
        var tokenVersion: Int
        var lastLogin: Date?
        var createdAt: Date
        var updatedAt: Date?
    }

    struct Role: Codable, Sendable {
        var name: String
        var permissions: [String]
    }

    struct RefreshToken: Codable, Sendable {
        var userID: String
        var revoked: Bool
    }

    struct Language: Codable, Sendable {
        var id: String
        var code: String
        var name: String
        var isDefault: Bool
        var isActive: Bool
        var createdAt: Date
        var updatedAt: Date?
    }

    struct Media: Codable, Sendable {
        var id: String
        var filename: String
        var originalFilename: String
        var mimeType: String
        var size: Int
        var altText: String?
        var uploadedBy: String
        var createdAt: Date
        var updatedAt: Date?
        var path: String { "uploads/media/\(filename)" }
    }

    struct Translation: Codable, Sendable {
        var id: String
        var languageID: String
        var title: String
        var description: String?
        var metaTitle: String?
        var metaDescription: String?
        var createdAt: Date
        var updatedAt: Date?
    }

    struct Link: Codable, Sendable {
        var mediaID: String
        var order: Int
        var caption: String?
        var createdAt: Date
    }

    struct Gallery: Codable, Sendable {
        var id: String
        var slug: String
        var status: String
        var coverImageID: String?
        var authorID: String?
        var createdBy: String
        var translations: [Translation]
        var links: [Link]
        var createdAt: Date
        var updatedAt: Date?
        var deletedAt: Date?
    }

    var secret: String
    var adminEmail: String
    var adminPassword: String
    var users: [User] = []
    var roles: [Role] = []
    var refreshTokens: [String: RefreshToken] = [:]
    var languages: [Language] = []
    var media: [Media] = []
    var galleries: [Gallery] = []
    /// Bumped by the sandbox-only "expire tokens" route: every access token issued before is refused.
    var accessEpoch: Int = 0
}

/// Timestamps as Pydantic v2 writes them: six fraction digits and `Z`.
enum OmnitcodeTime {
    /// Formatted by hand from `gmtime_r`: Calendar and `String(format:)` cost microseconds per call, and a big
    /// gallery renders thousands.
    static func string(_ date: Date) -> String {
        let interval = date.timeIntervalSince1970
        let whole = floor(interval)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let micros = min(999_999, max(0, Int((interval - whole) * 1_000_000)))
        var out: [UInt8] = []
        out.reserveCapacity(27)
        func put(_ value: Int, _ width: Int) {
            var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
            var rest = value
            for index in stride(from: width - 1, through: 0, by: -1) {
                digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
            out += digits
        }
        put(Int(parts.tm_year) + 1900, 4)
        out.append(UInt8(ascii: "-"))
        put(Int(parts.tm_mon) + 1, 2)
        out.append(UInt8(ascii: "-"))
        put(Int(parts.tm_mday), 2)
        out.append(UInt8(ascii: "T"))
        put(Int(parts.tm_hour), 2)
        out.append(UInt8(ascii: ":"))
        put(Int(parts.tm_min), 2)
        out.append(UInt8(ascii: ":"))
        put(Int(parts.tm_sec), 2)
        out.append(UInt8(ascii: "."))
        put(micros, 6)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }

    static func value(_ date: Date?) -> Any { date.map(string) ?? NSNull() }
}
