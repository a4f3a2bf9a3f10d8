import Foundation
import Testing

/// Two copies into one destination at once, each with its own journal: the second is refused (exit 11) while
/// the first runs, instead of both creating the same galleries; the first finishes and verifies. A copy whose
/// source is edited while it runs copies what its plan listed, and names each file that changed.
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

    @Test func aCopyWhileTheSourceIsEditedHonoursItsSnapshotAndReportsEachChange() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try MigrationFixtures.makeSource(
            at: root + "/src", galleries: 1, items: 30, minSize: 6_000, maxSize: 6_001,
            signature: MigrationFixtures.jpegSignature)
        let folder = try #require(
            try FileManager.default.contentsOfDirectory(atPath: root + "/src").first { !$0.hasPrefix(".") })
        let files = try FileManager.default.contentsOfDirectory(atPath: root + "/src/" + folder)
            .filter { $0.hasSuffix(".jpg") }.sorted(by: { $0.localizedStandardCompare($1) == .orderedAscending })
        let remotes = root + "/remotes.toml"
        let (sandbox, emulators) = try await ChildProcess.sandbox([
            "--only", "omnitcode", "--seed", "empty", "--remotes-file", remotes, "--fault", "omnitcode:latency=150",
        ])
        defer { sandbox.stop() }
        let base = try #require(emulators["omnitcode"]?["baseURL"].flatMap(URL.init(string:)))
        let origin = "http://127.0.0.1:\(base.port ?? 0)"
        let environment = ["HOME": root, "XDG_STATE_HOME": root + "/state", "GALLERY_HUB_CONFIG": remotes]
        let copy = try ChildProcess.spawn(
            ["copy", root + "/src", "sandbox-omnitcode:", "--transfers", "1", "--json"], environment: environment)
        // Once the first item is in, the last three files change: one grows, one is rewritten at the same size,
        // one is removed. One at a time at 150 ms a request, they are several seconds away.
        let deadline = Date().addingTimeInterval(60)
        while copy.isRunning, Date() < deadline, (try? EmulatorInventory.read(origin: origin).itemCount) ?? 0 < 1 {
            try await Task.sleep(for: .milliseconds(50))
        }
        let (grown, rewritten, removed) = (files[27], files[28], files[29])
        let path = root + "/src/" + folder + "/"
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path + grown))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("ten bytes!".utf8))
        try handle.close()
        try Data(MigrationFixtures.jpegSignature + [UInt8](repeating: 9, count: 6_000 - 12))
            .write(to: URL(fileURLWithPath: path + rewritten))
        try FileManager.default.removeItem(atPath: path + removed)
        let exit = await copy.wait(timeout: 120)

        #expect(exit.status == 1, "\(copy.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(copy.stdout.utf8)) as? [String: Any])
        let failures = (document["failures"] as? [[String: Any]] ?? []).map { "\($0)" }
        for (file, says) in [(grown, "changed from"), (rewritten, "was rewritten"), (removed, "was removed")] {
            #expect(failures.contains { $0.contains(file) && $0.contains(says) }, "\(file): \(failures)")
        }
        #expect(failures.count == 3, "\(failures)")
        // The emulator holds the 27 files as listed, none of the changed ones: nothing was copied that the plan
        // did not describe.
        let inventory = try EmulatorInventory.read(origin: origin)
        #expect(inventory.itemCount == 27 && inventory.orphans == 0, "\(inventory.itemCount) items")
        let again = try await CLIRunner.run(["copy", root + "/src", "sandbox-omnitcode:"], environment: environment)
        #expect(again.status == 0, "\(again.stderr)")
        let verified = try await CLIRunner.run(
            ["verify", root + "/src", "sandbox-omnitcode:"], environment: environment)
        #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")
    }
}
