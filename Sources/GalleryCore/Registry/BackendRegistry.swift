public import Logging

/// The backends a program knows, by type name.
///
/// Built once by the program (the CLI's `BackendRegistry.standard`) and passed down explicitly: there is no
/// process-wide registry, so tests and embedding apps each build their own and a third party adds a backend by
/// registering its descriptor, without editing the core.
public struct BackendRegistry: Sendable {
    private var descriptors: [String: BackendDescriptor] = [:]

    public init(_ descriptors: [BackendDescriptor] = []) {
        for descriptor in descriptors { register(descriptor) }
    }

    /// Adds or replaces a backend type.
    public mutating func register(_ descriptor: BackendDescriptor) {
        descriptors[descriptor.name] = descriptor
    }

    public func descriptor(named name: String) -> BackendDescriptor? { descriptors[name] }

    /// All registered backends, by name.
    public var all: [BackendDescriptor] { descriptors.values.sorted { $0.name < $1.name } }

    /// Makes a backend for a remote, after checking that its type is known and its required options are set.
    public func makeBackend(for remote: RemoteConfig, logger: Logger) async throws -> any GalleryBackend {
        guard let descriptor = descriptors[remote.type] else {
            throw GalleryError(
                .configuration,
                "Remote '\(remote.name)' has unknown type '\(remote.type)'",
                backend: remote.name,
                hint: "Known types: \(all.map(\.name).joined(separator: ", ")). Fix `type` in the remotes file."
            )
        }
        var remote = remote
        for option in descriptor.options {
            if remote.options[option.name] == nil, let value = option.defaultValue {
                remote.options[option.name] = value
            }
            if option.isRequired, (remote.options[option.name] ?? "").isEmpty {
                throw GalleryError(
                    .configuration,
                    "Remote '\(remote.name)' (\(descriptor.name)) needs option '\(option.name)': \(option.help)",
                    backend: remote.name,
                    hint: "Add `\(option.name) = …` to the [\(remote.name)] table of the remotes file."
                )
            }
        }
        var logger = logger
        logger[metadataKey: "backend"] = "\(remote.name)"
        return try await descriptor.factory(remote, logger)
    }
}
