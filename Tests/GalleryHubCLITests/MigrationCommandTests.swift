import Foundation
import Testing

/// `plan`, `copy` and `verify` run as a user runs them: the built binary, local folders.
@Suite(.serialized)
struct MigrationCommandTests {
    @Test func planCopyVerifyAndASecondCopyThatWritesNothing() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 2, items: 15)
        let env = ["HOME": root]

        let plan = try await ChildProcess.run(
            ["plan", "\(root)/src", "\(root)/dst", "--format", "json"], environment: env)
        #expect(plan.exit.status == 0, "\(plan.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        #expect(document["schemaVersion"] as? Int == 3)
        #expect((document["counts"] as? [String: Any])?["itemsToUpload"] as? Int == 30)
        #expect(!FileManager.default.fileExists(atPath: "\(root)/dst/gallery-0"), "plan must write nothing")

        let dryRun = try await ChildProcess.run(["copy", "\(root)/src", "\(root)/dst", "--dry-run"], environment: env)
        #expect(dryRun.exit.status == 0, "\(dryRun.stderr)")
        #expect(dryRun.stdout.contains("30 to upload"))
        #expect(!FileManager.default.fileExists(atPath: "\(root)/dst/gallery-0"), "--dry-run must write nothing")

        let first = try await ChildProcess.run(["copy", "\(root)/src", "\(root)/dst", "--json"], environment: env)
        #expect(first.exit.status == 0, "\(first.stderr)")
        let summary = try MigrationFixtures.summary(first.stdout)
        #expect(summary["galleriesCreated"] == 2)
        #expect(summary["itemsUploaded"] == 30)
        #expect(summary["failures"] == 0)
        for key in [
            "galleriesCreated", "itemsUploaded", "itemsUpdated", "ordersSet", "coversSet", "losses", "failures",
        ] {
            #expect(summary[key] != nil, "summary lacks \(key)")
        }

        let verify = try await ChildProcess.run(["verify", "\(root)/src", "\(root)/dst", "--json"], environment: env)
        #expect(verify.exit.status == 0, "\(verify.stdout)\(verify.stderr)")

        let second = try await ChildProcess.run(["copy", "\(root)/src", "\(root)/dst", "--json"], environment: env)
        #expect(second.exit.status == 0)
        let zero = try MigrationFixtures.summary(second.stdout)
        for key in [
            "galleriesCreated", "itemsUploaded", "itemsUpdated", "ordersSet", "coversSet", "losses", "failures",
        ] {
            #expect(zero[key] == 0, "\(key) is \(zero[key] ?? -1) on the second run")
        }
    }

    @Test func verifyFailsWithExitOneWhenTheDestinationDiffers() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 1, items: 3)
        let env = ["HOME": root]
        _ = try await ChildProcess.run(["copy", "\(root)/src", "\(root)/dst"], environment: env)
        try FileManager.default.removeItem(atPath: "\(root)/dst/gallery-0/photo-1.jpg")
        let verify = try await ChildProcess.run(["verify", "\(root)/src", "\(root)/dst"], environment: env)
        #expect(verify.exit.status == 1)
        #expect(verify.stdout.contains("missingItem"))
    }

    /// Kills `copy` with SIGKILL at a random moment, resumes, verifies, and counts the files at the
    /// destination: an interruption at any instant must never duplicate an item.
    @Test(arguments: [11, 23, 37, 59] as [UInt64])
    func aCopyKilledAtARandomMomentResumesWithoutDuplicates(seed: UInt64) async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 3, items: 120, minSize: 20_000, maxSize: 200_000)
        let env = ["HOME": root]
        let journal = "\(root)/journal.sqlite"
        var generator = SeededGenerator(seed: seed)
        let delay = Int.random(in: 20_000...300_000, using: &generator)

        let child = try ChildProcess.spawn(
            ["copy", "\(root)/src", "\(root)/dst", "--journal", journal], environment: env)
        try await Task.sleep(for: .microseconds(delay))
        child.kill(signal: SIGKILL)
        let killed = await child.wait(timeout: 120)
        // Either killed mid-run, or it had already finished (then the resume is a no-op): both must hold.
        #expect(killed.signal == SIGKILL || killed.status == 0)

        let resumed = try await ChildProcess.run(
            ["copy", "\(root)/src", "\(root)/dst", "--journal", journal, "--json"], environment: env, timeout: 120
        )
        #expect(resumed.exit.status == 0, "\(resumed.stderr)")
        let verify = try await ChildProcess.run(
            ["verify", "\(root)/src", "\(root)/dst", "--journal", journal], environment: env, timeout: 120
        )
        #expect(verify.exit.status == 0, "\(verify.stdout)\(verify.stderr)")
        let copied = MigrationFixtures.mediaFiles(under: "\(root)/dst")
        let original = MigrationFixtures.mediaFiles(under: "\(root)/src")
        #expect(copied == original, "killed after \(delay) µs: destination files differ from the source's")
    }

    /// A 300 MB item copies with the child's peak RSS (its own VmHWM, sampled every 2 ms; see ChildProcess) under 100 MB.
    @Test func aLargeItemCopiesInBoundedMemory() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        let folder = "\(root)/src/big"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let size = 300 * 1_000_000
        let handle = try #require(
            FileHandle(
                forWritingAtPath: { () -> String in
                    FileManager.default.createFile(atPath: "\(folder)/huge.jpg", contents: nil)
                    return "\(folder)/huge.jpg"
                }()))
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        let chunk = 1 << 20
        var written = 0
        while written < size {
            let count = min(chunk, size - written)
            var block = [UInt8](repeating: 0, count: count)
            for index in stride(from: 0, to: count, by: 8) {
                state ^= state << 13
                state ^= state >> 7
                state ^= state << 17
                block[index] = UInt8(truncatingIfNeeded: state)
            }
            handle.write(Data(block))
            written += count
        }
        try handle.close()

        let copy = try await ChildProcess.run(
            ["copy", "\(root)/src", "\(root)/dst", "--json"], environment: ["HOME": root])
        #expect(copy.exit.status == 0, "\(copy.stderr)")
        #expect(try MigrationFixtures.summary(copy.stdout)["itemsUploaded"] == 1)
        // A reading of at least a few MB proves the child was measured at all (a missed reading would be 0).
        #expect(copy.exit.peakRSS > 5_000_000, "no plausible peak RSS was read: \(copy.exit.peakRSS) bytes")
        #expect(copy.exit.peakRSS < 100_000_000, "peak RSS \(copy.exit.peakRSS) bytes")
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(root)/dst/big/huge.jpg")
        #expect((attributes[.size] as? Int) == size)
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// SplitMix64: the same delays for the same seed on every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// SIGINT stops a copy cleanly (exit 130, journal consistent) and the next run finishes it.
@Suite(.serialized)
struct CopyInterruptionTests {
    @Test func sigintStopsWithExit130AndTheNextRunCompletes() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 4, items: 150, minSize: 50_000, maxSize: 300_000)
        let env = ["HOME": root]
        let journal = "\(root)/journal.sqlite"
        let child = try ChildProcess.spawn(
            ["copy", "\(root)/src", "\(root)/dst", "--journal", journal], environment: env)
        try await Task.sleep(for: .microseconds(150_000))
        let stillRunning = child.isRunning
        child.kill(signal: SIGINT)
        let exit = await child.wait(timeout: 120)
        if stillRunning, exit.status != 0 {
            #expect(exit.status == 130, "\(child.stderr)")
            #expect(child.stderr.contains("Stopping"))
            #expect(child.stderr.contains("Run the same command again to resume"))
        }
        let resumed = try await ChildProcess.run(
            ["copy", "\(root)/src", "\(root)/dst", "--journal", journal, "--json"], environment: env)
        #expect(resumed.exit.status == 0, "\(resumed.stderr)")
        let verify = try await ChildProcess.run(
            ["verify", "\(root)/src", "\(root)/dst", "--journal", journal], environment: env)
        #expect(verify.exit.status == 0, "\(verify.stdout)")
        #expect(
            MigrationFixtures.mediaFiles(under: "\(root)/dst") == MigrationFixtures.mediaFiles(under: "\(root)/src"))
        try? FileManager.default.removeItem(atPath: root)
    }
}
