import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `copy` into the Omnitcode sandbox killed with SIGKILL at ten seeded moments, resumed each time: the last run
/// verifies, and the media library holds exactly one row per item (an upload killed before its link is linked
/// by the next run, never uploaded again).
@Suite struct OmnitcodeKillResumeTests {
    @Test(.timeLimit(.minutes(3)))
    func tenKillsLeaveNoOrphanUpload() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        try MigrationFixtures.makeSource(at: "\(root)/src", galleries: 2, items: 100, minSize: 2_000, maxSize: 20_000)
        let remotes = "\(root)/remotes.toml"
        let (sandbox, emulators) = try await ChildProcess.sandbox([
            "--only", "omnitcode", "--seed", "empty", "--fault", "omnitcode:latency=5", "--remotes-file", remotes,
        ])
        defer { sandbox.stop() }
        let origin = try #require(emulators["omnitcode"]?["baseURL"])

        let env = ["HOME": root, "GALLERY_HUB_CONFIG": remotes]
        let journal = "\(root)/journal.sqlite"
        let copy = ["copy", "local:\(root)/src", "sandbox-omnitcode:", "--journal", journal]
        var generator = SeededGenerator(seed: 2026)
        var killedMidRun = 0
        let statsURL = try #require(URL(string: origin + "/__sandbox/omnitcode/stats"))
        @Sendable func mediaRows() -> Int {
            guard let data = try? Data(contentsOf: statsURL),
                let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
            else { return 0 }
            return object["media"] as? Int ?? 0
        }
        for _ in 0..<10 {
            // The kill point is a seeded number of new uploads into the run (not a time, which a loaded machine
            // would stretch), at a seeded instant within the next request or two.
            let before = mediaRows()
            let target = before + Int.random(in: 1...12, using: &generator)
            let child = try ChildProcess.spawn(copy, environment: env)
            await child.kill(
                signal: SIGKILL, once: { mediaRows() >= target },
                delay: UInt32.random(in: 0...20_000, using: &generator),
                pollEvery: 5_000, timeout: 90)
            let exit = await child.wait(timeout: 120)
            #expect(exit.signal == SIGKILL || exit.status == 0, "\(child.stderr)")
            if exit.signal == SIGKILL { killedMidRun += 1 }
        }
        let last = try await ChildProcess.run(copy, environment: env, timeout: 120)
        #expect(last.exit.status == 0, "\(last.stdout)\(last.stderr)")
        let verify = try await ChildProcess.run(
            ["verify", "local:\(root)/src", "sandbox-omnitcode:", "--journal", journal], environment: env,
            timeout: 120)
        #expect(verify.exit.status == 0, "\(verify.stdout)\(verify.stderr)")

        let media = mediaRows()
        #expect(killedMidRun >= 8, "the kills came too late to interrupt anything")
        #expect(media == 200, "\(media) media rows for 200 items after \(killedMidRun) kills")
    }
}
