import Foundation
import Testing

/// `gallery-hub completion SHELL` prints a script that names the commands; an unknown shell is a usage error.
@Suite struct CompletionCommandTests {
    @Test(arguments: ["bash", "zsh", "fish"])
    func eachShellGetsAScriptNamingTheCommands(shell: String) async throws {
        let result = try await CLIRunner.run(["completion", shell])
        #expect(result.status == 0, "\(result.stderr)")
        for command in ["copy", "plan", "verify", "config"] {
            #expect(result.stdout.contains(command), "\(shell) script lacks \(command)")
        }
    }

    @Test func anUnknownShellIsAUsageError() async throws {
        let result = try await CLIRunner.run(["completion", "tcsh"])
        #expect(result.status == 64 && result.stderr.contains("bash, zsh or fish"), "\(result.stderr)")
    }
}
