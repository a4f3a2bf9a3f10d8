import Crypto
import Foundation
import Hummingbird

/// The emulated service's data and rules, one actor so every request sees a consistent state.
///
/// Methods validate business rules and answer with the service's own `Response`; input shape (422) is checked by
/// the routes before they call in. With a data directory, state survives restarts (`state.json` plus the uploaded
/// files under `uploads/media/`).
actor OmnitcodeStore {
    var state: OmnitcodeState
    let options: OmnitcodeEmulator.Options
    let tokens: OmnitcodeTokens
    let dataDirectory: URL?
    /// Uploaded bytes by stored file name, when there is no data directory.
    var files: [String: [UInt8]] = [:]
    /// Media position by id: galleries look media up per link, and a linear scan made big galleries quadratic.
    var mediaIndex: [String: Int] = [:]
    /// Media position by stored file name, for the static route.
    var fileIndex: [String: Int] = [:]
    /// Rendered `gallery_media` entries by "gallery/media": every media mutation answers with the whole gallery,
    /// so re-rendering unchanged links made each answer cost O(N) in JSON building instead of copying.
    var linkCache: [String: [UInt8]] = [:]
    /// The seeded admin's login, fixed for the life of the store (and of its data directory).
    nonisolated let adminEmail: String
    nonisolated let adminPassword: String
    /// The languages at start, as `code=id` pairs: what an admin reads off the CMS when its API lists none.
    nonisolated let startingLanguageIDs: String

    static let adminPermissions = [
        "galleries:read", "galleries:create", "galleries:update", "galleries:delete",
        "media:read", "media:upload", "media:update", "media:delete",
        "languages:read", "languages:create", "languages:update", "languages:delete",
    ]

    init(options: OmnitcodeEmulator.Options) throws {
        self.options = options
        self.dataDirectory = options.dataDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) }
        var seededFiles: [String: [UInt8]] = [:]
        if let directory = dataDirectory,
            let data = try? Data(contentsOf: directory.appendingPathComponent("state.json"))
        {
            state = try JSONDecoder().decode(OmnitcodeState.self, from: data)
        } else {
            let now = Date()
            state = OmnitcodeState(
                secret: Self.randomToken(32),
                adminEmail: options.adminEmail,
                adminPassword: options.adminPassword ?? Self.randomToken(12)
            )
            state.roles = [.init(name: "admin", permissions: Self.adminPermissions)]
            let salt = Self.randomToken(8)
            state.users = [
                .init(
                    id: Self.newID(), email: state.adminEmail, passwordHash: Self.hash(state.adminPassword, salt: salt),
                    salt: salt, firstName: "Sandbox", lastName: "Admin", isActive: true, roles: ["admin"],
                    tokenVersion: 0, lastLogin: nil, createdAt: now, updatedAt: nil)
            ]
            state.languages = options.languages.sorted { $0.key < $1.key }.map { code, name in
                .init(id: Self.newID(), code: code, name: name, isDefault: code == "en", isActive: true, createdAt: now)
            }
            if options.seed == .demo { seededFiles = OmnitcodeDemoSeed.apply(to: &state) }
        }
        tokens = OmnitcodeTokens(secret: state.secret)
        for (position, media) in state.media.enumerated() {
            mediaIndex[media.id] = position
            fileIndex[media.filename] = position
        }
        adminEmail = state.adminEmail
        adminPassword = state.adminPassword
        startingLanguageIDs = state.languages.map { "\($0.code)=\($0.id)" }.sorted().joined(separator: ",")
        if let directory = dataDirectory {
            let uploads = directory.appendingPathComponent("uploads/media")
            try PrivateFiles.createFolder(directory)
            try PrivateFiles.createFolder(uploads)
            for (name, bytes) in seededFiles {
                try PrivateFiles.write(Data(bytes), to: uploads.appendingPathComponent(name))
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try PrivateFiles.write(encoder.encode(state), to: directory.appendingPathComponent("state.json"))
        } else {
            files = seededFiles
        }
    }

    // MARK: - Persistence

    func save() {
        guard let directory = dataDirectory else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(state) {
            try? PrivateFiles.write(data, to: directory.appendingPathComponent("state.json"))
        }
    }

    func writeFile(_ filename: String, _ bytes: [UInt8]) throws {
        if let directory = dataDirectory {
            try PrivateFiles.write(Data(bytes), to: directory.appendingPathComponent("uploads/media/\(filename)"))
        } else {
            files[filename] = bytes
        }
    }

    func readFile(_ filename: String) -> [UInt8]? {
        if let directory = dataDirectory {
            return (try? Data(contentsOf: directory.appendingPathComponent("uploads/media/\(filename)"))).map {
                Array($0)
            }
        }
        return files[filename]
    }

    // MARK: - Helpers

    static func newID() -> String { UUID().uuidString.lowercased() }

    static func randomToken(_ bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = (0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return OmnitcodeTokens.base64URL(Data(raw))
    }

    static func hash(_ password: String, salt: String) -> String {
        SHA256.hash(data: Data((salt + password).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// One page of `rows` in the configured list dialect: a bare array (skip/limit) or the envelope
    /// (page/per_page).
    func page(_ rows: [Any], _ paging: OmnitcodePaging) -> Response {
        switch paging {
        case .offset(let skip, let limit):
            let slice = rows.dropFirst(skip).prefix(limit)
            return OmnitcodeJSON.response(.ok, Array(slice))
        case .page(let page, let perPage):
            let total = rows.count
            let pages = total == 0 ? 0 : (total + perPage - 1) / perPage
            let slice = rows.dropFirst((page - 1) * perPage).prefix(perPage)
            return OmnitcodeJSON.response(
                .ok,
                [
                    "data": Array(slice),
                    "pagination": [
                        "total": total, "page": page, "per_page": perPage, "pages": pages,
                        "has_next": page < pages, "has_prev": page > 1,
                    ] as [String: Any],
                ])
        }
    }
}

/// How a list request pages.
enum OmnitcodePaging: Sendable {
    case offset(skip: Int, limit: Int)
    case page(page: Int, perPage: Int)
}
