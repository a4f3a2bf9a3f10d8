import Foundation
import Testing

/// `-P`, `-q`, `--log-file`, `--log-format json` and the verbosity levels, through the built binary.
@Suite struct ProgressAndLogOptionsTests {
    let root: String
    let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path

    init() throws {
        root = try MigrationFixtures.temporaryFolder()
    }

    private func run(_ arguments: [String], _ environment: [String: String] = [:]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, isolatedIn: root, remotesFile: root + "/none.toml", environment: environment)
    }

    /// The live lines drawn in place: what follows each clear-line sequence, up to the next one or a newline.
    private func liveLines(_ stderr: String) -> [String] {
        stderr.components(separatedBy: "\r\u{1B}[2K").dropFirst()
            .map { String($0.prefix { $0 != "\n" }) }.filter { !$0.isEmpty }
    }

    @Test func forcedProgressShowsPhasesAndTheTransferWithinTheTerminalWidth() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let copied = try await run(
            ["copy", examples, "local:\(root)/dst", "-P", "--journal", root + "/journal.sqlite"], ["COLUMNS": "40"])
        #expect(copied.status == 0, "\(copied.stderr)")
        let lines = liveLines(copied.stderr)
        #expect(lines.contains { $0.hasPrefix("listing source… ") }, "\(lines)")
        #expect(lines.contains { $0.contains("/12 items") }, "\(lines)")
        // One column is left free: a line filling the last column makes some terminals wrap.
        for line in lines { #expect(line.count <= 39, "\(line.count) columns: \(line)") }
        #expect(copied.stdout.contains("elapsed: ") && copied.stdout.contains("/s on average"), "\(copied.stdout)")

        let wide = try await run(["verify", examples, "local:\(root)/dst", "-P"], ["COLUMNS": "120"])
        #expect(wide.status == 0, "\(wide.stderr)")
        #expect(liveLines(wide.stderr).contains { $0.hasPrefix("verifying bytes… ") }, "\(wide.stderr)")
    }

    @Test func quietPrintsNothingOnStderrAndRefusesVerbose() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let copied = try await run(["copy", examples, "local:\(root)/dst", "-q", "--journal", root + "/j.sqlite"])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(copied.stderr.isEmpty, "\(copied.stderr)")
        #expect(copied.stdout.contains("Copied"))
        let refused = try await run(["plan", examples, "local:\(root)/dst", "-q", "-v"])
        #expect(refused.status == 64, "\(refused.stderr)")
        let both = try await run(["plan", examples, "local:\(root)/dst", "-q", "-P"])
        #expect(both.status == 64, "\(both.stderr)")
    }

    @Test func aJSONLogFileGetsOneObjectPerLineAndIsPrivate() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let log = root + "/copy.log"
        let copied = try await run([
            "copy", examples, "local:\(root)/dst", "-v", "--log-file", log, "--log-format", "json",
            "--journal", root + "/journal.sqlite",
        ])
        #expect(copied.status == 0, "\(copied.stderr)")
        #expect(!copied.stderr.contains("uploaded"), "log lines belong in the file: \(copied.stderr)")
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: log)[.posixPermissions] as? Int)
        #expect(mode & 0o077 == 0, "mode \(String(mode, radix: 8))")
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        let objects = try lines.map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any], "\($0)")
        }
        let uploads = objects.filter { ($0["message"] as? String)?.hasPrefix("uploaded ") == true }
        #expect(uploads.count == 12, "\(lines)")
        for object in objects {
            #expect(object["level"] is String && object["time"] is String && object["label"] is String, "\(object)")
        }

        let unwritable = try await run(["ls", examples, "--log-file", root + "/missing/folder/log"])
        #expect(unwritable.status != 0 && unwritable.stderr.contains("--log-file"), "\(unwritable.stderr)")
    }

    @Test func theHTTPClientsInternalsNeedAThirdVerbosityLevel() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let (sandbox, emulators) = try await ChildProcess.sandbox(["--only", "omnitcode", "--seed", "demo"])
        defer { sandbox.stop() }
        let omnitcode = try #require(emulators["omnitcode"])
        let login = [
            "GALLERY_HUB_OMNITCODE_EMAIL": try #require(omnitcode["email"]),
            "GALLERY_HUB_OMNITCODE_PASSWORD": try #require(omnitcode["password"]),
        ]
        let url = try #require(omnitcode["baseURL"])
        let debug = try await run(["ls", "omnitcode:\(url)", "-vv"], login)
        #expect(debug.status == 0, "\(debug.stderr)")
        #expect(debug.stderr.contains("GalleryHTTP") || debug.stderr.contains(" http"), "\(debug.stderr)")
        #expect(!debug.stderr.contains("ahc-"), "\(debug.stderr.prefix(2_000))")
        let trace = try await run(["ls", "omnitcode:\(url)", "-vvv"], login)
        #expect(trace.status == 0, "\(trace.stderr)")
        #expect(trace.stderr.contains("ahc-"), "\(trace.stderr.prefix(2_000))")
    }
}
