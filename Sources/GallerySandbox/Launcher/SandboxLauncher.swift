import Foundation
import GalleryCore
public import Logging
import UnixSignals

/// What `gallery-hub sandbox` does, as a library: start the emulators, announce them (JSON or text), write a
/// remotes file naming each `sandbox-<platform>`, and run until SIGINT or SIGTERM.
public enum SandboxLauncher {
    public struct Options: Sendable {
        /// Platforms to start; `nil` for all.
        public var platforms: [String]?
        public var seed: SandboxSeed
        public var json: Bool
        public var remotesFile: String?
        /// Keep each emulator's state in `<dir>/<platform>` instead of memory.
        public var dataDirectory: String?
        /// Starting faults by platform.
        public var faults: [String: FaultPlan]
        /// Alternatives to inferred behaviours, by platform (``SandboxVariants``).
        public var variants: [String: [String: String]]

        public init(
            platforms: [String]? = nil, seed: SandboxSeed = .demo, json: Bool = false, remotesFile: String? = nil,
            dataDirectory: String? = nil, faults: [String: FaultPlan] = [:], variants: [String: [String: String]] = [:]
        ) {
            self.platforms = platforms
            self.seed = seed
            self.json = json
            self.remotesFile = remotesFile
            self.dataDirectory = dataDirectory
            self.faults = faults
            self.variants = variants
        }
    }

    /// Runs the sandbox until a signal arrives. `output` receives stdout text (one JSON document with `json`).
    public static func run(_ options: Options, logger: Logger, output: @Sendable (String) -> Void) async throws {
        let platforms = options.platforms ?? SandboxPlatform.all
        let emulators = try platforms.map { try SandboxPlatform.makeEmulator($0, options: options) }
        // Trap the signals before announcing readiness, so a client that reacts at once cannot race us.
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        try await withSandbox(emulators, faults: options.faults, logger: logger) { sandbox in
            if let path = options.remotesFile { try writeRemotesFile(sandbox, to: path) }
            output(options.json ? readyDocument(sandbox) : readyText(sandbox, remotesFile: options.remotesFile))
            for await signal in signals {
                logger.info("stopping the sandbox", metadata: ["signal": "\(signal)"])
                break
            }
        }
    }

    /// The ready document, on one line (Docs/report-schema.md, `gallery-hub/sandbox`).
    struct ReadyDocument: Encodable {
        var schema = "gallery-hub/sandbox"
        var schemaVersion = 1
        var emulators: [String: [String: String]]
    }

    /// `{"emulators": {"omnitcode": {"baseURL": …, "email": …, "password": …}}, "schema": …}`, keys sorted.
    public static func readyDocument(_ sandbox: Sandbox) -> String {
        var emulators: [String: [String: String]] = [:]
        for (platform, endpoint) in sandbox.endpoints {
            // `url` is what remotes files call the same address.
            var entry = ["baseURL": endpoint.baseURL, "url": endpoint.baseURL]
            for (key, value) in endpoint.credentials { entry[key] = value }
            emulators[platform] = entry
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(ReadyDocument(emulators: emulators))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    static func readyText(_ sandbox: Sandbox, remotesFile: String?) -> String {
        var lines: [String] = []
        for platform in sandbox.endpoints.keys.sorted() {
            guard let endpoint = sandbox.endpoints[platform] else { continue }
            lines.append("\(platform): \(endpoint.baseURL)")
            for (key, value) in endpoint.credentials { lines.append("  \(key): \(value)") }
            lines.append("  faults: \(endpoint.baseURL)/__sandbox/faults")
        }
        if let remotesFile { lines.append("remotes written to \(remotesFile) (sandbox-<platform>)") }
        lines.append("Press Ctrl-C to stop.")
        return lines.joined(separator: "\n")
    }

    /// The remotes file text: one `[sandbox-<platform>]` table per emulator, and one more per extra remote it
    /// names (`[sandbox-konigle-tags]`); see ``RemotesFile``.
    public static func remotesTOML(_ sandbox: Sandbox) -> String {
        var text = "# Written by `gallery-hub sandbox`: local emulators, valid while it runs.\n"
        for platform in sandbox.endpoints.keys.sorted() {
            guard let endpoint = sandbox.endpoints[platform] else { continue }
            var variants: [(name: String, options: [(key: String, value: String)])] = [("sandbox-\(platform)", [])]
            for extra in endpoint.extraRemotes {
                variants.append(("sandbox-\(platform)-\(extra.suffix)", extra.options))
            }
            for variant in variants {
                text += "\n[\(variant.name)]\ntype = \(quoted(platform))\nurl = \(quoted(endpoint.baseURL))\n"
                for (key, value) in endpoint.credentials + variant.options
                where !endpoint.readyDocumentOnly.contains(key) {
                    text += "\(key) = \(quoted(value))\n"
                }
            }
        }
        return text
    }

    /// Writes ``remotesTOML(_:)`` to `path` with mode 0600 (it holds passwords), replacing the file atomically.
    public static func writeRemotesFile(_ sandbox: Sandbox, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).\(getpid()).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: Data(remotesTOML(sandbox).utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw GalleryError(.io, "Cannot write the remotes file \(path)", hint: "Check that its folder is writable.")
        }
        // rename(2) replaces the old file atomically: a reader never sees half a file.
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw GalleryError(
                .io, "Cannot replace the remotes file \(path)", hint: "Check that its folder is writable.")
        }
    }

    /// A TOML basic string.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += String(format: "\\u%04X", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
