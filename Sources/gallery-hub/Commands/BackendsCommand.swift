import ArgumentParser
import GalleryCore

/// `gallery-hub backends`: the registered backends, their options and capabilities.
struct BackendsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backends",
        abstract: "List the backends this build knows, with their options and capabilities."
    )

    @OptionGroup var options: GlobalOptions

    struct Entry: Encodable {
        var name: String
        var summary: String
        var inlineOption: String?
        var options: [BackendOption]
        var capabilities: Capabilities
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let registry = CLIContext.standardRegistry()
            let entries = registry.all.map {
                Entry(
                    name: $0.name, summary: $0.summary, inlineOption: $0.inlineOption, options: $0.options,
                    capabilities: $0.capabilities)
            }
            if options.json {
                try JSONOutput.print(BackendsDocument(backends: entries))
                return
            }
            for entry in entries {
                printLine("\(entry.name): \(entry.summary)")
                if let inline = entry.inlineOption { printLine("  inline:   \(entry.name):<\(inline)>") }
                for option in entry.options {
                    let marks = [option.isRequired ? "required" : nil, option.isSecret ? "secret" : nil]
                        .compactMap { $0 }
                    let suffix = marks.isEmpty ? "" : " (\(marks.joined(separator: ", ")))"
                    printLine("  option:   \(option.name)\(suffix): \(option.help)")
                }
                printLine("  can hold: \(Self.describe(entry.capabilities))")
            }
        }
    }

    /// `backends --json`: every backend this build knows, by name.
    struct BackendsDocument: Encodable {
        var schema = "gallery-hub/backends"
        var schemaVersion = 1
        var backends: [Entry]
    }

    static func describe(_ caps: Capabilities) -> String {
        var parts = ["order \(caps.order.rawValue)", "cover \(caps.cover.rawValue)"]
        for capability in Capability.allCases where ![.explicitOrder, .cover, .nonMemberCover].contains(capability) {
            parts.append((caps.supports(capability) ? "" : "no ") + capability.rawValue)
        }
        let visibilities = Visibility.allCases.filter { caps.visibilities.contains($0) }.map(\.rawValue)
        parts.append(visibilities.isEmpty ? "no visibility" : "visibility " + visibilities.joined(separator: "|"))
        if let max = caps.maxItemBytes { parts.append("max \(max) bytes") }
        if let types = caps.allowedMIMETypes { parts.append("types \(types.sorted().joined(separator: "|"))") }
        if !caps.digests.isEmpty {
            parts.append("digests \(caps.digests.map(\.rawValue).sorted().joined(separator: ","))")
        }
        return parts.joined(separator: ", ")
    }
}
