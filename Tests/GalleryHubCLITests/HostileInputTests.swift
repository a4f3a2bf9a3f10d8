import Foundation
import Testing

/// Hostile input through the built binary: each case ends in a typed error with a hint and its documented exit
/// code, or in a copy whose plan named every file it leaves out; nothing is lost and nothing is written outside
/// its place. (Server bodies are in GalleryHTTPTests, hostile names inside one backend in LocalHostileNameTests,
/// overlapping folders in HonestCommandTests.)
@Suite struct HostileInputTests {
    let root: String

    init() throws {
        root = try MigrationFixtures.temporaryFolder()
    }

    private func run(_ arguments: [String], remotes: String? = nil) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, isolatedIn: root, remotesFile: remotes ?? root + "/remotes.toml")
    }

    private static let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]

    private func write(_ bytes: [UInt8], to path: String) throws {
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test func aCorruptManifestNamesItsFileAndLineAndTheOtherGalleriesStillList() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = root + "/src"
        for (index, gallery) in ["alpha", "broken", "gamma"].enumerated() {
            try write(Self.jpeg + [UInt8](repeating: UInt8(index), count: 500), to: "\(source)/\(gallery)/a.jpg")
        }
        try Data("{\n  \"title\": \"Broken\",\n  \"items\": [ oops\n}\n".utf8)
            .write(to: URL(fileURLWithPath: source + "/broken/gallery.json"))

        let listed = try await run(["ls", source])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(["alpha", "broken", "gamma"].allSatisfy { listed.stdout.contains($0) }, "\(listed.stdout)")
        #expect(listed.stderr.contains("broken/gallery.json") && listed.stderr.contains("line 3, column 14"))

        let planned = try await run(["plan", source, root + "/out"])
        #expect(planned.status == 10, "\(planned.stderr)")
        #expect(planned.stderr.contains("broken/gallery.json") && planned.stderr.contains("line 3, column 14"))
        #expect(planned.stderr.contains("hint: Fix the JSON by hand"))
        #expect(!FileManager.default.fileExists(atPath: root + "/out"))
    }

    @Test func badRemotesFilesAreConfigurationErrorsNamingTheProblem() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let cases: [(name: String, text: String, says: String)] = [
            ("syntax", "[broken\nurl = \n", "line 1"),
            ("type", "[cms]\ntype = \"flickr\"\n", "flickr"),
            (
                "environment",
                "[cms]\ntype = \"omnitcode\"\nurl = \"http://127.0.0.1:9\"\nemail = \"a@b.c\"\n"
                    + "password = \"${GALLERY_HUB_TEST_UNSET_PASSWORD}\"\n",
                "GALLERY_HUB_TEST_UNSET_PASSWORD"
            ),
        ]
        for entry in cases {
            let file = root + "/\(entry.name).toml"
            try entry.text.write(toFile: file, atomically: true, encoding: .utf8)
            chmod(file, 0o600)
            let result = try await run(["ls", "cms:"], remotes: file)
            #expect(result.status == 3, "\(entry.name): \(result.stderr)")
            #expect(
                result.stderr.contains(entry.says) && result.stderr.contains("hint:"), "\(entry.name): \(result.stderr)"
            )
        }
    }

    /// Control characters, tabs, NFC/NFD and case twins, an empty file, text named `.jpg` and a file over Kanka's
    /// 3 MiB: the plan names each file it cannot copy and why, `copy` refuses until the losses are accepted, then
    /// copies the rest once and `verify` agrees. Wrong credentials are exit 4 with a hint.
    @Test func hostileFilesIntoAServiceAreNamedLossesAndWrongCredentialsAreAuthErrors() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let source = root + "/src"
        let names = [
            "ctl\u{01}char.jpg", "tab\tname.jpg", "cafe\u{301}.jpg", "caf\u{E9}.jpg", "Photo.jpg", "photo.jpg",
        ]
        for (index, name) in names.enumerated() {
            try write(Self.jpeg + [UInt8](repeating: UInt8(index + 1), count: 3_000), to: "\(source)/g/\(name)")
        }
        try write([], to: source + "/g/empty.jpg")
        try write(Array("just some text".utf8), to: source + "/g/text.jpg")
        try write(Self.jpeg + [UInt8](repeating: 7, count: 3 * 1024 * 1024 + 10), to: source + "/g/big.jpg")

        let remotes = root + "/remotes.toml"
        let (child, emulators) = try await ChildProcess.sandbox([
            "--only", "kanka,omnitcode", "--seed", "empty", "--remotes-file", remotes,
        ])
        defer { child.stop() }
        let kanka = try #require(emulators["kanka"]?["baseURL"].flatMap(URL.init(string:)))
        let origin = "http://127.0.0.1:\(kanka.port ?? 0)"
        _ = try LoopbackHTTP.post(origin + "/__sandbox/kanka/folders", json: ["name": "g"])

        let plan = try await run(["plan", source, "sandbox-kanka:", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let document = try plan.json()
        let losses = (document["losses"] as? [[String: Any]] ?? []).map {
            "\($0["filename"] as? String ?? "-"):\($0["rule"] as? String ?? "")"
        }
        for expected in ["big.jpg:fileSize", "empty.jpg:content", "text.jpg:content"] {
            #expect(losses.contains(expected), "\(losses)")
        }
        let ignored = (document["ignored"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? String }
        #expect(ignored.count == 1, "one of the two normalization twins is left out and named: \(ignored)")

        let refused = try await run(["copy", source, "sandbox-kanka:"])
        #expect(refused.status == 15, "\(refused.stderr)")
        let copied = try await run(["copy", source, "sandbox-kanka:", "--accept-losses"])
        #expect(copied.status == 0, "\(copied.stderr)")
        let verified = try await run(["verify", source, "sandbox-kanka:"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let inventory = try EmulatorInventory.read(origin: origin)
        #expect(inventory.itemCount == 5 && inventory.duplicates == 0 && inventory.orphans == 0)

        let text = try String(contentsOfFile: remotes, encoding: .utf8)
        let wrong = text.split(separator: "\n").map {
            $0.hasPrefix("password") ? "password = \"not-the-password\"" : String($0)
        }.joined(separator: "\n")
        try wrong.write(toFile: root + "/wrong.toml", atomically: true, encoding: .utf8)
        chmod(root + "/wrong.toml", 0o600)
        let denied = try await run(["ls", "sandbox-omnitcode:"], remotes: root + "/wrong.toml")
        #expect(denied.status == 4, "\(denied.stderr)")
        #expect(
            denied.stderr.contains("Invalid email or password") && denied.stderr.contains("hint: Check the credentials")
        )
        #expect(!denied.stderr.contains("not-the-password"))
    }
}
