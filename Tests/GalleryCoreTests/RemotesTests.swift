@testable import GalleryCore
import Testing

@Suite struct RemotesTests {
    static let registry = BackendRegistry([
        BackendDescriptor(
            name: "local", summary: "folder", options: [BackendOption("path", help: "root", isRequired: true)],
            capabilities: .lossless, inlineOption: "path"
        ) { _, _ in throw GalleryError(.unsupported, "not in this test") },
        BackendDescriptor(
            name: "omnitcode", summary: "cms",
            options: [BackendOption("url", help: "base"), BackendOption("password", help: "pw", isSecret: true)],
            capabilities: .lossless, inlineOption: "url"
        ) { _, _ in throw GalleryError(.unsupported, "not in this test") },
    ])

    static let toml = """
        # sandbox
        [sandbox-omnitcode]
        type = "omnitcode"
        url = "http://127.0.0.1:5000"
        password = "${OMNI_PW}"
        retries = 3

        [plain]
        type = "omnitcode"
        password = "hunter2"
        """

    @Test func namedRemoteResolvesEnvironmentReferences() throws {
        let file = try RemotesFile.parse(Self.toml, path: "/tmp/r.toml")
        let resolver = RemoteResolver(registry: Self.registry, remotesFile: file, environment: ["OMNI_PW": "s3cret"])
        let remote = try resolver.resolve("sandbox-omnitcode:")
        #expect(
            remote.type == "omnitcode" && remote.options["password"] == "s3cret" && remote.options["retries"] == "3")
        #expect(remote.maskedOptions(secrets: ["password"])["password"] == SecretMasking.mask)
    }

    @Test func unsetVariableIsAConfigurationErrorNamingIt() throws {
        let file = try RemotesFile.parse(Self.toml)
        let resolver = RemoteResolver(registry: Self.registry, remotesFile: file, environment: [:])
        do {
            _ = try resolver.resolve("sandbox-omnitcode:")
            Issue.record("resolved without OMNI_PW")
        } catch let error as GalleryError {
            #expect(error.code == .configuration && error.message.contains("OMNI_PW"))
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func inlineAndPlainPathRemotes() throws {
        let resolver = RemoteResolver(
            registry: Self.registry, remotesFile: RemotesFile(), environment: ["HOME": "/home/u"])
        #expect(try resolver.resolve("local:./photos").options["path"] == "./photos")
        #expect(try resolver.resolve("./photos").type == "local")
        #expect(try resolver.resolve("~/pics").options["path"] == "/home/u/pics")
        #expect(try resolver.resolve("omnitcode:https://cms.example.org").options["url"] == "https://cms.example.org")
        #expect(throws: GalleryError.self) { try resolver.resolve("nosuch:thing") }
    }

    @Test func clearSecretsInAReadableFileAreWarnedAbout() throws {
        var file = try RemotesFile.parse(Self.toml, path: "/tmp/r.toml")
        file.permissions = 0o644
        let warnings = file.securityWarnings(registry: Self.registry)
        #expect(warnings.count == 1 && warnings[0].contains("'plain'") && warnings[0].contains("chmod 600"))
        #expect(!warnings[0].contains("hunter2"))
        file.permissions = 0o600
        #expect(file.securityWarnings(registry: Self.registry).isEmpty)
    }

    @Test func aPasswordInAURLsUserInfoIsMaskedAndLeftOutOfIdentities() {
        let config = RemoteConfig(
            name: "cms", type: "omnitcode", options: ["url": "http://admin:PW-secret@cms.example.org:8080/api?x=@"])
        #expect(config.maskedOptions(secrets: [])["url"] == "http://admin:***@cms.example.org:8080/api?x=@")
        #expect(SecretMasking.removingUserInfo("http://admin:PW@host/a@b") == "http://host/a@b")
        #expect(SecretMasking.removingUserInfo("https://host/path") == "https://host/path")
        #expect(SecretMasking.maskingUserInfo("http://user@host") == "http://user@host")
        #expect(SecretMasking.maskingUserInfo("./photos@2x") == "./photos@2x")
    }

    @Test func malformedTOMLSaysWhere() {
        #expect(throws: GalleryError.self) { try RemotesFile.parse("[a\ntype = ") }
        #expect(throws: GalleryError.self) { try RemotesFile.parse("[a]\nurl = \"x\"") }
    }

    @Test func anUnknownOptionOrTypeIsRefusedWithTheNearestName() throws {
        let file = try RemotesFile.parse(Self.toml, path: "/tmp/r.toml")
        let error = try #require(throws: GalleryError.self) { try file.validate(registry: Self.registry) }
        #expect(
            error.code == .configuration && error.message.contains("'retries'") && error.message.contains("/tmp/r.toml")
        )
        let misspelt = RemotesFile.Entry(name: "m", type: "omnitcode", options: ["pasword": "x"])
        let hint = try #require(throws: GalleryError.self) {
            try RemotesFile.validate(misspelt, registry: Self.registry, file: nil)
        }.hint
        #expect(hint?.contains("Did you mean 'password'") == true)
        let unknown = RemotesFile.Entry(name: "f", type: "flickr", options: [:])
        #expect(throws: GalleryError.self) { try RemotesFile.validate(unknown, registry: Self.registry, file: nil) }
        #expect(RemotesFile.closest(to: "campaing", among: ["campaign", "cdn"]) == "campaign")
        #expect(RemotesFile.closest(to: "zzzzzz", among: ["url"]) == nil)
    }

    @Test func environmentVariablesDefineAndOverrideRemotes() throws {
        let environment = [
            "GALLERY_HUB_SANDBOX_OMNITCODE_PASSWORD": "from-env", "GALLERY_HUB_CI_CMS_TYPE": "omnitcode",
            "GALLERY_HUB_CI_CMS_URL": "http://ci", "GALLERY_HUB_OMNITCODE_PASSWORD": "inline-secret",
            "GALLERY_HUB_PLAIN_RETRIES": "9",
        ]
        let file = try RemotesFile.parse(Self.toml, path: "/tmp/r.toml")
            .applyingEnvironment(environment, registry: Self.registry)
        let resolver = RemoteResolver(registry: Self.registry, remotesFile: file, environment: environment)
        let overridden = try resolver.resolve("sandbox-omnitcode:")
        #expect(overridden.options["password"] == "from-env")
        #expect(
            file.entries["sandbox-omnitcode"]?.environmentOptions["password"]
                == "GALLERY_HUB_SANDBOX_OMNITCODE_PASSWORD")
        // Only the type's own options are taken from the environment.
        #expect(try resolver.resolve("plain:").options["retries"] == nil)
        for spelling in ["ci-cms:", "ci_cms:", "CI_CMS:"] {
            let defined = try resolver.resolve(spelling)
            #expect(defined.type == "omnitcode" && defined.options["url"] == "http://ci", "\(spelling)")
        }
        let inline = try resolver.resolve("omnitcode:http://cms.example.org")
        #expect(inline.options["password"] == "inline-secret" && inline.options["url"] == "http://cms.example.org")
        // A secret that came from the environment is no secret kept in clear in the file.
        var readable = file
        readable.permissions = 0o644
        #expect(readable.securityWarnings(registry: Self.registry).allSatisfy { !$0.contains("sandbox-omnitcode") })
    }

    @Test func aRenderedRemoteParsesBackToTheSameEntry() throws {
        let entry = RemotesFile.Entry(
            name: "odd name", type: "omnitcode",
            options: ["url": "http://h/\"q\"", "password": "a\\b\nc\u{1}"], galleryMatches: ["2019/rome": "new"])
        let parsed = try RemotesFile.parse(RemotesFile.render(entry))
        #expect(parsed.entries["odd name"] == entry)
    }
}
