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
    static func string(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let micros = Int((date.timeIntervalSince1970 - floor(date.timeIntervalSince1970)) * 1_000_000)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, micros)
    }

    static func value(_ date: Date?) -> Any { date.map(string) ?? NSNull() }
}
