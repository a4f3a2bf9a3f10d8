import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `gallery-hub sandbox` end to end: the built binary starts the emulators, prints one JSON document, writes a
/// remotes file another `gallery-hub` reads, and exits cleanly on SIGTERM.
@Suite struct SandboxCommandTests {
    @Test func startsAnnouncesWritesRemotesAndStopsOnSIGTERM() async throws {
        let folder = NSTemporaryDirectory() + "gh-sandbox-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let remotes = folder + "/remotes.toml"
        let child = try ChildProcess.spawn(["sandbox", "--json", "--seed", "demo", "--remotes-file", remotes])
        // Wait (bounded) for the one JSON document announcing readiness.
        let deadline = Date().addingTimeInterval(60)
        while !child.stdout.hasSuffix("\n"), Date() < deadline { try await Task.sleep(for: .microseconds(50_000)) }
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(child.stdout.utf8)) as? [String: Any], "stdout: \(child.stdout)"
        )
        let omnitcode = try #require((document["emulators"] as? [String: Any])?["omnitcode"] as? [String: String])
        #expect(omnitcode["baseURL"]?.hasPrefix("http://127.0.0.1:") == true)
        #expect(omnitcode["email"] != nil && omnitcode["password"] != nil)

        let attributes = try FileManager.default.attributesOfItem(atPath: remotes)
        #expect(((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0) & 0o777 == 0o600)

        // Another process lists the demo galleries through the written remote and the Omnitcode adapter.
        let listing = try await ChildProcess.run(
            ["ls", "sandbox-omnitcode:"], environment: ["GALLERY_HUB_CONFIG": remotes], timeout: 60)
        #expect(listing.exit.status == 0, "\(listing.stderr)")
        #expect(listing.stdout.contains("Harbour walk"))
        #expect(listing.stdout.contains("Empty draft"))

        child.kill(signal: SIGTERM)
        let exit = await child.wait(timeout: 30)
        #expect(exit.status == 0, "stderr: \(child.stderr)")
        #expect(exit.signal == nil)
    }

    @Test func rejectsUnknownPlatformsAndSeeds() async throws {
        let platform = try await ChildProcess.run(["sandbox", "--only", "myspace"], timeout: 30)
        #expect(platform.exit.status != 0)
        #expect(platform.stderr.contains("myspace"))
        let seed = try await ChildProcess.run(["sandbox", "--seed", "lots"], timeout: 30)
        #expect(seed.exit.status != 0)
        #expect(seed.stderr.contains("--seed"))
    }
}
