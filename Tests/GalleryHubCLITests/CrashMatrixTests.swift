import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The CLI killed with SIGKILL at seeded, reproducible points of a migration into each emulator and out of each
/// into Local, resumed each time: the last run finishes, `verify` passes, and the emulator's own inventory holds
/// every item once, with nothing unattached. The table gives, per case, the kills that interrupted a run, the
/// bytes the uninterrupted last run read against the bytes still missing when it started, and the bytes on the
/// wire over all runs against the set's size (for Stash, whose bytes come in as library files, the library's
/// bytes).
///
/// Bounded by default (2 galleries of 15 items, 3 kills per case). `GALLERY_HUB_CRASH_MATRIX=full` runs 500 items
/// (5 × 100) and 20 kills; `items=G×N,kills=K,sides=kanka,stash` picks any of the three.
@Suite struct CrashMatrixTests {
    @Test(.timeLimit(.minutes(40)))
    func everyEmulatorResumesFromSeededKillsToOneVerifiedCopy() async throws {
        let settings = CrashSettings(ProcessInfo.processInfo.environment["GALLERY_HUB_CRASH_MATRIX"] ?? "")
        let root = NSTemporaryDirectory() + "gh-crash-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        try MigrationFixtures.makeSource(
            at: root + "/set", galleries: settings.galleries, items: settings.itemsPerGallery, minSize: 8_000,
            maxSize: 40_000, signature: MigrationFixtures.jpegSignature)
        var cases: [CrashCase] = []
        for side in MatrixSide.all where side.platform != nil {
            if let only = settings.sides, !only.contains(side.name) { continue }
            for direction in [CrashCase.Direction.into, .outOf] {
                cases.append(
                    CrashCase(side: side, direction: direction, set: root + "/set", root: root, settings: settings))
            }
        }
        var rows: [CrashRow] = []
        try await withThrowingTaskGroup(of: CrashRow.self) { group in
            var pending = cases[...]
            for _ in 0..<2 {
                guard let next = pending.popFirst() else { break }
                group.addTask { try await next.run() }
            }
            while let row = try await group.next() {
                rows.append(row)
                if let next = pending.popFirst() { group.addTask { try await next.run() } }
            }
        }
        rows.sort { $0.name < $1.name }
        print("crash matrix, \(settings.galleries)×\(settings.itemsPerGallery) items, \(settings.kills) kills per case")
        print(CrashRow.table(rows))
        for row in rows {
            #expect(row.problems.isEmpty, "\(row.name): \(row.problems.joined(separator: "; "))")
        }
        #expect(rows.count == cases.count)
    }
}

/// How big the crash matrix runs, from `GALLERY_HUB_CRASH_MATRIX`.
struct CrashSettings: Sendable {
    var galleries = 2
    var itemsPerGallery = 15
    var kills = 3
    var sides: Set<String>?

    init(_ text: String) {
        for part in text.split(separator: ",").map(String.init) {
            if part == "full" {
                (galleries, itemsPerGallery, kills) = (5, 100, 20)
            } else if part.hasPrefix("items=") {
                let numbers = part.dropFirst(6).split(whereSeparator: { $0 == "x" || $0 == "×" }).compactMap { Int($0) }
                if numbers.count == 2 { (galleries, itemsPerGallery) = (numbers[0], numbers[1]) }
            } else if part.hasPrefix("kills=") {
                kills = Int(part.dropFirst(6)) ?? kills
            } else if part.hasPrefix("sides=") {
                sides = [String(part.dropFirst(6))]
            } else if sides != nil {
                // `sides=kanka,stash`: the names after the first follow as parts of their own.
                sides?.insert(part)
            }
        }
    }

    var items: Int { galleries * itemsPerGallery }
}

/// One line of the crash matrix's table.
struct CrashRow: Sendable {
    var name: String
    var killed = 0
    var verified = false
    var items = 0
    var duplicates = -1
    var orphans = -1
    /// What the last (uninterrupted) run read, against what was still missing when it started.
    var finalBytes = 0
    var missingBeforeFinal = 0
    /// Item bytes on the emulator's wire over every run (uploads received, or downloads sent), against the set.
    var wireBytes = 0
    var setBytes = 0
    var seconds = 0.0
    var problems: [String] = []

    var finalRatio: Double {
        missingBeforeFinal == 0 ? (finalBytes == 0 ? 1 : .infinity) : Double(finalBytes) / Double(missingBeforeFinal)
    }

    static func table(_ rows: [CrashRow]) -> String {
        func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
        var lines = [
            "case                      kills  items  verify  dup  orphans  last-run/missing (bytes)      wire/set  seconds"
        ]
        for row in rows {
            lines.append(
                cell(row.name, 26) + cell(String(row.killed), 7) + cell(String(row.items), 7)
                    + cell(row.verified ? "OK" : "FAIL", 8) + cell(String(row.duplicates), 5)
                    + cell(String(row.orphans), 9)
                    + cell(
                        String(format: "%.3f (%d/%d)", row.finalRatio, row.finalBytes, row.missingBeforeFinal), 30)
                    + cell(
                        row.wireBytes == 0 ? "-" : String(format: "%.3f", Double(row.wireBytes) / Double(row.setBytes)),
                        10)
                    + String(format: "%.1f", row.seconds))
        }
        return lines.joined(separator: "\n")
    }
}

/// One emulator, one direction, in a folder and a sandbox of its own.
struct CrashCase: Sendable {
    enum Direction: String, Sendable {
        case into
        case outOf = "out-of"
    }

    let side: MatrixSide
    let direction: Direction
    let set: String
    let root: String
    let settings: CrashSettings

    var name: String { direction == .into ? "local → \(side.name)" : "\(side.name) → local" }

    func run() async throws -> CrashRow {
        let started = Date()
        var row = CrashRow(name: name)
        do {
            try await runSteps(&row)
        } catch {
            row.problems.append("\(error)")
        }
        row.seconds = Date().timeIntervalSince(started)
        return row
    }

    private func runSteps(_ row: inout CrashRow) async throws {
        let folder = root + "/\(side.name)-\(direction.rawValue)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let platform = try #require(side.platform)
        let remote = try #require(side.remote)
        let sandbox = try await MatrixSandbox.start([platform], remotesFile: folder + "/remotes.toml")
        defer { sandbox.stop() }
        let origin = try #require(sandbox.origins[platform])
        let environment = ["GALLERY_HUB_CONFIG": folder + "/remotes.toml", "HOME": folder]
        func cli(_ arguments: [String]) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments, environment: environment)
        }
        let setBytes = Self.files(under: set).reduce(0) { $0 + $1.bytes }
        row.setBytes = setBytes

        // Kanka's API cannot create folders: they are made by hand first, as a user would.
        _ = try sandbox.prepareFolders(mirroring: try await MatrixPair.listing(set, cli), on: platform)
        let local = "local:" + folder + "/out"
        let (source, destination) = direction == .into ? ("local:" + set, remote) : (remote, local)
        if direction == .outOf {
            let seeded = try await cli([
                "copy", "local:" + set, remote, "--accept-losses", "--journal", folder + "/seed.sqlite",
            ])
            guard seeded.status == 0 else {
                row.problems.append("seeding \(remote) failed (exit \(seeded.status)): \(seeded.stderr.suffix(600))")
                return
            }
        }
        let seededInventory = try EmulatorInventory.read(origin: origin)
        let journal = ["--journal", folder + "/journal.sqlite"]
        let copy = ["copy", source, destination, "--accept-losses"] + journal

        /// Items that reached the destination so far: the emulator's rows (Stash's library files, which exist
        /// before a scan makes them rows), or the Local folder's files.
        @Sendable func progress() -> Int {
            switch direction {
            case .outOf: return Self.files(under: folder + "/out").count
            case .into where platform == "stash":
                return Self.files(under: sandbox.emulators["stash"]?["libraryDir"] ?? "").count
            case .into:
                let inventory = try? EmulatorInventory.read(origin: origin)
                return (inventory?.itemCount ?? 0) + (inventory?.unattached.count ?? 0)
            }
        }
        func missingBytes() async throws -> Int {
            switch direction {
            // Stash's library files are there before a scan makes them rows.
            case .into where platform == "stash":
                return setBytes
                    - Self.files(under: sandbox.emulators["stash"]?["libraryDir"] ?? "").reduce(0) { $0 + $1.bytes }
            case .into: return setBytes - (try EmulatorInventory.read(origin: origin)).heldBytes
            case .outOf: return setBytes - Self.files(under: folder + "/out").reduce(0) { $0 + $1.bytes }
            }
        }

        // The kill points are seeded item counts within the first 90 % of the migration (not times, which a
        // loaded machine would stretch), each at a seeded instant within the next request or two; a point the
        // destination has already passed kills the next run while it plans.
        var generator = SeededGenerator(
            seed: 2026 &+ UInt64(name.unicodeScalars.reduce(0) { $0 &* 31 &+ UInt64($1.value) }))
        let points = (0..<settings.kills).map { _ in
            Int.random(in: 1...max(1, settings.items * 9 / 10), using: &generator)
        }.sorted()
        for (kill, target) in points.enumerated() {
            let child = try ChildProcess.spawn(copy, environment: environment)
            await child.kill(
                signal: SIGKILL, once: { progress() >= target },
                delay: UInt32.random(in: 0...20_000, using: &generator), pollEvery: 10_000, timeout: 180)
            let exit = await child.wait(timeout: 120)
            // A request the killed run had fully sent may still be stored after it died; the server settles
            // before the next run looks (a person restarting takes longer than this).
            try await Task.sleep(for: .microseconds(300_000))
            if exit.signal == SIGKILL {
                row.killed += 1
            } else if exit.status == 0 {
                break  // finished before the kill: nothing is left to interrupt
            } else {
                row.problems.append("run \(kill + 1) exit \(exit.status): \(child.stderr.suffix(400))")
            }
        }

        row.missingBeforeFinal = try await missingBytes()
        let last = try await cli(copy + ["--json"])
        if last.status != 0 { row.problems.append("the last copy exit \(last.status): \(last.stderr.suffix(600))") }
        let summary = (try? last.json())?["summary"] as? [String: Any] ?? [:]
        row.finalBytes = summary["bytesUploaded"] as? Int ?? 0
        // The copies' traffic only: verify reads every byte again.
        let copied = try EmulatorInventory.read(origin: origin)

        let verify = try await cli(["verify", source, destination] + journal)
        row.verified = verify.status == 0
        if !row.verified { row.problems.append("verify exit \(verify.status): \(verify.stdout.suffix(800))") }

        let inventory = try EmulatorInventory.read(origin: origin)
        switch direction {
        case .into:
            row.items = inventory.itemCount
            row.duplicates = inventory.duplicates
            row.orphans = inventory.orphans
            row.wireBytes = copied.requestBytes
            if platform == "stash" {
                // Stash takes its bytes from library files, not over HTTP: a file no image holds is an orphan,
                // and the library's bytes stand for the wire's.
                let library = Self.files(under: sandbox.emulators["stash"]?["libraryDir"] ?? "")
                row.orphans += max(0, library.count - inventory.itemCount - inventory.unattached.count)
                row.wireBytes = library.reduce(0) { $0 + $1.bytes }
            }
        case .outOf:
            let files = Self.files(under: folder + "/out")
            row.items = files.count
            row.duplicates = max(0, files.count - settings.items) + inventory.duplicates
            // Leftover temporary files in the destination, and anything the reads left on the server.
            row.orphans =
                Self.files(under: folder + "/out", temporary: true).count + inventory.orphans
                - seededInventory.orphans
            row.wireBytes = copied.responseBytes - seededInventory.responseBytes
        }
        if row.items != settings.items { row.problems.append("\(row.items) items for \(settings.items)") }
        if row.duplicates != 0 { row.problems.append("\(row.duplicates) duplicates") }
        if row.orphans != 0 {
            row.problems.append("\(row.orphans) orphans: \(inventory.unattached.map(\.name).prefix(10))")
        }
    }

    /// Media files under `folder` (recursively), hidden files (covers, markers) and manifests aside; with
    /// `temporary`, Local's temporary files (`.gh-tmp-…`) only.
    static func files(under folder: String, temporary: Bool = false) -> [(path: String, bytes: Int)] {
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        var found: [(String, Int)] = []
        while let path = enumerator.nextObject() as? String {
            let name = (path as NSString).lastPathComponent
            if temporary ? !name.hasPrefix(".gh-tmp-") : (name == "gallery.json" || name.hasPrefix(".")) { continue }
            let attributes = enumerator.fileAttributes ?? [:]
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            found.append((path, (attributes[.size] as? NSNumber)?.intValue ?? 0))
        }
        return found
    }
}
