/// Remotes and option values given by environment variables, as rclone's `RCLONE_CONFIG_<NAME>_<KEY>`:
/// `GALLERY_HUB_<REMOTE>_<KEY>`, the remote's name and the key upper-cased, every character other than a letter
/// or a digit written `_`.
///
/// - `GALLERY_HUB_CI_TYPE=omnitcode` with `GALLERY_HUB_CI_URL` and `GALLERY_HUB_CI_PASSWORD` define a remote `ci:`
///   with no file at all;
/// - `GALLERY_HUB_SANDBOX_OMNITCODE_PASSWORD` sets (or overrides) that option of the file's `[sandbox-omnitcode]`;
/// - `GALLERY_HUB_OMNITCODE_PASSWORD` gives the inline remote `omnitcode:URL` its secret, since a secret has no
///   place on a command line.
///
/// A variable wins over the file. Its value is taken as it is: `${…}` references are a file's feature only.
public enum RemoteEnvironment {
    public static let prefix = "GALLERY_HUB_"

    /// The variable that holds `key` of remote `remote`.
    public static func variable(remote: String, key: String) -> String {
        prefix + normalized(remote) + "_" + normalized(key)
    }

    /// The options of `remote` that the environment sets, among `optionNames`, with the variable each came from.
    public static func options(
        of remote: String, among optionNames: [String], environment: [String: String]
    ) -> [String: (value: String, variable: String)] {
        var found: [String: (value: String, variable: String)] = [:]
        for name in optionNames {
            let variable = variable(remote: remote, key: name)
            if let value = environment[variable] { found[name] = (value, variable) }
        }
        return found
    }

    /// The remotes that `GALLERY_HUB_<NAME>_TYPE` variables define: lower-cased name → type.
    public static func definedRemotes(environment: [String: String]) -> [String: String] {
        var remotes: [String: String] = [:]
        for (variable, type) in environment where variable.hasPrefix(prefix) && variable.hasSuffix("_TYPE") {
            let name = variable.dropFirst(prefix.count).dropLast("_TYPE".count)
            guard !name.isEmpty, !type.isEmpty else { continue }
            remotes[name.lowercased()] = type
        }
        return remotes
    }

    /// Whether a file's remote and an environment's remote are the same one (`my-cms` and `MY_CMS`).
    public static func sameRemote(_ a: String, _ b: String) -> Bool {
        normalized(a) == normalized(b)
    }

    static func normalized(_ text: String) -> String {
        String(
            text.uppercased().unicodeScalars.map { scalar in
                ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) ? Character(scalar) : "_"
            })
    }
}

extension RemotesFile {
    /// The file with the environment's remotes and option values applied (``RemoteEnvironment``): a remote the
    /// environment defines is added, an option it sets replaces the file's. Each entry records which options
    /// came from where, so `config show` can say so and the file's permission check ignores them.
    public func applyingEnvironment(_ environment: [String: String], registry: BackendRegistry) -> RemotesFile {
        var file = self
        for (name, type) in RemoteEnvironment.definedRemotes(environment: environment)
        where !file.entries.keys.contains(where: { RemoteEnvironment.sameRemote($0, name) }) {
            file.entries[name] = Entry(name: name, type: type, options: [:])
            file.entries[name]?.environmentOptions["type"] = RemoteEnvironment.variable(remote: name, key: "type")
        }
        for name in Array(file.entries.keys) {
            guard var entry = file.entries[name] else { continue }
            let typeVariable = RemoteEnvironment.variable(remote: name, key: "type")
            if let type = environment[typeVariable], !type.isEmpty, type != entry.type {
                entry.type = type
                entry.environmentOptions["type"] = typeVariable
            }
            let optionNames = registry.descriptor(named: entry.type)?.options.map(\.name) ?? []
            for (key, found) in RemoteEnvironment.options(of: name, among: optionNames, environment: environment) {
                entry.options[key] = found.value
                entry.environmentOptions[key] = found.variable
            }
            file.entries[name] = entry
        }
        return file
    }
}
