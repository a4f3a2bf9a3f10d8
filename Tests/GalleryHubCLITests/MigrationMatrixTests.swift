import Foundation
import GalleryConformance
import GalleryCore
import LocalBackend
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Any to any, through the built CLI: every ordered pair of backends runs `plan` → `copy` → `verify` → a second
/// `copy`, each pair against a sandbox of its own. The plan must list exactly the losses the two sides'
/// capabilities predict for the seeded set, `verify` must pass allowing them, and the second copy must write
/// nothing.
@Suite struct MigrationMatrixTests {
    @Test(.timeLimit(.minutes(20)))
    func everyOrderedPairPlansCopiesVerifiesAndRerunsWithoutWrites() async throws {
        let root = NSTemporaryDirectory() + "gh-matrix-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let set = try await MatrixSet.write(to: root + "/set")
        // GALLERY_HUB_MATRIX=stash,kanka keeps only the pairs with one of those sides (while working on one).
        let only = ProcessInfo.processInfo.environment["GALLERY_HUB_MATRIX"].map {
            Set($0.split(separator: ",").map(String.init))
        }
        var pairs: [(MatrixSide, MatrixSide)] = []
        for source in MatrixSide.all {
            for destination in MatrixSide.all where destination != source || source == .local {
                if let only, !only.contains(source.name), !only.contains(destination.name) { continue }
                pairs.append((source, destination))
            }
        }
        // Two pairs at a time: each pair's sandbox and CLI runs are separate processes.
        var rows: [MatrixRow] = []
        try await withThrowingTaskGroup(of: MatrixRow.self) { group in
            var pending = pairs[...]
            for _ in 0..<2 {
                guard let (source, destination) = pending.popFirst() else { break }
                group.addTask { try await MatrixPair(source, destination, set: set, root: root).run() }
            }
            while let row = try await group.next() {
                rows.append(row)
                if let (source, destination) = pending.popFirst() {
                    group.addTask {
                        try await MatrixPair(source, destination, set: set, root: root).run()
                    }
                }
            }
        }
        rows.sort { $0.pair < $1.pair }
        print(MatrixRow.table(rows))
        for row in rows {
            #expect(row.problems.isEmpty, "\(row.pair): \(row.problems.joined(separator: "; "))")
        }
        #expect(rows.count == pairs.count)
    }
}

/// One backend of the matrix: Local (a folder) or a remote of an emulator of the sandbox.
struct MatrixSide: Hashable, Sendable {
    /// How the table names it.
    var name: String
    /// The sandbox platform that plays it, if any, and the remote the sandbox's remotes file names for it.
    var platform: String?
    var remote: String?
    /// Whether its reads carry platform fields (`extra`) of its own, beyond what it was given.
    var readsExtras = false
    /// The visibility its reads report for a gallery it was given as public, when it keeps none as given
    /// (Konigle creates products as drafts, which read back private).
    var readsVisibility: String?

    static let local = MatrixSide(name: "local")
    static let all: [MatrixSide] = [
        .local,
        MatrixSide(name: "omnitcode", platform: "omnitcode", remote: "sandbox-omnitcode:"),
        MatrixSide(name: "kanka", platform: "kanka", remote: "sandbox-kanka:", readsExtras: true),
        MatrixSide(name: "konigle", platform: "konigle", remote: "sandbox-konigle:", readsVisibility: "private"),
        MatrixSide(name: "konigle-tags", platform: "konigle", remote: "sandbox-konigle-tags:"),
        MatrixSide(name: "stash", platform: "stash", remote: "sandbox-stash:"),
    ]
}

/// The part of a remote's capabilities the matrix predicts losses from.
struct DeclaredCapabilities: Sendable {
    var order = "none"
    var cover = "none"
    /// The boolean capabilities that are true.
    var flags: Set<String> = []
    var maxItemBytes = Int64.max
    var visibilities: [String] = []

    /// From a plan document's `source` or `destination`: `{"name": …, "capabilities": {…}}`.
    init(side: Any?) {
        let json = (side as? [String: Any])?["capabilities"] as? [String: Any] ?? [:]
        order = json["order"] as? String ?? "none"
        cover = json["cover"] as? String ?? "none"
        flags = Set(json.compactMap { key, value in (value as? Bool) == true ? key : nil })
        maxItemBytes = (json["maxItemBytes"] as? Int).map(Int64.init) ?? .max
        visibilities = json["visibilities"] as? [String] ?? []
    }
}

/// The seeded set: three galleries of 25 images, one of 6 MB, with captions, alt text, a cover, an order that is
/// not the names' order, names with spaces, accents and emoji, nesting, and the title "Rome" at two places.
struct MatrixSet: Sendable {
    static let bigItemBytes: Int64 = 6_000_000
    let folder: String

    static func write(to folder: String) async throws -> MatrixSet {
        let local = try LocalBackend(root: folder)
        let layout: [(parent: String?, title: String, count: Int)] = [
            (nil, "Ports & Piers ⚓", 10), ("trips", "Rome", 8), ("archive", "Rome", 7),
        ]
        var parents: [String: GalleryID] = [:]
        var seed: UInt64 = 1
        for (parent, title, count) in layout {
            var parentID: GalleryID?
            if let parent {
                if parents[parent] == nil {
                    parents[parent] = try await local.createGallery(GallerySpec(title: parent, visibility: .public))
                }
                parentID = parents[parent]
            }
            let gallery = try await local.createGallery(
                GallerySpec(title: title, visibility: .public, parent: parentID))
            var ids: [ItemID] = []
            for index in 1...count {
                let names = ["Café du port", "Ñandú 🦤", "gull on the pier", "Straße", "night ☾ boats"]
                let name = "\(names[index % names.count]) \(String(format: "%02d", index)).jpg"
                let bytes: Int64 = (title.hasPrefix("Ports") && index == 4) ? bigItemBytes : 20_000 + Int64(index) * 997
                let metadata = ItemMetadata(
                    caption: "\(title), picture \(index) — “quoted”", altText: "alt text \(index) of \(title)")
                let item = try await local.addItem(
                    to: gallery, spec: SyntheticImage.spec(name, byteCount: bytes, metadata: metadata),
                    bytes: SyntheticImage.stream(byteCount: bytes, seed: seed))
                seed += 1
                ids.append(item.id)
            }
            // An order that is not the names' order, and a small member cover.
            try await local.setOrder(of: gallery, to: ids.reversed())
            try await local.setCover(of: gallery, to: .item(ids[1]))
        }
        try await local.flush()
        return MatrixSet(folder: folder)
    }
}

/// One row of the printed table.
struct MatrixRow: Sendable {
    var pair: String
    var copied = 0
    var losses: [String] = []
    var verified = false
    var secondRunWrites = -1
    var seconds = 0.0
    var problems: [String] = []

    static func table(_ rows: [MatrixRow]) -> String {
        var lines = ["pair                        copied  verify  2nd-run writes  seconds  losses"]
        for row in rows {
            lines.append(
                row.pair.padding(toLength: 28, withPad: " ", startingAt: 0)
                    + String(row.copied).padding(toLength: 8, withPad: " ", startingAt: 0)
                    + (row.verified ? "OK" : "FAIL").padding(toLength: 8, withPad: " ", startingAt: 0)
                    + String(row.secondRunWrites).padding(toLength: 16, withPad: " ", startingAt: 0)
                    + String(format: "%.1f", row.seconds).padding(toLength: 9, withPad: " ", startingAt: 0)
                    + (row.losses.isEmpty ? "-" : row.losses.joined(separator: ",")))
        }
        return lines.joined(separator: "\n")
    }
}

/// One ordered pair, run in a folder and a sandbox of its own.
struct MatrixPair {
    let source: MatrixSide
    let destination: MatrixSide
    let set: MatrixSet
    let folder: String

    init(_ source: MatrixSide, _ destination: MatrixSide, set: MatrixSet, root: String) {
        self.source = source
        self.destination = destination
        self.set = set
        self.folder = root + "/\(source.name)-to-\(destination.name)"
    }

    func run() async throws -> MatrixRow {
        let started = Date()
        var row = try await runSteps()
        row.seconds = Date().timeIntervalSince(started)
        return row
    }

    private func runSteps() async throws -> MatrixRow {
        var row = MatrixRow(pair: "\(source.name) → \(destination.name)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let platforms = Array(Set([source.platform, destination.platform].compactMap { $0 })).sorted()
        let sandbox =
            await platforms.isEmpty ? nil : try MatrixSandbox.start(platforms, remotesFile: folder + "/remotes.toml")
        defer { sandbox?.stop() }
        let environment = ["GALLERY_HUB_CONFIG": folder + "/remotes.toml"]
        func cli(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments, environment: environment)
        }

        // The source: the set itself, or the set copied into the source's emulator first.
        var sourceRemote = set.folder
        if let platform = source.platform, let remote = source.remote {
            sourceRemote = remote
            _ = try sandbox?.prepareFolders(mirroring: try await Self.listing(set.folder, cli), on: platform)
            let seeded = try await cli(
                ["copy", set.folder, sourceRemote, "--accept-losses", "--journal", folder + "/seed.sqlite"])
            guard seeded.status == 0 else {
                row.problems.append("seeding the source failed (exit \(seeded.status)): \(seeded.stderr.suffix(600))")
                return row
            }
        }
        var destinationRemote = "local:" + folder + "/destination"
        var journal = ["--journal", folder + "/journal.sqlite"]
        if let platform = destination.platform, let remote = destination.remote {
            destinationRemote = remote
            // A destination that cannot create galleries gets the source's galleries made by hand first, as a
            // user would; a title that repeats among siblings is matched explicitly, as the plan asks.
            let galleries = try await Self.listing(sourceRemote, cli)
            let made = try sandbox?.prepareFolders(mirroring: galleries, on: platform) ?? [:]
            for gallery in galleries {
                let siblings = galleries.filter { $0.parent == gallery.parent && $0.title == gallery.title }
                if siblings.count > 1, let folder = made[gallery.id] {
                    journal += ["--match-gallery", "\(gallery.id)=\(folder)"]
                }
            }
        }

        let plan = try await cli(["plan", sourceRemote, destinationRemote, "--json"] + journal)
        guard plan.status == 0, let planDocument = try? plan.json() else {
            row.problems.append("plan failed (exit \(plan.status)): \(plan.stderr.suffix(600))")
            return row
        }
        let losses = Set(((planDocument["losses"] as? [[String: Any]]) ?? []).compactMap { $0["rule"] as? String })
        row.losses = losses.sorted()
        let predicted = predictedLosses(
            from: DeclaredCapabilities(side: planDocument["source"]),
            to: DeclaredCapabilities(side: planDocument["destination"]))
        if losses != predicted {
            row.problems.append("losses \(losses.sorted()) but the capabilities predict \(predicted.sorted())")
        }

        let copy = try await cli(["copy", sourceRemote, destinationRemote, "--accept-losses", "--json"] + journal)
        let summary = (try? copy.json())?["summary"] as? [String: Any] ?? [:]
        row.copied = summary["itemsUploaded"] as? Int ?? 0
        if copy.status != 0 { row.problems.append("copy exit \(copy.status): \(copy.stderr.suffix(600))") }

        let verify = try await cli(["verify", sourceRemote, destinationRemote] + journal)
        row.verified = verify.status == 0
        if !row.verified { row.problems.append("verify exit \(verify.status): \(verify.stdout.suffix(800))") }

        let again = try await cli(["copy", sourceRemote, destinationRemote, "--accept-losses", "--json"] + journal)
        let second = (try? again.json())?["summary"] as? [String: Any] ?? [:]
        let writeKeys = [
            "galleriesCreated", "galleriesUpdated", "itemsUploaded", "itemsUpdated", "ordersSet", "coversSet",
            "extrasDeleted",
        ]
        row.secondRunWrites = writeKeys.reduce(0) { $0 + (second[$1] as? Int ?? 0) }
        if again.status != 0 || row.secondRunWrites != 0 {
            row.problems.append("second copy exit \(again.status), writes \(second): \(again.stderr.suffix(400))")
        }
        return row
    }

    /// A remote's galleries as `gallery-hub ls --json` lists them.
    static func listing(_ remote: String, _ cli: ([String]) async throws -> CLIRunner.Result) async throws
        -> [ListedGallery]
    {
        let result = try await cli(["ls", remote, "--json"])
        let galleries = try #require(try result.json()["galleries"] as? [[String: Any]], "\(result.stdout)")
        return galleries.compactMap { entry in
            guard let id = entry["id"] as? String, let title = entry["title"] as? String else { return nil }
            let parent = entry["parent"] as? String ?? (entry["parent"] as? [String: Any])?["id"] as? String
            return ListedGallery(id: id, title: title, parent: parent)
        }
    }

    /// The loss rules the seeded set must meet on this pair: a feature of the set that the source can hold and
    /// the destination cannot, from the capabilities each side resolved (as the plan document states them).
    func predictedLosses(from: DeclaredCapabilities, to: DeclaredCapabilities) -> Set<String> {
        var rules: Set<String> = []
        if from.order == "explicit", to.order == "none" { rules.insert("order") }
        if from.order == "explicit", to.order == "byFilename" { rules.insert("orderByFilename") }
        if from.cover != "none", to.cover == "none" { rules.insert("cover") }
        // The set's parent galleries (`trips`, `archive`) hold no items of their own.
        for key in ["captions", "altText", "nestedGalleries", "emptyGalleries"]
        where from.flags.contains(key) && !to.flags.contains(key) {
            rules.insert(key)
        }
        if from.maxItemBytes >= MatrixSet.bigItemBytes, to.maxItemBytes < MatrixSet.bigItemBytes {
            rules.insert("fileSize")
        }
        // The set's galleries are public; a source that cannot keep that holds what it read back instead.
        let held = from.visibilities.contains("public") ? "public" : from.visibilities.first ?? source.readsVisibility
        if let held, !to.visibilities.contains(held) { rules.insert("visibility") }
        if source.readsExtras, !to.flags.contains("extras") { rules.insert("extras") }
        return rules
    }
}

/// `gallery-hub sandbox` for one pair, started empty, with its remotes file; Kanka's rate rule is raised so the
/// matrix measures correctness, not waiting (`bench kanka` measures the real rule).
struct MatrixSandbox {
    let child: ChildProcess
    /// Platform → the origin of its emulator (`http://127.0.0.1:PORT`), where the admin routes live.
    let origins: [String: String]
    /// Platform → its entry of the ready document (`baseURL`, credentials, Stash's `libraryDir`).
    let emulators: [String: [String: String]]

    /// `arguments` are added to the `sandbox` command line (`--fault …`, `--data …`).
    static func start(_ platforms: [String], remotesFile: String, arguments: [String] = []) async throws
        -> MatrixSandbox
    {
        let (child, emulators) = try await ChildProcess.sandbox(
            ["--only", platforms.joined(separator: ","), "--seed", "empty", "--remotes-file", remotesFile]
                + arguments,
            environment: ["GALLERY_HUB_SANDBOX_KANKA_RATE": "6000/60s"])
        var origins: [String: String] = [:]
        for (platform, entry) in emulators {
            guard let base = entry["baseURL"].flatMap(URL.init(string:)), let port = base.port else { continue }
            origins[platform] = "http://127.0.0.1:\(port)"
        }
        return MatrixSandbox(child: child, origins: origins, emulators: emulators)
    }

    func stop() { child.stop() }

    /// Kanka's API cannot create folders: make `galleries` there through the sandbox's admin route, parents
    /// first, and return the folder made for each gallery id.
    func prepareFolders(mirroring galleries: [ListedGallery], on platform: String) throws -> [String: String] {
        guard platform == "kanka", let origin = origins[platform] else { return [:] }
        var made: [String: String] = [:]
        var pending = galleries
        while !pending.isEmpty {
            let ready = pending.filter { $0.parent == nil || made[$0.parent!] != nil }
            guard !ready.isEmpty else { throw MatrixError("galleries whose parents are not listed: \(pending)") }
            for gallery in ready {
                made[gallery.id] = try createKankaFolder(
                    gallery.title, parent: gallery.parent.flatMap { made[$0] }, at: origin)
            }
            pending.removeAll { gallery in ready.contains { $0.id == gallery.id } }
        }
        return made
    }

    private func createKankaFolder(_ name: String, parent: String?, at origin: String) throws -> String {
        var body: [String: Any] = ["name": name]
        if let parent { body["folder_id"] = parent }
        let answer = try LoopbackHTTP.post(origin + "/__sandbox/kanka/folders", json: body)
        guard let id = (answer["data"] as? [String: Any])?["id"] as? String else {
            throw MatrixError("no folder id in \(answer)")
        }
        return id
    }
}

/// One gallery of a listing: its id on its remote, title and parent id.
struct ListedGallery: Sendable {
    var id: String
    var title: String
    var parent: String?
}

struct MatrixError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
