public import GalleryCore

/// Everything the planner needs to know of one side, read once: its name, capabilities and every gallery with
/// its items in order.
///
/// A snapshot is a plain value, so planning is a pure function of two snapshots and the journal's mappings.
public struct BackendSnapshot: Sendable, Hashable {
    public var name: String
    public var capabilities: Capabilities
    /// Galleries in listing order, each with its items in order.
    public var galleries: [Gallery]
    /// What the backend saw and offers as no item or gallery (``GalleryBackend/ignoredEntries()``).
    public var ignored: [IgnoredEntry]

    public init(name: String, capabilities: Capabilities, galleries: [Gallery], ignored: [IgnoredEntry] = []) {
        self.name = name
        self.capabilities = capabilities
        self.galleries = galleries
        self.ignored = ignored
    }
}
