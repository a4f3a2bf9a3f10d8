import Foundation

/// Turns what a user typed (`sandbox-omnitcode:`, `local:./photos`, `./photos`) into a ``RemoteConfig``.
///
/// Rules, in order:
/// 1. `name:rest` where `name` is a remote in the remotes file: that remote, with `rest` as its path.
/// 2. `type:argument` where `type` is a registered backend: an inline remote whose inline option (`path`,
///    `url`) is `argument`, its other options from `GALLERY_HUB_<TYPE>_<KEY>` variables (``RemoteEnvironment``).
/// 3. Text with no colon, or starting with `/`, `.` or `~`: a local folder.
public struct RemoteResolver: Sendable {
    public var registry: BackendRegistry
    public var remotesFile: RemotesFile
    public var environment: [String: String]

    public init(registry: BackendRegistry, remotesFile: RemotesFile, environment: [String: String]) {
        self.registry = registry
        self.remotesFile = remotesFile
        self.environment = environment
    }

    public func resolve(_ text: String) throws -> RemoteConfig {
        let looksLikePath = text.hasPrefix("/") || text.hasPrefix(".") || text.hasPrefix("~")
        if !looksLikePath, let colon = text.firstIndex(of: ":") {
            let name = String(text[..<colon])
            let rest = String(text[text.index(after: colon)...])
            if let remote = try remotesFile.resolve(name, path: rest.isEmpty ? nil : rest, environment: environment) {
                return remote
            }
            if let descriptor = registry.descriptor(named: name) {
                // An inline remote's other options, secrets among them, come from GALLERY_HUB_<TYPE>_<KEY>.
                var options = RemoteEnvironment.options(
                    of: name, among: descriptor.options.map(\.name), environment: environment
                ).mapValues(\.value)
                if let inline = descriptor.inlineOption, !rest.isEmpty {
                    options[inline] = inline == "path" ? expandTilde(rest) : rest
                }
                return RemoteConfig(name: name, type: name, options: options)
            }
            throw GalleryError(
                .configuration,
                "Unknown remote '\(name)'",
                hint: unknownHint
            )
        }
        if registry.descriptor(named: "local") != nil {
            return RemoteConfig(name: "local", type: "local", options: ["path": expandTilde(text)])
        }
        throw GalleryError(.configuration, "'\(text)' names no remote", hint: unknownHint)
    }

    private var unknownHint: String {
        let remotes = remotesFile.entries.keys.sorted()
        let remoteList = remotes.isEmpty ? "none configured" : remotes.joined(separator: ", ")
        return "Configured remotes: \(remoteList) (in \(remotesFile.path ?? "no file")). "
            + "Inline types: \(registry.all.map { "\($0.name):…" }.joined(separator: ", ")). "
            + "A plain path is a local folder."
    }

    private func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~") else { return path }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + path.dropFirst()
    }
}
