import Foundation
import Testing

/// The CLI against Omnitcode emulators switched to the alternatives of behaviours Docs/omnitcode.md marks
/// inferred: an OAuth2 form login, no `PATCH /media/{id}` for alt text, no readable `/languages`. Each run ends
/// in a copy that verifies, or in a clear error before anything is written; the emulator's own inventory holds
/// each item once and no upload outside a gallery.
@Suite struct ServiceVariantTests {
    let root: String
    let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path
    /// The images of Examples, each in one gallery.
    let exampleImages = 12

    init() throws {
        root = try MigrationFixtures.temporaryFolder()
    }

    private func run(_ arguments: [String]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, isolatedIn: root, remotesFile: root + "/remotes.toml")
    }

    private func sandbox(_ variant: String) async throws -> (ChildProcess, origin: String) {
        let remotes = root + "/remotes.toml"
        let (child, emulators) = try await ChildProcess.sandbox([
            "--only", "omnitcode", "--seed", "empty", "--remotes-file", remotes, "--variant", variant,
        ])
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: remotes), Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let base = try #require(emulators["omnitcode"]?["baseURL"])
        return (child, URL(string: base).flatMap { "\($0.scheme ?? "http")://\($0.host ?? ""):\($0.port ?? 80)" } ?? "")
    }

    /// `copy --accept-losses` and `verify` of Examples pass, and the emulator holds each image once, none loose.
    private func expectOneVerifiedCopy(origin: String) async throws {
        let copied = try await run(["copy", examples, "sandbox-omnitcode:", "--accept-losses"])
        #expect(copied.status == 0, "\(copied.stderr)")
        let verified = try await run(["verify", examples, "sandbox-omnitcode:"])
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        let inventory = try EmulatorInventory.read(origin: origin)
        #expect(inventory.itemCount == exampleImages && inventory.duplicates == 0 && inventory.orphans == 0)
    }

    @Test func aFormLoginAndASiteWithoutAltTextCopyWithTheAltTextsAsPlannedLosses() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (child, origin) = try await sandbox("omnitcode:login=form,media-patch=absent")
        defer { child.stop() }
        let plan = try await run(["plan", examples, "sandbox-omnitcode:", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let losses = try #require(try plan.json()["losses"] as? [[String: Any]])
        let altTexts = losses.filter { $0["rule"] as? String == "altText" }
        #expect(altTexts.count == 2, "\(losses.map { $0["rule"] ?? "" })")

        let refused = try await run(["copy", examples, "sandbox-omnitcode:"])
        #expect(refused.status == 15, "\(refused.stderr)")
        try await expectOneVerifiedCopy(origin: origin)
    }

    @Test func aSiteWithoutALanguagesRouteNeedsTheTableInTheRemoteAndSaysSo() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (child, origin) = try await sandbox("omnitcode:languages=absent")
        defer { child.stop() }
        let remotes = try String(contentsOfFile: root + "/remotes.toml", encoding: .utf8)
        #expect(remotes.contains("languages = "), "the sandbox names the ids an admin would read off the CMS")

        // Without the table: a configuration error naming the option, and nothing written.
        let withoutTable = remotes.split(separator: "\n").filter { !$0.hasPrefix("languages") }.joined(separator: "\n")
        try (withoutTable + "\n").write(toFile: root + "/remotes.toml", atomically: true, encoding: .utf8)
        let refused = try await run(["copy", examples, "sandbox-omnitcode:", "--accept-losses"])
        #expect(refused.status == 3, "\(refused.stderr)")
        #expect(refused.stderr.contains("cannot list its languages") && refused.stderr.contains("languages = "))
        #expect(try EmulatorInventory.read(origin: origin).galleries.isEmpty)

        // With it: translations and all, verified.
        try remotes.write(toFile: root + "/remotes.toml", atomically: true, encoding: .utf8)
        let plan = try await run(["plan", examples, "sandbox-omnitcode:", "--json"])
        let losses = try #require(try plan.json()["losses"] as? [[String: Any]]).compactMap { $0["rule"] as? String }
        #expect(!losses.contains("translationLanguages") && !losses.contains("translations"), "\(losses)")
        try await expectOneVerifiedCopy(origin: origin)
    }
}
