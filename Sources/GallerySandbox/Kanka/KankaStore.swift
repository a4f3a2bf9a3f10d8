import HTTPTypes

/// The Kanka emulator's state: one campaign's gallery rows, the users behind the tokens, and the throttle.
actor KankaStore {
    /// What the throttle and the auth check saw, for tests and `gallery-hub bench kanka`.
    struct Stats: Sendable, Codable, Equatable {
        /// Requests that passed the token check and were counted against the budget.
        var counted = 0
        /// Requests refused with the bare-array 429.
        var throttled = 0
        /// Requests refused with 401 (not counted).
        var unauthenticated = 0
        /// Counted requests for a page of the gallery list.
        var listings = 0
        /// Counted upload requests, and the `file[]` parts they carried.
        var uploads = 0
        var uploadedFiles = 0
    }

    /// A counted request read a page of the list.
    func noteListing() { stats.listings += 1 }

    /// A counted upload request carried `files` file parts.
    func noteUpload(files: Int) {
        stats.uploads += 1
        stats.uploadedFiles += files
    }

    let options: KankaEmulator.Options
    private let elapsed: @Sendable () -> Duration
    private var rows: [String: KankaImage] = [:] {
        didSet { persistence?.save(rows, previous: oldValue) }
    }
    private let persistence: KankaPersistence?
    private var throttle: KankaThrottle
    private(set) var stats = Stats()

    init(options: KankaEmulator.Options, elapsed: @escaping @Sendable () -> Duration) throws {
        self.options = options
        self.elapsed = elapsed
        self.throttle = KankaThrottle(limit: options.rateLimit, window: options.rateWindow)
        persistence = try options.dataDirectory.map(KankaPersistence.init(directory:))
        var seeded: [String: KankaImage] = [:]
        if let stored = try persistence?.load() {
            seeded = stored
        } else {
            if options.seed == .demo { KankaDemoSeed.apply(to: &seeded, campaignID: options.campaignID) }
            persistence?.save(seeded, previous: [:])
        }
        self.rows = seeded
        self.initialFolders = Self.folderPaths(seeded)
    }

    /// The folders present when the store was made (the seed's), readable without awaiting the actor.
    nonisolated let initialFolders: [(path: String, id: String)]

    // MARK: - The request pipeline: token, throttle, campaign (the order Docs/kanka.md gives)

    func authenticate(_ authorization: String?) throws -> KankaUser {
        let token = authorization.flatMap { header -> String? in
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
            return String(parts[1])
        }
        if token == options.token { return KankaUser(id: KankaEmulator.ownerID, canManage: true) }
        if let member = options.memberToken, token == member {
            return KankaUser(id: KankaEmulator.memberID, canManage: false)
        }
        stats.unauthenticated += 1
        throw KankaError.unauthenticated
    }

    /// Counts the request; returns the headers every counted answer carries.
    func throttle(_ user: KankaUser) throws -> HTTPFields {
        guard let remaining = throttle.hit(user: user.id, now: elapsed()) else {
            stats.throttled += 1
            throw KankaError.throttled(limit: options.rateLimit)
        }
        stats.counted += 1
        var headers = HTTPFields()
        headers[HTTPField.Name("X-RateLimit-Limit")!] = String(options.rateLimit)
        headers[HTTPField.Name("X-RateLimit-Remaining")!] = String(remaining)
        return headers
    }

    /// A numeric string matches the id, anything else the slug.
    nonisolated func checkCampaign(_ parameter: String) throws {
        let matches =
            parameter.allSatisfy(\.isNumber) ? Int(parameter) == options.campaignID : parameter == options.campaignSlug
        guard matches else { throw KankaError.campaignNotFound }
    }

    // MARK: - Rows

    /// The owner's throttle windows, oldest first.
    func ownerWindows() -> [KankaEmulator.ThrottleWindow] { throttle.history[KankaEmulator.ownerID] ?? [] }

    func image(_ id: String) throws -> KankaImage {
        guard KankaClock.isUUID(id), let row = rows[id.lowercased()] else { throw KankaError.imageNotFound(id) }
        return row
    }

    /// Every row in the list's order: folders first, newest `updated_at` first, then name.
    func ordered() -> [KankaImage] {
        rows.values.sorted { lhs, rhs in
            if lhs.isFolder != rhs.isFolder { return lhs.isFolder }
            if lhs.updatedAt != rhs.updatedAt { return lhs.updatedAt > rhs.updatedAt }
            if lhs.name != rhs.name { return lhs.name < rhs.name }
            return lhs.id < rhs.id
        }
    }

    func isFolder(_ id: String) -> Bool { rows[id]?.isFolder == true }

    /// Storage in use, in KiB, as Kanka sums it.
    var usedKiB: Int { rows.values.reduce(0) { $0 + ($1.sizeKiB ?? 0) } }

    var availableKiB: Int { max(0, options.storageKiB - usedKiB) }

    /// Stores files in order, silently skipping those that no longer fit the campaign's storage.
    func store(_ files: [(name: String, ext: String, bytes: [UInt8])], folderID: String?, by user: KankaUser)
        -> [KankaImage]
    {
        Self.store(
            files, folderID: folderID, by: user, available: availableKiB, campaignID: options.campaignID,
            overflow: options.quotaOverflow, into: &rows)
    }

    static func store(
        _ files: [(name: String, ext: String, bytes: [UInt8])], folderID: String?, by user: KankaUser, available: Int,
        campaignID: Int, overflow: KankaEmulator.QuotaOverflow = .dropRest, into rows: inout [String: KankaImage]
    ) -> [KankaImage] {
        var remaining = available
        var stored: [KankaImage] = []
        let now = KankaClock.nowSeconds()
        for file in files {
            let kib = (file.bytes.count + 1023) / 1024
            guard kib <= remaining else {
                if overflow == .dropRest { break }
                continue
            }
            remaining -= kib
            let id = KankaClock.uuid7()
            let row = KankaImage(
                id: id, name: file.name, description: nil, author: nil, isFolder: false, folderID: folderID,
                ext: file.ext,
                bytes: file.bytes, sizeKiB: kib, createdAt: now, createdBy: user.id, updatedAt: now, visibilityID: 1,
                storagePath: "campaigns/\(campaignID)/\(id)/1.\(file.ext)")
            rows[id] = row
            stored.append(row)
        }
        return stored
    }

    /// Writes the fields present in an update; `updated_at` moves only when something changed.
    func update(_ id: String, name: String, description: String??, author: String??, folderID: String??) throws
        -> KankaImage
    {
        var row = try image(id)
        let before = (row.name, row.description, row.author, row.folderID)
        row.name = name
        if let description { row.description = description }
        if let author { row.author = author }
        if let folderID { row.folderID = folderID }
        if before != (row.name, row.description, row.author, row.folderID) { row.updatedAt = KankaClock.nowSeconds() }
        rows[row.id] = row
        return row
    }

    /// Deletes a row and, for a folder, everything below it.
    func delete(_ id: String) throws {
        let row = try image(id)
        var doomed = [row.id]
        var index = 0
        while index < doomed.count {
            let parent = doomed[index]
            doomed.append(contentsOf: rows.values.filter { $0.folderID == parent }.map(\.id))
            index += 1
        }
        for id in doomed { rows[id] = nil }
    }

    /// Folders exist only through the web UI; the sandbox seeds them with this.
    func createFolder(name: String, parent: String?) throws -> KankaImage {
        if let parent, !isFolder(parent) {
            throw KankaError.validation([("folder_id", ["The selected folder id is invalid."])])
        }
        return Self.createFolder(name: name, parent: parent, into: &rows)
    }

    static func createFolder(name: String, parent: String?, into rows: inout [String: KankaImage]) -> KankaImage {
        let now = KankaClock.nowSeconds()
        let row = KankaImage(
            id: KankaClock.uuid7(), name: String(name.prefix(45)), description: nil, author: nil, isFolder: true,
            folderID: parent, ext: nil, bytes: [], sizeKiB: nil, createdAt: now, createdBy: KankaEmulator.ownerID,
            updatedAt: now, visibilityID: 1, storagePath: nil)
        rows[row.id] = row
        return row
    }

    /// The original bytes at a storage path, as the CDN serves them.
    func original(storagePath: String) -> KankaImage? {
        rows.values.first { $0.storagePath == storagePath }
    }

    /// Folders as `path → id` (`Maps/Coast`), for the sandbox listing.
    func folderPaths() -> [(path: String, id: String)] { Self.folderPaths(rows) }

    /// Every folder with the files directly in it, and the campaign root's files as the gallery with id `root`
    /// (Kanka's root is a gallery of its own, so nothing is unattached).
    func inventory() -> SandboxInventory {
        var byFolder: [String: [KankaImage]] = [:]
        for row in rows.values where !row.isFolder { byFolder[row.folderID ?? "root", default: []].append(row) }
        func items(_ folder: String) -> [SandboxInventory.Item] {
            (byFolder[folder] ?? []).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.map {
                SandboxInventory.Item(name: $0.name + ($0.ext.map { "." + $0 } ?? ""), bytes: $0.bytes.count)
            }
        }
        var galleries = Self.folderPaths(rows).map {
            SandboxInventory.Gallery(id: $0.id, title: $0.path, items: items($0.id))
        }
        if byFolder["root"] != nil { galleries.append(.init(id: "root", title: "", items: items("root"))) }
        return SandboxInventory(galleries: galleries, unattached: [])
    }

    static func folderPaths(_ rows: [String: KankaImage]) -> [(path: String, id: String)] {
        func path(of row: KankaImage) -> String {
            var parts = [row.name]
            var parent = row.folderID
            var guardCount = 0
            while let id = parent, let up = rows[id], guardCount < 64 {
                parts.insert(up.name, at: 0)
                parent = up.folderID
                guardCount += 1
            }
            return parts.joined(separator: "/")
        }
        return rows.values.filter(\.isFolder).map { (path(of: $0), $0.id) }.sorted { $0.path < $1.path }
    }
}
