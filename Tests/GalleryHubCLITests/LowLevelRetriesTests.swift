import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--low-level-retries` reaches every HTTP backend: two 5xx answers in a row fail a listing sent at most twice,
/// and are survived by one sent three times (the default).
@Suite struct LowLevelRetriesTests {
    @Test(.timeLimit(.minutes(5)))
    func theFlagBoundsTheSendsOfEveryHTTPBackend() async throws {
        let folder = NSTemporaryDirectory() + "gh-low-level-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let remotes = folder + "/remotes.toml"
        let (sandbox, emulators) = try await ChildProcess.sandbox(["--seed", "empty", "--remotes-file", remotes])
        defer { sandbox.stop() }
        let environment = ["GALLERY_HUB_CONFIG": remotes, "HOME": folder]
        #expect(emulators.keys.sorted() == ["kanka", "konigle", "omnitcode", "stash"])
        for platform in emulators.keys.sorted() {
            let base = try #require(emulators[platform]?["baseURL"].flatMap(URL.init(string:)))
            let faults = "http://127.0.0.1:\(try #require(base.port))/__sandbox/faults"
            // Omnitcode's login has a budget of its own (4 × the flag): fault only what comes after it.
            var plan: [String: Any] = ["serverErrorNext": 2]
            if platform == "omnitcode" { plan["pathPrefix"] = "/api/v1/galleries" }

            _ = try LoopbackHTTP.put(faults, json: plan)
            let twice = try await CLIRunner.run(
                ["ls", "sandbox-\(platform):", "--low-level-retries", "2"], environment: environment)
            #expect(twice.status != 0, "\(platform): two sends should not survive two 5xx")
            #expect(twice.stderr.contains("50"), "\(platform): \(twice.stderr)")

            _ = try LoopbackHTTP.put(faults, json: plan)
            let thrice = try await CLIRunner.run(["ls", "sandbox-\(platform):"], environment: environment)
            #expect(thrice.status == 0, "\(platform): exit \(thrice.status): \(thrice.stderr)")
            _ = try LoopbackHTTP.put(faults, json: [:])
        }
    }
}
