import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// A command against a server that is not there fails in seconds and names where it looked; a reader that
/// goes away (`| head`) ends the command quietly.
@Suite struct FailFastTests {
    /// A loopback port nothing listens on: bound by the OS, then released.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        try #require(bound)
        return Int(UInt16(bigEndian: address.sin_port))
    }

    @Test(arguments: ["omnitcode", "kanka", "konigle", "stash"])
    func aRefusedConnectionFailsInSecondsNamingTheHost(type: String) async throws {
        let port = try Self.closedPort()
        let file = NSTemporaryDirectory() + "gh-dead-\(UUID().uuidString).toml"
        defer { try? FileManager.default.removeItem(atPath: file) }
        let options =
            switch type {
            case "omnitcode": "email = \"a@example.org\"\npassword = \"pw\""
            case "kanka": "token = \"t\"\ncampaign = \"1\""
            case "konigle": "apiKey = \"k\""
            default: "apiKey = \"k\""
            }
        let url = "http://127.0.0.1:\(port)\(type == "stash" ? "/graphql" : "")"
        try "[dead]\ntype = \"\(type)\"\nurl = \"\(url)\"\n\(options)\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        chmod(file, 0o600)
        let run = try await ChildProcess.run(["ls", "dead:", "--config", file], timeout: 120)
        let result = CLIRunner.Result(status: run.exit.status, stdout: run.stdout, stderr: run.stderr)
        let seconds = run.exit.seconds
        #expect(result.status == 9, "\(type): \(result.status) \(result.stderr)")
        #expect(result.stderr.contains("127.0.0.1:\(port)"), "\(type): \(result.stderr)")
        #expect(result.stderr.contains("connection refused"), "\(type): \(result.stderr)")
        // Three sends with 0.5 s and 1 s between them; the slack is for a loaded two-core machine. The child's own
        // time: the test's task may wait far longer for a thread to resume on in the full parallel run.
        #expect(seconds < 10, "\(type): took \(seconds) s")
    }

    @Test func aClosedStdoutEndsTheCommandQuietly() throws {
        let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = ["ls", "local:\(examples)", "mountains"]
        var environment = ProcessInfo.processInfo.environment
        environment["GALLERY_HUB_CONFIG"] = NSTemporaryDirectory() + "gallery-hub-no-such-remotes.toml"
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        // The reader is gone before the first line is written, as `| head -0` would leave it.
        try output.fileHandleForReading.close()
        try process.run()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: stderr, as: UTF8.self)
        #expect(process.terminationReason == .uncaughtSignal, "exit \(process.terminationStatus): \(text)")
        #expect(process.terminationStatus == SIGPIPE, "\(text)")
        #expect(text.isEmpty, "\(text)")
    }
}
