import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// No secret leaves where it belongs: `ls`, `plan`, `copy` and `verify` against every emulator of the sandbox, at
/// `-vv` and with `--json`, with faults that make the servers answer garbage (logins included), and with a
/// password in a URL's user info, print no credential and no access token; journals hold none and are private.
@Suite struct SecretAuditTests {
    /// Option names whose values are credentials, in the sandbox's ready document and in remotes files.
    static let secretKeys: Set<String> = ["password", "token", "apiKey", "api_key", "key", "secret"]
    static let userInfoSecret = "UserInfoS3cret-do-not-print"

    @Test(.timeLimit(.minutes(10)))
    func noCredentialInOutputsJournalsOrErrors() async throws {
        let folder = NSTemporaryDirectory() + "gh-secrets-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let remotes = folder + "/remotes.toml"
        let (sandbox, emulators) = try await ChildProcess.sandbox([
            "--seed", "demo", "--remotes-file", remotes, "--data", folder + "/state",
        ])
        defer { sandbox.stop() }
        var secrets: Set<String> = [Self.userInfoSecret]
        for entry in emulators.values {
            for (key, value) in entry where Self.secretKeys.contains(key) && value.count >= 6 { secrets.insert(value) }
        }
        #expect(secrets.count > emulators.count, "no credential found in \(emulators)")

        // A remote whose URL carries a password in its user info, beside the sandbox's own remotes.
        let omnitcode = try #require(emulators["omnitcode"])
        let baseURL = try #require(omnitcode["baseURL"]).replacingOccurrences(
            of: "http://", with: "http://admin:\(Self.userInfoSecret)@")
        let extra = """

            [userinfo]
            type = "omnitcode"
            url = "\(baseURL)"
            email = "\(omnitcode["email"] ?? "")"
            password = "\(omnitcode["password"] ?? "")"

            """
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: remotes))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(extra.utf8))
        try handle.close()

        let home = folder + "/home"
        // The state folder is named outright, so a caller's own XDG_STATE_HOME cannot move the journals away.
        let environment = [
            "GALLERY_HUB_CONFIG": remotes, "HOME": home, "XDG_STATE_HOME": home + "/.local/state",
        ]
        var outputs: [(what: String, text: String)] = []
        let logs = folder + "/logs"
        try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true)
        var logFiles: [String] = []
        /// Every run at -vv also writes a log file, in text and JSON lines by turns.
        func run(_ arguments: [String]) async throws {
            var arguments = arguments
            if arguments.contains("-vv") {
                let path = logs + "/\(logFiles.count).log"
                logFiles.append(path)
                arguments += ["--log-file", path, "--log-format", logFiles.count % 2 == 0 ? "json" : "text"]
            }
            let result = try await CLIRunner.run(arguments, environment: environment)
            outputs.append((arguments.joined(separator: " "), result.stdout + "\n" + result.stderr))
        }
        try await run(["remotes"])
        try await run(["remotes", "--json"])
        for platform in emulators.keys.sorted() + ["userinfo"] {
            let remote = platform == "userinfo" ? "userinfo:" : "sandbox-\(platform):"
            let local = "local:\(folder)/out-\(platform)"
            try await run(["ls", remote, "-vv"])
            try await run(["plan", remote, local, "-vv", "--json"])
            try await run(["copy", remote, local, "-vv", "--json", "--accept-losses"])
            try await run(["verify", remote, local, "-vv", "--json"])
            try await run(["plan", CLIRunner.repositoryRoot.path + "/Examples", remote, "-vv"])
        }
        // Garbage answers to every request, logins included, until the retries give up: the errors quote the
        // servers' bodies, which hold tokens.
        for (platform, entry) in emulators {
            guard let base = entry["baseURL"].flatMap(URL.init(string:)), let port = base.port else { continue }
            let faults = "http://127.0.0.1:\(port)/__sandbox/faults"
            _ = try LoopbackHTTP.put(faults, json: ["malformedJSONRate": 1.0])
            // The fields of a login answer come in a different order each run: try a few times.
            for _ in 1...3 { try await run(["ls", "sandbox-\(platform):", "-vv", "--json"]) }
            try await run(["copy", "sandbox-\(platform):", "local:\(folder)/faulty-\(platform)", "-vv", "--json"])
            _ = try LoopbackHTTP.put(faults, json: [:])
        }

        // Every journal written under HOME, its WAL and its name.
        let stateFolder = home + "/.local/state/gallery-hub"
        let journals = (try? FileManager.default.subpathsOfDirectory(atPath: stateFolder)) ?? []
        #expect(!journals.isEmpty, "no journal under \(stateFolder)")
        for name in journals {
            let path = stateFolder + "/" + name
            outputs.append(("journal file name \(name)", name))
            if let bytes = FileManager.default.contents(atPath: path) {
                outputs.append(("journal \(name)", String(decoding: bytes, as: UTF8.self)))
            }
            let mode =
                (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?
                .intValue ?? 0
            #expect(mode & 0o077 == 0, "\(path) has mode \(String(mode, radix: 8))")
        }

        // Every log file, which holds what -vv printed and more.
        #expect(logFiles.count > 10)
        var loggedLines = 0
        for path in logFiles {
            let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
            loggedLines += text.split(separator: "\n").count
            outputs.append(("log file \(path)", text))
        }
        #expect(loggedLines > 100, "the log files hold \(loggedLines) lines")

        // A secret also leaks in part or made "safe" for a file name: compare its middle 12 letters and digits.
        func folded(_ text: String) -> String {
            String(text.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : "_" })
        }
        for (what, text) in outputs {
            for secret in secrets {
                let core = folded(secret).dropFirst(max(0, (secret.count - 12) / 2)).prefix(12)
                if text.contains(secret) || folded(text).contains(core) {
                    Issue.record("a credential (\(secret.prefix(3))…) appears in: \(what)")
                }
            }
            if let token = text.range(
                of: #""(access|refresh)_?[Tt]oken"\s*:\s*"[^"*]{6,}"#, options: .regularExpression)
            {
                Issue.record("a token value (\(text[token].prefix(20))…) appears in: \(what)")
            }
            if let token = text.range(of: #"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"#, options: .regularExpression) {
                Issue.record("an access token (\(text[token].prefix(12))…) appears in: \(what)")
            }
        }
        #expect(outputs.count > 20)
    }

    /// State the sandbox keeps in `--data` (passwords, signing secrets, refresh tokens) is readable by its owner only.
    @Test func sandboxStateFilesArePrivate() async throws {
        let folder = NSTemporaryDirectory() + "gh-state-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let (sandbox, _) = try await ChildProcess.sandbox(["--seed", "demo", "--data", folder])
        sandbox.kill(signal: SIGTERM)
        _ = await sandbox.wait(timeout: 30)
        let files = (try? FileManager.default.subpathsOfDirectory(atPath: folder)) ?? []
        #expect(!files.isEmpty)
        for name in files {
            let path = folder + "/" + name
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            guard attributes[.type] as? FileAttributeType == .typeRegular else { continue }
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0
            #expect(mode & 0o077 == 0, "\(name) has mode \(String(mode, radix: 8))")
        }
    }
}
