import Foundation
import Testing

@Suite struct ListCommandTests {
    @Test func listsExampleGalleriesAsOneJSONDocument() async throws {
        let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path
        let result = try await CLIRunner.run(["ls", "local:\(examples)", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let galleries = try #require(try result.json()["galleries"] as? [[String: Any]])
        #expect(galleries.count >= 2)
        #expect(galleries.allSatisfy { $0["id"] is String && $0["title"] is String })
    }

    @Test func listsItemsInNaturalOrder() async throws {
        let folder = NSTemporaryDirectory() + "gh-cli-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/shots", withIntermediateDirectories: true)
        for name in ["img10.jpg", "img1.jpg", "img2.jpg"] {
            _ = FileManager.default.createFile(atPath: folder + "/shots/" + name, contents: Data([0xFF, 0xD8, 0xFF]))
        }
        let result = try await CLIRunner.run(["ls", folder, "shots", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let gallery = try #require(try result.json()["gallery"] as? [String: Any])
        let items = try #require(gallery["items"] as? [[String: Any]])
        #expect(items.compactMap { $0["filename"] as? String } == ["img1.jpg", "img2.jpg", "img10.jpg"])
    }

    @Test func unknownGalleryExitsWithNotFoundAndAHint() async throws {
        let folder = NSTemporaryDirectory() + "gh-cli-empty-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = try await CLIRunner.run(["ls", folder, "no-such-gallery-xyz", "--json"])
        #expect(result.status == 5)
        #expect(result.stderr.contains("hint:"))
        let error = try #require(try result.json()["error"] as? [String: Any])
        #expect(error["code"] as? String == "notFound")
    }

    @Test func backendsListsLocalWithItsCapabilities() async throws {
        let result = try await CLIRunner.run(["backends", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let backends = try #require(try result.json()["backends"] as? [[String: Any]])
        let local = try #require(backends.first { $0["name"] as? String == "local" })
        let caps = try #require(local["capabilities"] as? [String: Any])
        #expect(caps["order"] as? String == "explicit")
    }

    @Test func remotesMasksSecrets() async throws {
        let file = NSTemporaryDirectory() + "gh-remotes-" + UUID().uuidString + ".toml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        try "[mine]\ntype = \"omnitcode\"\nurl = \"http://127.0.0.1:9\"\npassword = \"hunter2\"\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let result = try await CLIRunner.run(["remotes", "--json", "--config", file])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(!result.stdout.contains("hunter2") && !result.stderr.contains("hunter2"))
        #expect(result.stdout.contains("***"))
        #expect(result.stderr.contains("chmod 600"))
    }
}
