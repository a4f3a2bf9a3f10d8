import Foundation
import Testing

/// `-v` prints one line per item done, naming the file and its gallery as the user knows them; `-vv` retry lines
/// say what the server answered and how long the wait is, in seconds a person reads.
@Suite struct VerboseLogTests {
    @Test func verboseCopyLogsOneLinePerItem() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path
        let result = try await CLIRunner.run(
            ["copy", "local:\(examples)", "local:\(root)/dst", "-v", "--journal", root + "/journal.sqlite"],
            environment: ["HOME": root, "XDG_STATE_HOME": root + "/state"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stderr.split(separator: "\n").filter { $0.contains(" uploaded ") }
        #expect(lines.count == 12, "\(result.stderr)")
        #expect(result.stderr.contains("uploaded boats.webp in “Harbour walk”"), "\(result.stderr)")
    }

    @Test func retryLinesSayWhatTheServerAnsweredAndHowLongTheWaitIs() async throws {
        let root = try MigrationFixtures.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let remotes = root + "/remotes.toml"
        let (child, _) = try await ChildProcess.sandbox([
            "--only", "omnitcode", "--remotes-file", remotes, "--fault", "omnitcode:rate-limit=2,error-rate=0.3",
        ])
        defer { child.stop() }
        let result = try await CLIRunner.run(
            ["ls", "sandbox-omnitcode:", "-vv", "--config", remotes],
            environment: ["HOME": root, "XDG_STATE_HOME": root + "/state"])
        #expect(result.status == 0, "\(result.stderr)")
        let retries = result.stderr.split(separator: "\n").filter { $0.contains("retrying in ") }
        #expect(!retries.isEmpty, "\(result.stderr)")
        for line in retries {
            #expect(line.contains("(HTTP 429)") || line.contains("with HTTP 5"), "\(line)")
            #expect(line.range(of: #"retrying in \d+\.\d\d s$"#, options: .regularExpression) != nil, "\(line)")
            #expect(!line.contains("GalleryError") && !line.contains("Duration"), "\(line)")
        }
    }
}
