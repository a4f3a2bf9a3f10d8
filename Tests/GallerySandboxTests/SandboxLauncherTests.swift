import Foundation
import GalleryCore
import GallerySandbox
import Testing

/// What `gallery-hub sandbox` prints and writes, checked against the core's own remotes-file reader.
@Suite struct SandboxLauncherTests {
    @Test func readyDocumentAndRemotesFileDescribeTheRunningEmulators() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sandbox-launcher-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let emulator = try OmnitcodeEmulator(options: .init(adminPassword: "pa\"ss\\word"))
        try await withSandbox([emulator]) { sandbox in
            let endpoint = try #require(sandbox["omnitcode"])
            #expect(endpoint.baseURL.hasPrefix("http://127.0.0.1:"))
            #expect(endpoint.baseURL != "http://127.0.0.1:0")

            let document = SandboxLauncher.readyDocument(sandbox)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(document.utf8)) as? [String: Any])
            let entry = try #require((parsed["emulators"] as? [String: Any])?["omnitcode"] as? [String: String])
            #expect(entry["baseURL"] == endpoint.baseURL)
            #expect(entry["email"] == "admin@sandbox.omnitcode.test")
            #expect(entry["password"] == "pa\"ss\\word")

            let path = folder.appendingPathComponent("nested/remotes.toml").path
            try SandboxLauncher.writeRemotesFile(sandbox, to: path)
            let file = try RemotesFile.load(path: path)
            #expect(file.permissions.map { $0 & 0o777 } == 0o600)
            let remote = try #require(try file.resolve("sandbox-omnitcode", environment: [:]))
            #expect(remote.type == "omnitcode")
            #expect(remote.options["url"] == endpoint.baseURL)
            #expect(remote.options["password"] == "pa\"ss\\word")
            // Written again (a second run), it is replaced, still private.
            try SandboxLauncher.writeRemotesFile(sandbox, to: path)
            #expect(try RemotesFile.load(path: path).permissions.map { $0 & 0o777 } == 0o600)
        }
    }

    @Test func aDataFolderKeepsStateAcrossRestarts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-data-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = SandboxLauncher.Options(seed: .demo, dataDirectory: folder.path)
        let first = try SandboxPlatform.makeEmulator("omnitcode", options: options)
        let second = try SandboxPlatform.makeEmulator("omnitcode", options: options)
        #expect(first.credentials.map(\.value) == second.credentials.map(\.value))
        let state = folder.appendingPathComponent("omnitcode/state.json").path
        #expect(FileManager.default.fileExists(atPath: state))
        let uploads = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("omnitcode/uploads/media").path)
        #expect(uploads.count == 3)
        #expect(throws: SandboxError.self) { try SandboxPlatform.makeEmulator("myspace", options: options) }
    }
}
