import Foundation
import HTTPTypes
public import Hummingbird
import NIOCore

/// The Kanka campaign gallery API emulator (Docs/kanka.md): `/1.0/campaigns/{id}/images[/{uuid}]` with the
/// real envelope, ordering, units, error bodies and the per-user fixed-window throttle whose 429 carries no
/// headers. It shares no code with the Kanka adapter.
///
/// Besides the API it serves the two static hosts the real service has: thumbnails under ``thumbnailPath`` and
/// originals (the UGC CDN) under ``cdnPath``. Folders cannot be created through the API, so they are seeded
/// (`Options.seed`, ``createFolder(name:parent:)``, or `POST /__sandbox/kanka/folders`).
public struct KankaEmulator: Emulator {
    /// What a fresh emulator holds.
    public enum Seed: String, Sendable, CaseIterable {
        /// An empty campaign gallery.
        case empty
        /// Three folders (one nested) and a few images.
        case demo
    }

    public struct Options: Sendable {
        public var seed: Seed
        /// The owner's personal access token (campaign admin).
        public var token: String
        /// A second user who is a member but may not manage the campaign: lists work, the rest is 403.
        public var memberToken: String?
        public var campaignID: Int
        public var campaignSlug: String
        /// Requests per window per user (30; 90 for subscribers).
        public var rateLimit: Int
        /// The throttle's window: 60 s on the real service, shorter in tests.
        public var rateWindow: Duration
        /// Page size of the gallery list: 45, or 100 for subscribers.
        public var pageSize: Int
        /// Largest file, in KiB (3072 for a free account).
        public var maxFileKiB: Int
        /// Campaign storage, in KiB (150 MiB for a standard campaign).
        public var storageKiB: Int
        /// How an uploaded file's name becomes the image's `name` (Docs/kanka.md, "Names").
        public var nameRule: NameRule = .strip
        /// What an upload does with files once one no longer fits the campaign's storage.
        public var quotaOverflow: QuotaOverflow = .dropRest
        /// Where the gallery's rows and files persist across restarts; in memory only when `nil`.
        public var dataDirectory: String?

        public init(
            seed: Seed = .empty,
            token: String = KankaEmulator.makeToken(),
            memberToken: String? = KankaEmulator.makeToken(),
            campaignID: Int = 4821,
            campaignSlug: String = "sandbox-campaign",
            rateLimit: Int = 30,
            rateWindow: Duration = .seconds(60),
            pageSize: Int = 45,
            maxFileKiB: Int = 3072,
            storageKiB: Int = 150 * 1024
        ) {
            self.seed = seed
            self.token = token
            self.memberToken = memberToken
            self.campaignID = campaignID
            self.campaignSlug = campaignSlug
            self.rateLimit = rateLimit
            self.rateWindow = rateWindow
            self.pageSize = pageSize
            self.maxFileKiB = maxFileKiB
            self.storageKiB = storageKiB
        }
    }

    public enum NameRule: String, Sendable {
        /// The last extension goes, whatever precedes it: `.png` becomes an empty name.
        case strip
        /// A name that is only an extension (`.png`) is kept whole.
        case dotfile
    }

    public enum QuotaOverflow: String, Sendable {
        /// The first file that does not fit ends the upload: it and every later file are dropped, silently.
        case dropRest
        /// Each file is stored if it still fits, so a smaller later file can be.
        case skipEach
    }

    /// One window of the throttle: when it opened (on the emulator's clock) and what it counted and refused.
    public struct ThrottleWindow: Sendable, Equatable {
        public var start: Duration
        public var counted: Int
        public var throttled: Int
    }

    static let ownerID = 1337
    static let memberID = 1338
    /// Where thumbnails are served (the real service's `th.kanka.io`).
    public static let thumbnailPath = "/th"
    /// Where originals are served (the real service's `cdn-ugc.kanka.io`).
    public static let cdnPath = "/cdn"

    public let platform = "kanka"
    public let options: Options
    let store: KankaStore

    /// - Parameter clock: drives the throttle's window, so tests can move time instead of waiting.
    /// - Throws: when `options.dataDirectory` cannot be created or holds unreadable state.
    public init<C: Clock>(options: Options = Options(), clock: C) throws where C.Duration == Duration {
        self.options = options
        let start = clock.now
        let store = try KankaStore(options: options, elapsed: { start.duration(to: clock.now) })
        self.store = store
        self.seededFolders = store.initialFolders
    }

    public init(options: Options = Options()) throws {
        try self.init(options: options, clock: ContinuousClock())
    }

    /// The folders the seed created, as `path → id`.
    public let seededFolders: [(path: String, id: String)]

    /// The API lives below `/1.0`, as on `api.kanka.io`.
    public var basePath: String { "/1.0" }

    /// A client's name for the campaign and the seeded folder ids, which no remote option takes.
    public var readyDocumentOnly: Set<String> { ["campaignId", "folders"] }

    /// `token`, `campaign` (the remote option) and `campaignId` (the same id, as clients name it), `cdn` (the
    /// originals' route on this server, which the adapter resolves against the API's origin), `rate` and `window`
    /// when the throttle is not Kanka's own 30 per minute, and, when seeded, `folders` as
    /// `Maps=<id>;Maps/Coast=<id>`.
    public var credentials: [(key: String, value: String)] {
        let campaign = String(options.campaignID)
        var list: [(key: String, value: String)] = [
            ("token", options.token), ("campaign", campaign), ("campaignId", campaign), ("cdn", Self.cdnPath),
        ]
        if options.rateLimit != 30 || options.rateWindow != .seconds(60) {
            let seconds =
                Double(options.rateWindow.components.seconds)
                + Double(options.rateWindow.components.attoseconds) / 1e18
            list.append(("rate", String(options.rateLimit)))
            list.append(("window", String(seconds)))
        }
        if !seededFolders.isEmpty {
            list.append(("folders", seededFolders.map { "\($0.path)=\($0.id)" }.joined(separator: ";")))
        }
        return list
    }

    /// Seeded folders as `path → id` (`Maps/Coast`), in path order.
    public func folders() async -> [(path: String, id: String)] { await store.folderPaths() }

    /// Creates a folder as the web UI would; `parent` nests it.
    @discardableResult
    public func createFolder(name: String, parent: String? = nil) async throws -> String {
        try await store.createFolder(name: name, parent: parent).id
    }

    /// What the throttle counted and refused so far.
    public func stats() async -> (counted: Int, throttled: Int, unauthenticated: Int) {
        let stats = await store.stats
        return (stats.counted, stats.throttled, stats.unauthenticated)
    }

    /// Counted requests by kind: list pages read, upload requests and the files they carried.
    public func requestKinds() async -> (listings: Int, uploads: Int, uploadedFiles: Int) {
        let stats = await store.stats
        return (stats.listings, stats.uploads, stats.uploadedFiles)
    }

    /// The owner token's throttle windows, oldest first.
    public func throttleWindows() async -> [ThrottleWindow] { await store.ownerWindows() }

    public func addRoutes(to router: Router<SandboxRequestContext>) {
        for prefix in ["/1.0", "/api/1.0"] { addGalleryRoutes(to: router, prefix: prefix) }
        addStaticRoutes(to: router)
    }

    /// `POST /__sandbox/kanka/folders` `{"name": …, "folder_id": …}` creates a folder (201 with the §2 object);
    /// `GET /__sandbox/kanka/folders` lists them; `GET /__sandbox/kanka/stats` reads the throttle's counters.
    public func addAdminRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        router.post("/__sandbox/kanka/folders") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            let object =
                (try? JSONSerialization.jsonObject(with: Data(body.readableBytesView))) as? [String: Any] ?? [:]
            guard let name = object["name"] as? String, !name.isEmpty else {
                throw KankaError.validation([("name", ["The name field is required."])])
            }
            let folder = try await store.createFolder(name: name, parent: object["folder_id"] as? String)
            return KankaJSON.object([("data", folder.json(origin: Self.origin(of: request)))]).response(.created)
        }
        router.get("/__sandbox/kanka/folders") { _, _ -> Response in
            let folders = await store.folderPaths()
            return KankaJSON.array(folders.map { .object([("path", .string($0.path)), ("id", .string($0.id))]) })
                .response(.ok)
        }
        router.get("/__sandbox/kanka/stats") { _, _ -> Response in
            let stats = await store.stats
            return KankaJSON.object([
                ("counted", .int(stats.counted)), ("throttled", .int(stats.throttled)),
                ("unauthenticated", .int(stats.unauthenticated)), ("listings", .int(stats.listings)),
                ("uploads", .int(stats.uploads)), ("uploadedFiles", .int(stats.uploadedFiles)),
            ]).response(.ok)
        }
    }

    public func inventory() async -> SandboxInventory? { await store.inventory() }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited: KankaError.throttled(limit: options.rateLimit).response
        case .serverError: KankaError.unhandled("Server Error").response
        }
    }

    public func errorResponse(for error: any Error) -> Response {
        if let error = error as? KankaError { return error.response }
        if let error = error as? HTTPError, error.status == .notFound { return KankaError.pageNotFound.response }
        return KankaError.unhandled(String(describing: error)).response
    }

    // MARK: - Helpers shared by the routes and the seed

    /// `http://host:port` as the client addressed us, for the absolute URLs Laravel builds from the request.
    static func origin(of request: Request) -> String {
        "http://" + (request.head.authority ?? "127.0.0.1")
    }

    /// The client's file name minus its last extension, cut to 45 characters, tags stripped, trimmed.
    static func imageName(fromFilename filename: String, rule: NameRule = .strip) -> String {
        var stem = filename
        if let dot = stem.lastIndex(of: "."), rule == .strip || dot != stem.startIndex {
            stem = String(stem[..<dot])
        }
        stem = String(stem.prefix(45))
        return stripTags(stem).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func stripTags(_ text: String) -> String {
        text.replacingOccurrences(of: "<[^>]*>", with: "", options: .regularExpression)
    }

    /// The environment variable that gives the sandbox's Kanka throttle a short window (`30/6s`), so client
    /// checks can watch it roll without waiting a minute.
    public static let rateEnvironmentKey = "GALLERY_HUB_SANDBOX_KANKA_RATE"

    /// `30/60s` or `30/6` → 30 requests per window of that many seconds.
    public static func parseRate(_ text: String) -> (limit: Int, window: Duration)? {
        let parts = text.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let limit = Int(parts[0]), limit > 0,
            let seconds = Double(parts[1].hasSuffix("s") ? String(parts[1].dropLast()) : parts[1]), seconds > 0
        else { return nil }
        return (limit, .milliseconds(Int(seconds * 1000)))
    }

    /// A long random token shaped like Passport's (`eyJ…`).
    public static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        let tail = String((0..<96).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
        return "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + tail
    }
}

extension KankaEmulator.Options {
    /// Applies `--variant kanka:…` choices (``SandboxVariants``), already checked.
    public mutating func apply(_ variants: [String: String]) {
        if let value = variants["name-rule"], let rule = KankaEmulator.NameRule(rawValue: value) { nameRule = rule }
        switch variants["quota-overflow"] {
        case "drop-rest": quotaOverflow = .dropRest
        case "skip-each": quotaOverflow = .skipEach
        default: break
        }
    }
}
