import Foundation
import Testing

/// `gallery-hub demo` end to end with the built binary: a real migration against the in-process sandbox, and a
/// demo folder that never replaces anything the demo did not write.
@Suite struct DemoCommandTests {
    let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path

    @Test func migratesVerifiesAndBacksUpThenRunsAgainInTheSameFolder() async throws {
        let folder = NSTemporaryDirectory() + "gh-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        for run in 1...2 {
            let result = try await CLIRunner.run(["demo", "--dir", folder, "--source", examples])
            #expect(result.status == 0, "run \(run): \(result.stderr)")
            // Both migrations verified, and the backup's second copy wrote nothing.
            #expect(result.stdout.components(separatedBy: ": OK").count == 3, "\(result.stdout)")
            #expect(result.stdout.contains("$ gallery-hub copy \(examples) sandbox-omnitcode:"))
            #expect(result.stdout.contains("--accept-losses"))
            #expect(result.stdout.contains("nesting dropped"))
            let copies = result.stdout.components(separatedBy: "Copied sandbox-omnitcode: → local:")
            #expect(copies.count == 3)
            #expect(copies.last?.contains("items: 0 uploaded, 0 updated") == true, "\(copies.last ?? "")")
        }
        let manager = FileManager.default
        #expect(manager.fileExists(atPath: folder + "/backup/harbour-walk/gallery.json"))
        for report in ["plan-folder-to-cms.md", "plan-cms-to-backup.md"] {
            let text = try String(contentsOfFile: folder + "/" + report, encoding: .utf8)
            #expect(text.contains("sandbox-omnitcode:"), "\(report): \(text)")
        }
        let mode = try manager.attributesOfItem(atPath: folder + "/remotes.toml")[.posixPermissions] as? NSNumber
        #expect((mode?.intValue ?? 0) & 0o777 == 0o600)
    }

    @Test func refusesAFolderItDidNotWriteAndAMissingSource() async throws {
        let folder = NSTemporaryDirectory() + "gh-demo-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let precious = folder + "/notes.txt"
        try Data("mine".utf8).write(to: URL(fileURLWithPath: precious))

        let refused = try await CLIRunner.run(["demo", "--dir", folder, "--source", examples])
        #expect(refused.status == 11, "\(refused.stderr)")
        #expect(refused.stderr.contains("hint:"))
        #expect(try String(contentsOfFile: precious, encoding: .utf8) == "mine")

        let fresh = folder + "/new"
        let missing = try await CLIRunner.run(["demo", "--dir", fresh, "--source", folder + "/no-such-folder"])
        #expect(missing.status == 5, "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }
}
