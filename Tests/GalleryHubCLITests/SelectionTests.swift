import Foundation
import Testing

/// `REMOTE:GALLERY`, `--include`/`--exclude`, `--max-age`, and a destination gallery that cannot be made
/// blocking only itself, through the built binary.
@Suite struct SelectionTests {
    let root: String
    let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path

    init() throws {
        root = try MigrationFixtures.temporaryFolder()
    }

    private func run(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(
            arguments, isolatedIn: root, remotesFile: root + "/remotes.toml", environment: environment)
    }

    /// Starts the sandbox with `platform` alone, seeded, its remotes file at `root/remotes.toml`.
    private func sandbox(_ platform: String) async throws -> ChildProcess {
        let remotes = root + "/remotes.toml"
        let (child, _) = try await ChildProcess.sandbox([
            "--only", platform, "--seed", "demo", "--remotes-file", remotes,
        ])
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: remotes), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return child
    }

    private func files(under folder: String) -> [String] {
        let names = (FileManager.default.enumerator(atPath: folder)?.allObjects as? [String]) ?? []
        return names.filter { !$0.hasSuffix(".json") && !$0.hasPrefix(".") && !$0.contains("/.") }
            .filter {
                var isFolder: ObjCBool = false
                FileManager.default.fileExists(atPath: folder + "/" + $0, isDirectory: &isFolder)
                return !isFolder.boolValue
            }.sorted()
    }

    @Test func aGalleryOfAServiceIsSelectedByTitleAndADestinationGalleryIsRefused() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let child = try await sandbox("omnitcode")
        defer { child.stop() }
        // The demo site holds “Harbour walk” (3 items) and “Empty draft”: only the first is planned.
        let plan = try await run(["plan", "sandbox-omnitcode:Harbour walk", root + "/backup", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let galleries = try #require(try plan.json()["galleries"] as? [[String: Any]])
        #expect(galleries.count == 1, "\(plan.stdout.prefix(1_500))")
        #expect((galleries.first?["source"] as? [String: Any])?["title"] as? String == "Harbour walk")

        let copied = try await run(["copy", "sandbox-omnitcode:Harbour walk", root + "/backup"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(files(under: root + "/backup").count == 3, "\(files(under: root + "/backup"))")
        let verified = try await run(["verify", "sandbox-omnitcode:Harbour walk", root + "/backup"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")

        let listed = try await run(["ls", "sandbox-omnitcode:Harbour walk"])
        #expect(listed.status == 0 && listed.stdout.hasPrefix("Harbour walk ("), "\(listed.stdout) \(listed.stderr)")

        let missing = try await run(["plan", "sandbox-omnitcode:No such gallery", root + "/other"])
        #expect(missing.status == 5, "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/other"))

        let intoGallery = try await run(["plan", examples, "sandbox-omnitcode:Harbour walk"])
        #expect(intoGallery.status == 64 && intoGallery.stderr.contains("names a gallery"), "\(intoGallery.stderr)")
    }

    @Test func includeExcludeAndMaxAgeNarrowTheSourceAndVerifyAgrees() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let filters = ["--include", "*.jpg", "--exclude", "rome-*", "--exclude", "mountains/img1*"]
        let copied = try await run(
            ["copy", examples, root + "/jpegs", "--accept-losses"] + filters + ["--journal", root + "/j1.sqlite"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(
            files(under: root + "/jpegs")
                == [
                    "harbour-walk/gulls.jpg", "harbour-walk/lighthouse.jpg", "mountains/cover.jpg",
                    "mountains/img2.jpg",
                ],
            "\(files(under: root + "/jpegs"))")
        // Galleries the filters emptied (lisbon, trips) are not made.
        #expect(!FileManager.default.fileExists(atPath: root + "/jpegs/trips"))
        let verified = try await run(
            ["verify", examples, root + "/jpegs"] + filters + ["--journal", root + "/j1.sqlite"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let unfiltered = try await run(["verify", examples, root + "/jpegs", "--journal", root + "/j1.sqlite"])
        #expect(unfiltered.status == 1, "the rest is missing: \(unfiltered.stdout)")

        let deleting = try await run(["copy", examples, root + "/jpegs", "--delete-extras"] + filters)
        #expect(deleting.status == 64, "\(deleting.stderr)")

        // --max-age: a copy of the folder where one file is twenty years old.
        let aged = root + "/aged"
        try FileManager.default.copyItem(atPath: examples, toPath: aged)
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)],
            ofItemAtPath: aged + "/harbour-walk/pier.png")
        let recent = try await run([
            "copy", aged, root + "/recent", "--accept-losses", "--max-age", "365d", "--journal", root + "/j2.sqlite",
        ])
        #expect(recent.status == 0, "\(recent.stderr)")
        let copiedFiles = files(under: root + "/recent")
        #expect(copiedFiles.count == 11 && !copiedFiles.contains("harbour-walk/pier.png"), "\(copiedFiles)")
        let badAge = try await run(["plan", aged, root + "/x", "--max-age", "soon"])
        #expect(badAge.status == 64, "\(badAge.stderr)")
    }

    @Test func aGalleryKankaCannotCreateBlocksOnlyItself() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let child = try await sandbox("kanka")
        defer { child.stop() }
        // The demo campaign has the folder Maps; Nowhere must be made by hand first.
        let source = root + "/source"
        for (folder, seed) in [("Maps", 1), ("Nowhere", 2)] {
            try FileManager.default.createDirectory(atPath: source + "/" + folder, withIntermediateDirectories: true)
            try Data(MigrationFixtures.jpegSignature + [UInt8](repeating: UInt8(seed), count: 4000)).write(
                to: URL(fileURLWithPath: "\(source)/\(folder)/\(folder).jpg"))
        }
        let copied = try await run(["copy", source, "sandbox-kanka:", "--accept-losses", "--json"])
        #expect(copied.status == 1, "\(copied.stderr)")
        let document = try copied.json()
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["itemsUploaded"] as? Int == 1, "\(summary)")
        let failures = try #require(document["failures"] as? [[String: Any]])
        #expect(failures.count == 1 && failures.first?["gallery"] as? String == "Nowhere", "\(failures)")
        #expect((failures.first?["message"] as? String)?.contains("cannot create galleries") == true, "\(failures)")
        let maps = try await run(["ls", "sandbox-kanka:", "Maps"])
        #expect(maps.stdout.contains("Maps.jpg") || maps.stdout.contains("maps.jpg"), "\(maps.stdout) \(maps.stderr)")
    }
}
