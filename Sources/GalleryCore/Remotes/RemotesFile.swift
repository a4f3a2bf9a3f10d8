public import Foundation
import TOMLKit

/// The remotes file: one TOML table per named remote, like rclone.conf.
///
/// ```toml
/// [sandbox-omnitcode]
/// type = "omnitcode"
/// url = "http://127.0.0.1:50123"
/// email = "admin@example.org"
/// password = "${OMNITCODE_PASSWORD}"   # resolved from the environment when the remote is used
///
/// [sandbox-omnitcode.match]            # settles gallery ambiguities when this remote is the destination
/// "2019/rome" = "17"                   # source gallery 2019/rome is this remote's gallery 17
/// "2023/rome" = "new"                  # source gallery 2023/rome gets a gallery of its own
/// ```
///
/// Found at `$GALLERY_HUB_CONFIG`, else `$XDG_CONFIG_HOME/gallery-hub/remotes.toml`, else
/// `~/.config/gallery-hub/remotes.toml`. A missing file is an empty one.
public struct RemotesFile: Sendable {
    /// One `[name]` table as written: values may still hold `${VAR}` references.
    public struct Entry: Sendable, Hashable {
        public var name: String
        public var type: String
        public var options: [String: String]
        /// The `[name.match]` table, as written.
        public var galleryMatches: [String: String] = [:]
        /// The options (and `type`) set by an environment variable rather than the file: option → variable.
        public var environmentOptions: [String: String] = [:]

        public init(
            name: String, type: String, options: [String: String], galleryMatches: [String: String] = [:],
            environmentOptions: [String: String] = [:]
        ) {
            self.name = name
            self.type = type
            self.options = options
            self.galleryMatches = galleryMatches
            self.environmentOptions = environmentOptions
        }
    }

    public var path: String?
    public var entries: [String: Entry]
    /// The file's permission bits, when it exists.
    public var permissions: Int?

    public init(path: String? = nil, entries: [String: Entry] = [:], permissions: Int? = nil) {
        self.path = path
        self.entries = entries
        self.permissions = permissions
    }

    /// Where the remotes file is looked for.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["GALLERY_HUB_CONFIG"], !path.isEmpty { return path }
        if let base = environment["XDG_CONFIG_HOME"], !base.isEmpty { return base + "/gallery-hub/remotes.toml" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.config/gallery-hub/remotes.toml"
    }

    /// Reads a remotes file; a missing file yields no remotes.
    public static func load(path: String) throws -> RemotesFile {
        guard FileManager.default.fileExists(atPath: path) else { return RemotesFile(path: path) }
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw GalleryError(
                .configuration, "Cannot read remotes file \(path): \(error)", hint: "Check its permissions.")
        }
        var file = try parse(text, path: path)
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        file.permissions = (attributes?[.posixPermissions] as? NSNumber)?.intValue
        return file
    }

    /// Parses remotes TOML.
    public static func parse(_ text: String, path: String? = nil) throws -> RemotesFile {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw GalleryError(
                .configuration,
                "Remotes file \(path ?? "") is not valid TOML at line \(error.source.begin.line): \(error.description)",
                hint: "Each remote is a table: [name] with type = \"…\" and its options."
            )
        }
        var entries: [String: Entry] = [:]
        for name in table.keys {
            guard let remote = table[name]?.table else {
                throw GalleryError(
                    .configuration,
                    "Remotes file entry '\(name)' is not a table",
                    hint: "Write it as [\(name)] followed by type = \"…\" and its options."
                )
            }
            var options: [String: String] = [:]
            var galleryMatches: [String: String] = [:]
            for key in remote.keys {
                guard let value = remote[key] else { continue }
                if key == "match", let matches = value.table {
                    galleryMatches = try parseMatches(matches, remote: name)
                } else if let string = value.string {
                    options[key] = string
                } else if let int = value.int {
                    options[key] = String(int)
                } else if let bool = value.bool {
                    options[key] = String(bool)
                } else if let double = value.double {
                    options[key] = String(double)
                } else {
                    throw GalleryError(
                        .configuration,
                        "Remote '\(name)': option '\(key)' must be a string, number or boolean",
                        hint: "Quote the value."
                    )
                }
            }
            guard let type = options.removeValue(forKey: "type") else {
                throw GalleryError(
                    .configuration,
                    "Remote '\(name)' has no type",
                    hint: "Add type = \"local\" (or kanka, konigle, stash, omnitcode) to [\(name)]."
                )
            }
            entries[name] = Entry(name: name, type: type, options: options, galleryMatches: galleryMatches)
        }
        return RemotesFile(path: path, entries: entries)
    }

    /// The remote named `name`, with `${VAR}` references resolved from `environment`.
    public func resolve(_ name: String, path: String? = nil, environment: [String: String]) throws -> RemoteConfig? {
        // A remote the environment defines is found whichever way its name is spelt (`my-cms`, `MY_CMS`).
        guard
            let entry = entries[name]
                ?? entries.values.first(where: {
                    $0.environmentOptions["type"] != nil && RemoteEnvironment.sameRemote($0.name, name)
                })
        else { return nil }
        var options: [String: String] = [:]
        for (key, value) in entry.options {
            options[key] =
                entry.environmentOptions[key] != nil
                ? value : try Self.expand(value, option: key, remote: name, environment: environment)
        }
        return RemoteConfig(
            name: name, type: entry.type, options: options, path: path, galleryMatches: entry.galleryMatches)
    }

    /// A `[name.match]` table: every value a gallery id or `new`.
    static func parseMatches(_ table: TOMLTable, remote: String) throws -> [String: String] {
        var matches: [String: String] = [:]
        for source in table.keys {
            guard let target = table[source]?.string, !target.isEmpty, !source.isEmpty else {
                throw GalleryError(
                    .configuration,
                    "Remote '\(remote)': [\(remote).match] entry '\(source)' must name a gallery id or \"new\"",
                    hint:
                        "Write \"SOURCE_GALLERY_ID\" = \"DESTINATION_GALLERY_ID\", or = \"new\" for a gallery of its own."
                )
            }
            matches[source] = target
        }
        return matches
    }

    /// Warnings about secrets written in clear in a file that others can read.
    public func securityWarnings(registry: BackendRegistry) -> [String] {
        guard let permissions, permissions & 0o077 != 0, let path else { return [] }
        var warnings: [String] = []
        for entry in entries.values.sorted(by: { $0.name < $1.name }) {
            let secrets = registry.descriptor(named: entry.type)?.secretOptionNames ?? []
            let clear = entry.options.filter { key, value in
                (secrets.contains(key) || SecretMasking.looksSecret(key)) && !Self.isReference(value)
                    && entry.environmentOptions[key] == nil
            }
            if !clear.isEmpty {
                warnings.append(
                    "Remote '\(entry.name)' keeps \(clear.keys.sorted().joined(separator: ", ")) in clear in \(path), "
                        + "which others can read (mode \(String(permissions, radix: 8))): run `chmod 600 \(path)` "
                        + "or use a ${ENV_VAR} reference."
                )
            }
        }
        return warnings
    }

    static func isReference(_ value: String) -> Bool {
        value.hasPrefix("${") && value.hasSuffix("}")
    }

    /// Replaces each `${VAR}` in `value` with the variable's value; an unset variable is an error.
    static func expand(_ value: String, option: String, remote: String, environment: [String: String]) throws -> String
    {
        var result = ""
        var rest = Substring(value)
        while let start = rest.range(of: "${") {
            result += rest[..<start.lowerBound]
            guard let end = rest[start.upperBound...].firstIndex(of: "}") else {
                throw GalleryError(
                    .configuration,
                    "Remote '\(remote)': option '\(option)' has an unterminated ${…} reference",
                    hint: "Write ${VARIABLE_NAME}."
                )
            }
            let variable = String(rest[start.upperBound..<end])
            guard let replacement = environment[variable] else {
                throw GalleryError(
                    .configuration,
                    "Remote '\(remote)': option '\(option)' refers to ${\(variable)}, which is not set",
                    hint: "Export \(variable) before running gallery-hub."
                )
            }
            result += replacement
            rest = rest[rest.index(after: end)...]
        }
        return result + rest
    }
}
