import Foundation
import Testing

/// `-v` prints one line per item done, naming the file and its gallery as the user knows them.
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
}
