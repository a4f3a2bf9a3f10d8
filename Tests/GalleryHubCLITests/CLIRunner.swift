import Foundation
import Testing

/// Finds the built `gallery-hub` binary (SwiftPM places it beside the test bundle) and runs it to the end.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        func json() throws -> [String: Any] {
            let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
            return try #require(object as? [String: Any], "stdout is not one JSON object: \(stdout)")
        }
    }

    static var binary: URL {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // On Linux the runner is inside the build folder; on macOS inside the .xctest bundle.
        while !FileManager.default.fileExists(atPath: directory.appendingPathComponent("gallery-hub").path),
            directory.path != "/"
        {
            directory.deleteLastPathComponent()
        }
        return directory.appendingPathComponent("gallery-hub")
    }

    /// Runs the binary to the end (through ``ChildProcess``, the one way these tests start it).
    /// Runs with `root` as HOME and the state folder under it, and `remotesFile` as the remotes file, so a
    /// test reads and writes nothing of the user's; `environment` adds to or overrides that.
    static func run(
        _ arguments: [String], isolatedIn root: String, remotesFile: String, environment: [String: String] = [:]
    ) async throws -> Result {
        try await run(
            arguments,
            environment: ["HOME": root, "XDG_STATE_HOME": root + "/state", "GALLERY_HUB_CONFIG": remotesFile]
                .merging(environment) { $1 })
    }

    static func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> Result {
        let run = try await ChildProcess.run(arguments, environment: environment, timeout: 120)
        return Result(status: run.exit.status, stdout: run.stdout, stderr: run.stderr)
    }

    /// The repository's root, found from this source file.
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
