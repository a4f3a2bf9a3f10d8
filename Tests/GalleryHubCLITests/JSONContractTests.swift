import Foundation
import Testing

/// Every `--json` document against its golden file in `Snapshots/`, and the rules all of them share: a
/// `schema` and `schemaVersion`, the same output on every run, and an error document whose `exitCode` is the
/// process's exit status (Docs/report-schema.md).
///
/// A golden file is re-recorded only on purpose: `GALLERY_HUB_RECORD_SNAPSHOTS=1 swift test --filter
/// JSONContractTests`, then review the diff. What differs from run to run by nature (the temporary folder,
/// file times, the run's timing) is replaced by placeholders before comparing.
@Suite(.serialized)
struct JSONContractTests {
    let root: String
    let examples = CLIRunner.repositoryRoot.appendingPathComponent("Examples").path
    let environment: [String: String]

    init() throws {
        root = try MigrationFixtures.temporaryFolder()
        environment = ["HOME": root + "/home", "XDG_STATE_HOME": root + "/state"]
    }

    func run(_ arguments: [String]) async throws -> CLIRunner.Result {
        try await CLIRunner.run(arguments, environment: environment)
    }

    /// The document with run-dependent values replaced, pretty-printed with sorted keys.
    func normalized(_ stdout: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8))
        func clean(_ value: Any) -> Any {
            switch value {
            case let dictionary as [String: Any]:
                var result: [String: Any] = [:]
                for (key, value) in dictionary {
                    switch key {
                    case "modified", "created": result[key] = "<time>"
                    case "timing": result[key] = "<timing>"
                    default: result[key] = clean(value)
                    }
                }
                return result
            case let array as [Any]: return array.map(clean)
            case let string as String:
                return string.replacingOccurrences(of: root, with: "<tmp>")
                    .replacingOccurrences(of: examples, with: "<examples>")
            default: return value
            }
        }
        let data = try JSONSerialization.data(
            withJSONObject: clean(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Compares with `Snapshots/NAME.json` (records it when asked to).
    func expectGolden(_ name: String, _ result: CLIRunner.Result, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let document = try #require(try? result.json(), "not one JSON document: \(result.stdout) \(result.stderr)")
        let schema = try #require(document["schema"] as? String, "no schema in \(name)", sourceLocation: sourceLocation)
        #expect(schema.hasPrefix("gallery-hub/"), sourceLocation: sourceLocation)
        #expect(document["schemaVersion"] is Int, "no schemaVersion in \(name)", sourceLocation: sourceLocation)
        let text = try normalized(result.stdout)
        let file = CLIRunner.repositoryRoot.appendingPathComponent("Tests/GalleryHubCLITests/Snapshots/\(name).json")
        if ProcessInfo.processInfo.environment["GALLERY_HUB_RECORD_SNAPSHOTS"] == "1" {
            try text.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try #require(
            try? String(contentsOf: file, encoding: .utf8),
            "no golden file \(file.path): record it with GALLERY_HUB_RECORD_SNAPSHOTS=1", sourceLocation: sourceLocation
        )
        #expect(
            text == golden, "\(name) differs from its golden file \(file.path):\n\(text)",
            sourceLocation: sourceLocation)
    }

    @Test func everyDocumentMatchesItsGoldenFile() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let destination = "local:\(root)/dst"
        try await expectGolden("backends", try run(["backends", "--json"]))
        let remotes = root + "/remotes.toml"
        try "[photos]\ntype = \"local\"\npath = \"/srv/photos\"\n".write(
            toFile: remotes, atomically: true, encoding: .utf8)
        try await expectGolden("remotes", try run(["remotes", "--json", "--config", remotes]))
        try await expectGolden("galleries", try run(["ls", "local:\(examples)", "--json"]))
        try await expectGolden("gallery", try run(["ls", "local:\(examples)", "harbour-walk", "--json"]))
        try await expectGolden("plan", try run(["plan", "local:\(examples)", destination, "--json"]))
        let copy = try await run([
            "copy", "local:\(examples)", destination, "--json", "--journal", root + "/journal.sqlite",
        ])
        #expect(copy.status == 0, "\(copy.stderr)")
        try expectGolden("copy", copy)
        let timing = try #require(try copy.json()["timing"] as? [String: Any])
        #expect(timing["started"] is String && timing["finished"] is String && timing["seconds"] is Double)
        try await expectGolden(
            "verify",
            try run(["verify", "local:\(examples)", destination, "--json", "--journal", root + "/journal.sqlite"]))
        let missing = try await run(["ls", "local:\(examples)", "no-such-gallery", "--json"])
        #expect(missing.status == 5)
        try expectGolden("error", missing)
    }

    @Test func twoIdenticalPlansPrintTheSameDocument() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Omnitcode's declared capabilities carry sets (visibilities, allowed types): their order must not vary.
        let first = try await run(["backends", "--json"])
        let second = try await run(["backends", "--json"])
        #expect(first.stdout == second.stdout)
        var plans: [CLIRunner.Result] = []
        for _ in 0..<2 { plans.append(try await run(["plan", "local:\(examples)", "local:\(root)/dst", "--json"])) }
        #expect(plans[0].status == 0, "\(plans[0].stderr)")
        #expect(plans[0].stdout == plans[1].stdout)
    }

    /// Over HTTP a plan's requests and rate-limit waits depend on timing: they go to stderr, so the document
    /// stays the same from run to run.
    @Test func twoIdenticalPlansOfAServicePrintTheSameDocument() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        let remotes = root + "/remotes.toml"
        let (child, _) = try await ChildProcess.sandbox(["--only", "omnitcode", "--remotes-file", remotes])
        defer { child.stop() }
        for (source, destination) in [
            ("sandbox-omnitcode:", "local:\(root)/backup"), ("local:\(examples)", "sandbox-omnitcode:"),
        ] {
            var plans: [CLIRunner.Result] = []
            for _ in 0..<2 {
                plans.append(try await run(["plan", source, destination, "--json", "--config", remotes]))
            }
            #expect(plans[0].status == 0, "\(plans[0].stderr)")
            #expect(plans[0].stdout == plans[1].stdout)
            #expect(try plans[0].json()["requests"] == nil, "\(plans[0].stdout.prefix(400))")
            #expect(plans[0].stderr.contains("requests: sandbox-omnitcode ("), "\(plans[0].stderr)")
        }
    }

    /// The error document's `exitCode` is the status the process ends with: a usage error (64), a copy refused
    /// for losses (15), a gallery not found (5).
    @Test func theErrorDocumentsExitCodeIsTheProcesssExitStatus() async throws {
        defer { try? FileManager.default.removeItem(atPath: root) }
        // Kanka keeps no order and no cover: a copy into it has losses, refused before any connection.
        let remotes = root + "/remotes.toml"
        try "[k]\ntype = \"kanka\"\nurl = \"http://127.0.0.1:9\"\ntoken = \"t\"\ncampaign = \"1\"\n"
            .write(toFile: remotes, atomically: true, encoding: .utf8)
        let cases: [[String]] = [
            ["copy", "--json", "--no-such-flag", "a", "b"],
            ["copy", "--json", "--transfers", "0", "a", "b"],
            ["ls", "--json", "local:\(examples)", "no-such-gallery"],
            ["copy", "--json", "local:\(examples)", "local:\(examples)/inner"],
        ]
        for arguments in cases {
            let result = try await run(arguments)
            #expect(result.status != 0, "\(arguments)")
            let document = try #require(try? result.json(), "\(arguments): no JSON: \(result.stdout) \(result.stderr)")
            #expect(document["schema"] as? String == "gallery-hub/error", "\(arguments)")
            let error = try #require(document["error"] as? [String: Any])
            #expect((error["exitCode"] as? Int).map(Int32.init) == result.status, "\(arguments): \(result.stdout)")
        }
    }
}
