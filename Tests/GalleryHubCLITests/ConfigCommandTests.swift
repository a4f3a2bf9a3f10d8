import Foundation
import Testing

/// The remotes file as rclone users expect it: `config create` checks and writes it privately, `config show`
/// masks it, a file naming an unknown type or option is refused when read, and `GALLERY_HUB_<REMOTE>_<KEY>`
/// variables define remotes, override the file and give inline HTTP remotes their secrets.
@Suite struct ConfigCommandTests {
    let root: String
    let remotes: String
    let environment: [String: String]

    init() throws {
        root = try MigrationFixtures.temporaryFolder()
        remotes = root + "/config/remotes.toml"
        environment = ["HOME": root + "/home", "XDG_STATE_HOME": root + "/state", "GALLERY_HUB_CONFIG": remotes]
    }

    func run(_ arguments: [String], _ extra: [String: String] = [:]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, environment: environment.merging(extra) { _, new in new })
    }

    @Test func configCreateChecksTheOptionsAndWritesAPrivateFileTheCommandsRead() async throws {
        let photos = root + "/photos"
        try MigrationFixtures.makeSource(at: photos, galleries: 1, items: 2)

        let created = try await run(["config", "create", "mine", "local", "path=\(photos)"])
        #expect(created.status == 0, "\(created.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: remotes)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600, "remotes file mode \(String(mode?.intValue ?? 0, radix: 8))")
        let listed = try await run(["ls", "mine:", "--json"])
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout.contains("gallery-0"), "\(listed.stdout)")

        let secret = try await run([
            "config", "create", "cms", "omnitcode", "url=http://127.0.0.1:9", "email=a@example.org",
            "password=${CMS_PASSWORD}",
        ])
        #expect(secret.status == 0, "\(secret.stderr)")
        #expect(
            try String(contentsOfFile: remotes, encoding: .utf8).contains("password = \"${CMS_PASSWORD}\""))

        // A secret is taken from standard input or as a reference, never written out on the command line.
        let literal = try await run(["config", "create", "leak", "omnitcode", "url=http://h", "password=hunter2"])
        #expect(literal.status == 64 && literal.stderr.contains("password=-"), "\(literal.stderr)")
        let piped = try await runPiped(
            "piped-secret\n", ["config", "create", "piped", "omnitcode", "url=http://h", "password=-"])
        #expect(piped.status == 0 && !piped.stdout.contains("piped-secret"), "\(piped.stdout)")
        let text = try String(contentsOfFile: remotes, encoding: .utf8)
        #expect(text.contains("password = \"piped-secret\""), "\(text)")

        let twice = try await run(["config", "create", "mine", "local", "path=/elsewhere"])
        #expect(twice.status == 11, "\(twice.stderr)")
        let misspelt = try await run(["config", "create", "other", "omnitcode", "url=http://h", "pasword=x"])
        #expect(misspelt.status == 3 && misspelt.stderr.contains("Did you mean 'password'"), "\(misspelt.stderr)")
        let unknownType = try await run(["config", "create", "other", "flickr", "url=http://h"])
        #expect(unknownType.status == 3 && unknownType.stderr.contains("flickr"), "\(unknownType.stderr)")
        let missing = try await run(["config", "create", "other", "omnitcode"])
        #expect(missing.status == 3 && missing.stderr.contains("needs url"), "\(missing.stderr)")
        let shadow = try await run(["config", "create", "local", "local", "path=/x"])
        #expect(shadow.status == 64, "\(shadow.stderr)")
        // What was refused left the file as it was.
        #expect(try String(contentsOfFile: remotes, encoding: .utf8) == text)
    }

    @Test(arguments: [
        ("type = \"flickr\"\nurl = \"http://h\"", "flickr"),
        ("type = \"omnitcode\"\nurl = \"http://h\"\npasword = \"x\"", "Did you mean 'password'"),
    ])
    func aFileWithAnUnknownTypeOrOptionIsRefusedWhenRead(table: String, expected: String) async throws {
        try FileManager.default.createDirectory(
            atPath: root + "/config", withIntermediateDirectories: true)
        let text = "[photos]\ntype = \"local\"\npath = \"\(root)\"\n\n[odd]\n\(table)\n"
        try text.write(toFile: remotes, atomically: true, encoding: .utf8)
        // Even a command that uses another remote refuses the file, naming the remote and the file.
        let listed = try await run(["ls", "photos:", "--json"])
        #expect(listed.status == 3, "\(listed.stdout) \(listed.stderr)")
        #expect(listed.stderr.contains("'odd'") && listed.stderr.contains(expected), "\(listed.stderr)")
        #expect(listed.stderr.contains(remotes), "\(listed.stderr)")
        let document = try listed.json()
        #expect((document["error"] as? [String: Any])?["exitCode"] as? Int == 3)
    }

    @Test func environmentVariablesDefineRemotesOverrideTheFileAndCarryInlineSecrets() async throws {
        let (sandbox, emulators) = try await ChildProcess.sandbox(["--only", "omnitcode", "--seed", "demo"])
        defer { sandbox.stop() }
        let omnitcode = try #require(emulators["omnitcode"])
        let url = try #require(omnitcode["baseURL"])
        let email = try #require(omnitcode["email"])
        let password = try #require(omnitcode["password"])

        // An inline HTTP remote: its URL on the command line, its login in the environment.
        let inline = try await run(
            ["ls", "omnitcode:\(url)", "--json"],
            ["GALLERY_HUB_OMNITCODE_EMAIL": email, "GALLERY_HUB_OMNITCODE_PASSWORD": password])
        #expect(inline.status == 0, "\(inline.stderr)")
        let galleries = try inline.json()["galleries"] as? [[String: Any]]
        #expect((galleries?.count ?? 0) > 0, "\(inline.stdout)")
        let withoutLogin = try await run(["ls", "omnitcode:\(url)"])
        #expect(withoutLogin.status != 0)

        // A remote defined by the environment alone, spelt either way on the command line.
        let defined = [
            "GALLERY_HUB_CI_CMS_TYPE": "omnitcode", "GALLERY_HUB_CI_CMS_URL": url,
            "GALLERY_HUB_CI_CMS_EMAIL": email, "GALLERY_HUB_CI_CMS_PASSWORD": password,
        ]
        for name in ["ci-cms:", "ci_cms:"] {
            let listed = try await run(["ls", name, "--json"], defined)
            #expect(listed.status == 0, "\(name) \(listed.stderr)")
        }

        // A variable wins over the file: the file's wrong password is replaced.
        try FileManager.default.createDirectory(atPath: root + "/config", withIntermediateDirectories: true)
        try "[cms]\ntype = \"omnitcode\"\nurl = \"\(url)\"\nemail = \"\(email)\"\npassword = \"wrong-password\"\n"
            .write(toFile: remotes, atomically: true, encoding: .utf8)
        chmod(remotes, 0o600)
        let wrong = try await run(["ls", "cms:"])
        #expect(wrong.status == 4, "\(wrong.stderr)")
        let overridden = try await run(["ls", "cms:"], ["GALLERY_HUB_CMS_PASSWORD": password])
        #expect(overridden.status == 0, "\(overridden.stderr)")

        // `config show` says where each value came from, and shows no secret.
        let shown = try await run(["config", "show"], defined.merging(["GALLERY_HUB_CMS_PASSWORD": password]) { $1 })
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("[ci_cms]") && shown.stdout.contains("# from $GALLERY_HUB_CI_CMS_PASSWORD"))
        #expect(shown.stdout.contains("# from $GALLERY_HUB_CMS_PASSWORD"), "\(shown.stdout)")
        #expect(!shown.stdout.contains(password) && !shown.stdout.contains("wrong-password"), "\(shown.stdout)")
        let json = try await run(["config", "show", "cms", "--json"], ["GALLERY_HUB_CMS_PASSWORD": password])
        let remote = try #require((try json.json()["remotes"] as? [[String: Any]])?.first)
        #expect((remote["environment"] as? [String: String])?["password"] == "GALLERY_HUB_CMS_PASSWORD")
        #expect(!json.stdout.contains(password))
    }

    /// The CLI with `input` on its standard input, awaited without holding a thread.
    func runPiped(_ input: String, _ arguments: [String]) async throws -> (status: Int32, stdout: String) {
        let process = Process()
        process.executableURL = CLIRunner.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32, any Error>) in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
                stdin.fileHandleForWriting.write(Data(input.utf8))
                try stdin.fileHandleForWriting.close()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        return (status, String(decoding: output, as: UTF8.self))
    }
}
