import ArgumentParser
import Foundation
import GallerySandbox
import Logging

/// `gallery-hub sandbox`: local emulators of the supported platforms, for trying GalleryHub and for tests.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run local emulators of the platforms on 127.0.0.1 until interrupted.",
        discussion: """
            Each emulator listens on a port the OS picks. When all are ready, their URLs and logins are printed \
            (one JSON document with --json), and --remotes-file writes them as remotes named sandbox-<platform>. \
            Faults can be injected with --fault PLATFORM:SPEC or at runtime with PUT <url>/__sandbox/faults.
            """
    )

    @Flag(name: .long, help: "Print one JSON document when the emulators are ready.")
    var json = false

    @Option(
        name: .long,
        help: "Comma-separated platforms to start (default: all: \(SandboxPlatform.all.joined(separator: ","))).")
    var only: String?

    @Option(name: .long, help: "Start with demo content (demo) or only an admin account and languages (empty).")
    var seed: String = "demo"

    @Option(
        name: .long, help: "Write a remotes file naming each emulator sandbox-<platform> (mode 0600).",
        completion: .file(extensions: ["toml"]))
    var remotesFile: String?

    @Option(
        name: .long, help: "Keep emulator state in this folder (one subfolder per platform) instead of memory.",
        completion: .directory)
    var data: String?

    @Option(
        name: .long,
        help: """
            Inject faults, e.g. omnitcode:latency=50,error-rate=0.1,rate-limit=3,cut=1,malformed=1,every=40 \
            (repeatable; every=N spreads the counted faults one per N requests).
            """)
    var fault: [String] = []

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Switch an emulator to an alternative of a behaviour its service leaves open, e.g. kanka:name-rule=dotfile (repeatable).",
            discussion: SandboxVariants.choices.keys.sorted().flatMap { platform in
                (SandboxVariants.choices[platform] ?? []).map {
                    "\(platform):\($0.key)=\($0.values.joined(separator: "|")): \($0.help)"
                }
            }.joined(separator: "\n"),
            valueName: "platform:key=value"))
    var variant: [String] = []

    @Flag(name: .shortAndLong, help: "Log more (repeat for debug logs).")
    var verbose: Int

    var platforms: [String]? {
        only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
    }

    func validate() throws {
        guard SandboxSeed(rawValue: seed) != nil else {
            throw ValidationError(
                "--seed must be one of: \(SandboxSeed.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for platform in platforms ?? [] where !SandboxPlatform.all.contains(platform) {
            throw ValidationError(
                "Unknown platform '\(platform)' in --only; known: \(SandboxPlatform.all.joined(separator: ", "))")
        }
        _ = try faultPlans()
        _ = try variants()
    }

    /// `PLATFORM:REST` split at the first colon, with a known platform.
    static func platformAndSpec(_ text: String, option: String, form: String) throws -> [String] {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        guard parts.count == 2, SandboxPlatform.all.contains(parts[0]) else {
            throw ValidationError("\(option) needs \(form) with a known platform, got '\(text)'")
        }
        return parts
    }

    func variants() throws -> [String: [String: String]] {
        var picked: [String: [String: String]] = [:]
        for spec in variant {
            let parts = try Self.platformAndSpec(spec, option: "--variant", form: "PLATFORM:KEY=VALUE")
            do {
                picked[parts[0], default: [:]].merge(try SandboxVariants.parse(parts[1], platform: parts[0])) { $1 }
            } catch {
                throw ValidationError("\(error)")
            }
        }
        return picked
    }

    func faultPlans() throws -> [String: FaultPlan] {
        var plans: [String: FaultPlan] = [:]
        for spec in fault {
            let parts = try Self.platformAndSpec(spec, option: "--fault", form: "PLATFORM:SPEC")
            do {
                plans[parts[0]] = try FaultPlan(parsing: parts[1])
            } catch {
                throw ValidationError("\(error)")
            }
        }
        return plans
    }

    func run() async throws {
        var logger = Logger(label: "gallery-hub.sandbox") { StreamLogHandler.standardError(label: $0) }
        logger.logLevel = verbose == 0 ? .warning : (verbose == 1 ? .info : .debug)
        let options = SandboxLauncher.Options(
            platforms: platforms, seed: SandboxSeed(rawValue: seed) ?? .demo, json: json, remotesFile: remotesFile,
            dataDirectory: data, faults: try faultPlans(), variants: try variants())
        try await SandboxLauncher.run(options, logger: logger) { text in
            StandardStreams.writeOutput((text + "\n").utf8)
        }
    }
}
