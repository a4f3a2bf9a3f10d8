import ArgumentParser
import Foundation
import GalleryCore

/// `gallery-hub config`: write and read the remotes file, as `rclone config` does.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Create remotes and show the configuration (secrets masked).",
        subcommands: [Create.self, Show.self]
    )

    /// `config create NAME TYPE key=value…`
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Add a remote to the remotes file (created with mode 0600), its options checked first.",
            discussion: """
                Each option is KEY=VALUE, KEY one of the type's options (`gallery-hub backends`). A value \
                `${VARIABLE}` is kept as a reference and read from the environment when the remote is used; \
                `KEY=-` reads the value from a line of standard input. A secret (a password, token or key) is \
                taken only in one of these two ways, never written out on the command line.
                """
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "The remote's name: letters, digits, '-' and '_'.")
        var name: String

        @Argument(help: "The backend type (local, omnitcode, kanka, konigle, stash).")
        var type: String

        @Argument(help: ArgumentHelp("The remote's options.", valueName: "KEY=VALUE"))
        var settings: [String] = []

        func validate() throws {
            let allowed = name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) && $0.isASCII || $0 == "-" || $0 == "_"
            }
            guard !name.isEmpty, allowed else {
                throw ValidationError("A remote's name takes letters, digits, '-' and '_' only, not '\(name)'.")
            }
            for setting in settings where !setting.contains("=") || setting.hasPrefix("=") {
                throw ValidationError("Options are KEY=VALUE, not '\(setting)'.")
            }
        }

        func run() async throws {
            try await runReportingErrors(json: options.json) {
                let context = try CLIContext(options: options)
                if context.registry.descriptor(named: name) != nil {
                    throw UsageError(
                        message:
                            "'\(name)' is a backend type: a remote of that name would hide inline `\(name):` remotes",
                        hint: "Choose another name, such as my-\(name).")
                }
                var entry = RemotesFile.Entry(name: name, type: type, options: [:])
                try RemotesFile.validate(entry, registry: context.registry, file: nil)
                let descriptor = context.registry.descriptor(named: type)!
                entry.options = try values(secrets: descriptor.secretOptionNames)
                try RemotesFile.validate(entry, registry: context.registry, file: nil)
                let missing = descriptor.options.filter { $0.isRequired && entry.options[$0.name] == nil }
                if !missing.isEmpty {
                    let names = missing.map(\.name)
                    throw GalleryError(
                        .configuration,
                        "Remote '\(name)' (\(type)) needs \(names.joined(separator: ", "))",
                        backend: name,
                        hint:
                            "Add \(names.map { "\($0)=…" }.joined(separator: " ")) (`gallery-hub backends` describes each)."
                    )
                }
                entry.environmentOptions = [:]
                let path = context.remotes.path ?? RemotesFile.defaultPath(environment: context.environment)
                try RemotesFile.append(entry, toFileAt: path)
                let shown = RemotesCommand.entry(for: entry, registry: context.registry)
                if options.json {
                    try JSONOutput.print(RemotesCommand.RemotesDocument(file: path, remotes: [shown]))
                } else {
                    printLine("remote '\(name)' (\(type)) added to \(path) (mode 0600)")
                    printLine(RemotesCommand.render(shown))
                }
            }
        }

        /// The settings as options, `-` values read from standard input in order. A secret written out on the
        /// command line is refused: it would stay in the shell's history and show in `ps`.
        func values(secrets: Set<String>) throws -> [String: String] {
            var values: [String: String] = [:]
            for setting in settings {
                let equals = setting.firstIndex(of: "=")!
                let key = String(setting[..<equals])
                var value = String(setting[setting.index(after: equals)...])
                let isSecret = secrets.contains(key) || SecretMasking.looksSecret(key)
                if isSecret, value != "-", !(value.hasPrefix("${") && value.hasSuffix("}")) {
                    throw UsageError(
                        message: "'\(key)' is a secret, and a secret on the command line stays in the shell's history",
                        hint:
                            "Write \(key)=- and pipe the value in (printf '%s\\n' \"$SECRET\" | gallery-hub config create …), "
                            + "or \(key)='${VARIABLE}' to read it from the environment when the remote is used.")
                }
                if value == "-" {
                    guard let line = readLine(strippingNewline: true) else {
                        throw UsageError(
                            message: "\(key)=- reads the value from standard input, which ended first",
                            hint: "Pipe the value in: printf '%s\\n' \"$SECRET\" | gallery-hub config create …")
                    }
                    value = line
                }
                guard values[key] == nil else {
                    throw UsageError(message: "Option '\(key)' is given twice", hint: "Give each option once.")
                }
                values[key] = value
            }
            return values
        }
    }

    /// `config show [NAME]`
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show",
            abstract:
                "Print the remotes as the commands see them, secrets masked, saying which values come from the environment."
        )

        @OptionGroup var options: GlobalOptions

        @Argument(help: "Show only this remote.")
        var name: String?

        func run() async throws {
            try await runReportingErrors(json: options.json) {
                let context = try CLIContext(options: options)
                var entries = RemotesCommand.entries(context: context)
                if let name {
                    entries = entries.filter { $0.name == name || RemoteEnvironment.sameRemote($0.name, name) }
                    if entries.isEmpty {
                        throw GalleryError(
                            .notFound, "No remote named '\(name)'", backend: name,
                            hint: "`gallery-hub config show` lists them all.")
                    }
                }
                if options.json {
                    try JSONOutput.print(RemotesCommand.RemotesDocument(file: context.remotes.path, remotes: entries))
                    return
                }
                printLine("# remotes file: \(context.remotes.path ?? "none")")
                for entry in entries { printLine("\n" + RemotesCommand.render(entry)) }
            }
        }
    }
}
