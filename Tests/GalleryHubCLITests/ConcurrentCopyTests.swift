import Foundation
import Testing

/// Two copies into one destination at once, each with its own journal: the second is refused (exit 11) while
/// the first runs, instead of both creating the same galleries; the first finishes and verifies.
@Suite struct ConcurrentCopyTests {
    @Test func aSecondCopyIntoTheSameDestinationIsRefusedWhileTheFirstRuns() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path
        let remotes = root + "/remotes.toml"
        // 200 ms per request makes the first copy last several seconds.
        let (sandbox, _) = try await ChildProcess.sandbox([
            "--only", "omnitcode", "--seed", "empty", "--remotes-file", remotes, "--fault", "omnitcode:latency=200",
        ])
        defer { sandbox.stop() }
        let environment = ["HOME": root, "XDG_STATE_HOME": root + "/state", "GALLERY_HUB_CONFIG": remotes]
        let first = try ChildProcess.spawn(
            ["copy", examples, "sandbox-omnitcode:", "--accept-losses", "--journal", root + "/one.sqlite"],
            environment: environment)
        // The first copy holds the destination's lock once its journal exists.
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: root + "/one.sqlite"), first.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        let second = try await CLIRunner.run(
            ["copy", examples, "sandbox-omnitcode:", "--accept-losses", "--journal", root + "/two.sqlite", "--json"],
            environment: environment)
        let stillRunning = first.isRunning
        let firstExit = await first.wait(timeout: 120)
        #expect(stillRunning, "the first copy ended before the second started: the check proves nothing")
        #expect(second.status == 11, "\(second.stdout) \(second.stderr)")
        let error = try #require(try second.json()["error"] as? [String: Any])
        #expect((error["message"] as? String)?.contains("Another gallery-hub copy is writing to") == true)
        #expect(firstExit.status == 0, "\(first.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root + "/two.sqlite"), "the refused copy opened a journal")

        let verified = try await CLIRunner.run(
            ["verify", examples, "sandbox-omnitcode:", "--journal", root + "/one.sqlite"], environment: environment)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
        // Once the first is over the destination is free: a copy with the other journal writes nothing new.
        let again = try await CLIRunner.run(
            ["copy", examples, "sandbox-omnitcode:", "--accept-losses", "--journal", root + "/two.sqlite", "--json"],
            environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        let summary = try #require(try again.json()["summary"] as? [String: Any])
        #expect(summary["itemsUploaded"] as? Int == 0 && summary["galleriesCreated"] as? Int == 0, "\(summary)")
    }
}
