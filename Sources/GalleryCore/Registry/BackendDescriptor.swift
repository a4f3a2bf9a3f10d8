public import Logging

/// One setting a backend takes from its remote's configuration.
public struct BackendOption: Sendable, Hashable, Codable {
    public var name: String
    public var help: String
    /// A secret is masked wherever options are shown, and a file holding one in clear must not be readable by
    /// others.
    public var isSecret: Bool
    public var isRequired: Bool
    public var defaultValue: String?
    /// The option picks which galleries the remote addresses (a Kanka campaign, a Konigle gallery mode), beyond
    /// its URL or path: two remotes that differ in it are different remotes, each with journals of its own.
    public var addressesGalleries: Bool

    public init(
        _ name: String, help: String, isSecret: Bool = false, isRequired: Bool = false, defaultValue: String? = nil,
        addressesGalleries: Bool = false
    ) {
        self.name = name
        self.help = help
        self.isSecret = isSecret
        self.isRequired = isRequired
        self.defaultValue = defaultValue
        self.addressesGalleries = addressesGalleries
    }
}

/// What the registry knows of a backend type: its name, options, capabilities, and how to make one.
public struct BackendDescriptor: Sendable {
    public typealias Factory = @Sendable (RemoteConfig, Logger) async throws -> any GalleryBackend

    /// The type name used in remotes files and inline remotes (`local`, `omnitcode`).
    public var name: String
    public var summary: String
    public var options: [BackendOption]
    public var capabilities: Capabilities
    /// The option an inline remote `name:ARGUMENT` fills (`path` for `local:./photos`, `url` for
    /// `omnitcode:https://…`).
    public var inlineOption: String?
    public var factory: Factory

    public init(
        name: String,
        summary: String,
        options: [BackendOption],
        capabilities: Capabilities,
        inlineOption: String? = nil,
        factory: @escaping Factory
    ) {
        self.name = name
        self.summary = summary
        self.options = options
        self.capabilities = capabilities
        self.inlineOption = inlineOption
        self.factory = factory
    }

    /// Names of the options whose values must be masked.
    public var secretOptionNames: Set<String> { Set(options.filter(\.isSecret).map(\.name)) }
}
