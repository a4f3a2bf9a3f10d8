import Foundation
import Testing

/// What `plan`, `copy`, `verify` and `ls` must never do: succeed on a missing source, create anything while
/// only reading, copy a folder into itself, hide a deletion, or trust a corrupted copy.
@Suite(.serialized)
struct HonestCommandTests {
    func run(_ arguments: [String], home: String) async throws -> CLIRunner.Result {
        let run = try await ChildProcess.run(
            arguments, environment: ["HOME": home, "XDG_STATE_HOME": home + "/state"], timeout: 120)
        return CLIRunner.Result(status: run.exit.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// Everything under `root`, as relative paths.
    func tree(_ root: String) -> [String] {
        (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? []).sorted()
    }

    @Test func aMissingSourceIsNotFoundWithAHintAndNothingIsCreated() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        let commands: [[String]] = [
            ["copy", "\(root)/no/such/folder", "local:\(root)/y"],
            ["copy", "\(root)/no/such/folder", "local:\(root)/y", "--dry-run"],
            ["plan", "\(root)/no/such/folder", "local:\(root)/y"],
            ["verify", "\(root)/no/such/folder", "local:\(root)/y"],
            ["ls", "local:\(root)/no/such/folder"],
        ]
        for command in commands {
            let result = try await run(command, home: root)
            #expect(result.status == 5, "\(command): \(result.status) \(result.stdout) \(result.stderr)")
            #expect(result.stderr.contains("hint:"), "\(command): \(result.stderr)")
            #expect(tree(root).isEmpty, "\(command) created \(tree(root))")
        }
    }

    @Test func readOnlyCommandsCreateNoDestinationFolderAndNoJournal() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 1, items: 2)
        let before = tree(root)
        for command in [
            ["plan", "\(root)/src", "local:\(root)/y"], ["copy", "\(root)/src", "local:\(root)/y", "--dry-run"],
            ["verify", "\(root)/src", "local:\(root)/y"],
        ] {
            _ = try await run(command, home: root)
            #expect(tree(root) == before, "\(command) wrote \(Set(tree(root)).subtracting(before))")
        }
    }

    @Test func aDestinationInsideTheSourceOrTheOtherWayRoundIsRefused() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/ex", galleries: 1, items: 2)
        try FileManager.default.createSymbolicLink(atPath: "\(root)/link", withDestinationPath: "\(root)/ex")
        let before = tree("\(root)/ex")
        for (source, destination) in [
            ("local:\(root)/ex", "local:\(root)/ex/inner"), ("\(root)/ex/gallery-0", "\(root)/ex"),
            ("\(root)/ex", "\(root)/link/inner"),
        ] {
            let result = try await run(["copy", source, destination], home: root)
            #expect(result.status == 64, "\(source) → \(destination): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("inside"), "\(result.stderr)")
            #expect(tree("\(root)/ex") == before)
        }
    }

    @Test func deleteExtrasDryRunListsEachDeletionAndDeletesNothing() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 1, items: 3)
        await #expect(try run(["copy", "\(root)/src", "\(root)/dst"], home: root).status == 0)
        try Data(repeating: 7, count: 123).write(to: URL(fileURLWithPath: "\(root)/dst/gallery-0/stray.jpg"))
        let dryRun = try await run(["copy", "\(root)/src", "\(root)/dst", "--delete-extras", "--dry-run"], home: root)
        #expect(dryRun.status == 0, "\(dryRun.stderr)")
        #expect(!dryRun.stdout.contains("Nothing to do"), "\(dryRun.stdout)")
        #expect(dryRun.stdout.contains("stray.jpg"), "\(dryRun.stdout)")
        #expect(FileManager.default.fileExists(atPath: "\(root)/dst/gallery-0/stray.jpg"))
        let real = try await run(["copy", "\(root)/src", "\(root)/dst", "--delete-extras", "--json"], home: root)
        #expect(try MigrationFixtures.summary(real.stdout)["extrasDeleted"] == 1)
    }

    @Test func checksumRepairsACorruptedCopy() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 1, items: 3)
        await #expect(try run(["copy", "\(root)/src", "\(root)/dst"], home: root).status == 0)
        let path = "\(root)/dst/gallery-0/photo-1.jpg"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        bytes[10] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: path))
        await #expect(try run(["verify", "\(root)/src", "\(root)/dst"], home: root).status == 1)

        let checked = try await run(["plan", "\(root)/src", "\(root)/dst", "--checksum"], home: root)
        #expect(checked.status == 0, "\(checked.stderr)")
        #expect(checked.stdout.contains("1 to update"), "\(checked.stdout)")
        let repaired = try await run(["copy", "\(root)/src", "\(root)/dst", "--checksum", "--json"], home: root)
        #expect(repaired.status == 0, "\(repaired.stderr)")
        #expect(try MigrationFixtures.summary(repaired.stdout)["itemsUpdated"] == 1)
        await #expect(try run(["verify", "\(root)/src", "\(root)/dst"], home: root).status == 0)
    }

    @Test func aChangedFileIsCopiedAgainOnceAndVerifies() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try FileManager.default.createDirectory(atPath: "\(root)/src/g", withIntermediateDirectories: true)
        for index in 1...3 {
            try Data(repeating: UInt8(index), count: 1_000 + index).write(
                to: URL(fileURLWithPath: "\(root)/src/g/img\(index).png"))
        }
        await #expect(try run(["copy", "\(root)/src", "\(root)/dst"], home: root).status == 0)
        let changed = Data(repeating: 42, count: 4_321)
        try changed.write(to: URL(fileURLWithPath: "\(root)/src/g/img2.png"))
        let plan = try await run(["plan", "\(root)/src", "\(root)/dst"], home: root)
        #expect(plan.stdout.contains("1 to update"), "\(plan.stdout)")
        let copy = try await run(["copy", "\(root)/src", "\(root)/dst"], home: root)
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(copy.stdout.contains("1 updated"), "\(copy.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: "\(root)/dst/g").filter { $0.hasSuffix(".png") }
        #expect(files.sorted() == ["img1.png", "img2.png", "img3.png"])
        #expect(FileManager.default.contents(atPath: "\(root)/dst/g/img2.png") == changed)
        await #expect(try run(["verify", "\(root)/src", "\(root)/dst"], home: root).status == 0)
    }

    @Test func filesTheSourceSkipsAreListedAsIgnoredAndAllFilesCopiesOtherTypes() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        let folder = "\(root)/src/g"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for name in ["a.jpg", "raw.CR2", "notes.txt", ".hidden.jpg", "caf\u{E9}.png", "cafe\u{301}.png"] {
            try Data(repeating: 1, count: 100 + name.utf8.count).write(to: URL(fileURLWithPath: "\(folder)/\(name)"))
        }
        // A name that is not valid UTF-8.
        let bad = Array("\(folder)/bad".utf8) + [0xFF] + Array(".png".utf8) + [0]
        let descriptor = bad.withUnsafeBufferPointer {
            open(UnsafeRawPointer($0.baseAddress!).assumingMemoryBound(to: CChar.self), O_CREAT | O_WRONLY, 0o644)
        }
        #expect(descriptor >= 0)
        close(descriptor)

        let plan = try await run(["plan", "\(root)/src", "\(root)/dst", "--format", "json"], home: root)
        #expect(plan.status == 0, "\(plan.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let ignored = try #require(document["ignored"] as? [[String: Any]], "\(plan.stdout)")
        let paths = ignored.compactMap { $0["path"] as? String }
        #expect(paths.count == 5, "\(paths)")
        #expect(paths.contains("g/raw.CR2") && paths.contains("g/notes.txt") && paths.contains("g/.hidden.jpg"))
        #expect(paths.contains { $0.hasPrefix("g/bad\\xFF") })

        await #expect(try run(["copy", "\(root)/src", "\(root)/dst"], home: root).status == 0)
        let verify = try await run(["verify", "\(root)/src", "\(root)/dst"], home: root)
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout.contains("5 ignored"), "\(verify.stdout)")

        let all = try await run(["copy", "\(root)/src", "\(root)/all", "--all-files"], home: root)
        #expect(all.status == 0, "\(all.stderr)")
        #expect(FileManager.default.fileExists(atPath: "\(root)/all/g/raw.CR2"))
        #expect(FileManager.default.fileExists(atPath: "\(root)/all/g/notes.txt"))
    }

    /// A source holding `2019/rome` and `2023/rome`, and a destination holding an unrelated top-level `rome`.
    private func twoRomesAndAnUnrelatedOne() throws -> String {
        let root = try MigrationFixtures.temporaryFolder()
        for year in ["2019", "2023"] {
            try FileManager.default.createDirectory(
                atPath: "\(root)/src/\(year)/rome", withIntermediateDirectories: true)
            try Data(repeating: UInt8(year.count), count: 200).write(
                to: URL(fileURLWithPath: "\(root)/src/\(year)/rome/\(year).jpg"))
        }
        try FileManager.default.createDirectory(atPath: "\(root)/dst/rome", withIntermediateDirectories: true)
        try Data(repeating: 9, count: 50).write(to: URL(fileURLWithPath: "\(root)/dst/rome/unrelated.jpg"))
        return root
    }

    @Test func sameTitledGalleriesElsewhereAreAnAmbiguityTheUserSettles() async throws {
        let root = try twoRomesAndAnUnrelatedOne()

        let plan = try await run(["plan", "\(root)/src", "\(root)/dst"], home: root)
        #expect(plan.stdout.contains("2019/rome") && plan.stdout.contains("2023/rome"), "\(plan.stdout)")
        #expect(plan.stdout.contains("Ambiguous"), "\(plan.stdout)")
        let refused = try await run(["copy", "\(root)/src", "\(root)/dst"], home: root)
        #expect(refused.status == 11, "\(refused.status) \(refused.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/dst/rome") == ["unrelated.jpg"])

        let settled = try await run(
            ["copy", "\(root)/src", "\(root)/dst", "--new-gallery", "2019/rome", "--new-gallery", "2023/rome"],
            home: root)
        #expect(settled.status == 0, "\(settled.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: "\(root)/dst/rome") == ["unrelated.jpg"])
        #expect(FileManager.default.fileExists(atPath: "\(root)/dst/2019/rome/2019.jpg"))
        await #expect(try run(["verify", "\(root)/src", "\(root)/dst"], home: root).status == 0)

        // The same answers on a second run find the galleries the first one made, and write nothing.
        let again = try await run(
            ["copy", "\(root)/src", "\(root)/dst", "--new-gallery", "2019/rome", "--new-gallery", "2023/rome"],
            home: root)
        #expect(again.status == 0 && again.stdout.contains(" 0 uploaded"), "\(again.stdout) \(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(root)/dst/2019/rome (2)"))
        let years2019 = try FileManager.default.contentsOfDirectory(atPath: "\(root)/dst/2019")
        #expect(years2019.filter { $0.hasPrefix("rome") } == ["rome"], "\(years2019)")
    }

    /// The same ambiguity settled once in the destination's `[NAME.match]` table: every later run takes the
    /// answer, a command-line answer overrides it, and an answer pointing at a gallery that is not there is
    /// refused rather than dropped.
    @Test func ambiguitiesAreSettledInTheRemotesFile() async throws {
        let root = try twoRomesAndAnUnrelatedOne()
        func remotes(_ matches: String) throws -> [String: String] {
            let path = "\(root)/remotes.toml"
            try """
            [archive]
            type = "local"
            path = "\(root)/dst"

            [archive.match]
            \(matches)
            """.write(toFile: path, atomically: true, encoding: .utf8)
            return ["HOME": root, "XDG_STATE_HOME": root + "/state", "GALLERY_HUB_CONFIG": path]
        }
        func run(_ arguments: [String], _ environment: [String: String]) async throws -> CLIRunner.Result {
            let run = try await ChildProcess.run(arguments, environment: environment, timeout: 120)
            return CLIRunner.Result(status: run.exit.status, stdout: run.stdout, stderr: run.stderr)
        }

        let stale = try remotes(#""2019/rome" = "no-such-gallery""# + "\n" + #""2023/rome" = "new""#)
        let refused = try await run(["plan", "\(root)/src", "archive:"], stale)
        #expect(refused.status == 5, "\(refused.status) \(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("[archive.match]") && refused.stderr.contains("no-such-gallery"))

        let settled = try remotes(#""2019/rome" = "rome""# + "\n" + #""2023/rome" = "new""#)
        let listed = try await run(["remotes"], settled)
        #expect(listed.stdout.contains("match 2019/rome → rome"), "\(listed.stdout)")
        let plan = try await run(["plan", "\(root)/src", "archive:"], settled)
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(!plan.stdout.contains("Ambiguous"), "\(plan.stdout)")
        let copy = try await run(["copy", "\(root)/src", "archive:"], settled)
        #expect(copy.status == 0, "\(copy.status) \(copy.stderr)")
        let rome = try FileManager.default.contentsOfDirectory(atPath: "\(root)/dst/rome")
        #expect(rome.contains("2019.jpg") && rome.contains("unrelated.jpg"), "\(rome)")
        #expect(FileManager.default.fileExists(atPath: "\(root)/dst/2023/rome/2023.jpg"))
        let again = try await run(["copy", "\(root)/src", "archive:"], settled)
        #expect(again.status == 0 && again.stdout.contains(" 0 uploaded"), "\(again.stdout) \(again.stderr)")
        let years2023 = try FileManager.default.contentsOfDirectory(atPath: "\(root)/dst/2023")
        #expect(years2023.filter { $0.hasPrefix("rome") } == ["rome"], "\(years2023)")

        // A command-line answer wins over the file's, and one naming a source gallery that is not there fails.
        let overridden = try await run(
            [
                "plan", "\(root)/src", "archive:", "--new-gallery", "2019/rome", "--journal",
                "\(root)/other.journal",
            ], settled)
        #expect(overridden.status == 0 && overridden.stdout.contains("2019/rome"), "\(overridden.stdout)")
        let unknown = try await run(["plan", "\(root)/src", "archive:", "--new-gallery", "1999/rome"], settled)
        #expect(unknown.status == 5 && unknown.stderr.contains("--new-gallery 1999/rome"), "\(unknown.stderr)")
    }
}
