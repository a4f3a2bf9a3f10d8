/// What an emulator holds, read from its own state rather than through an adapter: tests count duplicates and
/// orphans from it (`GET /__sandbox/inventory`).
public struct SandboxInventory: Sendable, Codable, Equatable {
    /// One stored file: the name the platform keeps and its size in bytes.
    public struct Item: Sendable, Codable, Equatable {
        public var name: String
        public var bytes: Int

        public init(name: String, bytes: Int) {
            self.name = name
            self.bytes = bytes
        }
    }

    /// One gallery as the platform structures it (a CMS gallery, a folder, a product, a tag, a user gallery).
    public struct Gallery: Sendable, Codable, Equatable {
        public var id: String
        public var title: String
        public var items: [Item]

        public init(id: String, title: String, items: [Item]) {
            self.id = id
            self.title = title
            self.items = items
        }
    }

    public var galleries: [Gallery]
    /// Stored files that no gallery holds (an upload that was never linked): orphans.
    public var unattached: [Item]

    public init(galleries: [Gallery], unattached: [Item]) {
        self.galleries = galleries
        self.unattached = unattached
    }
}
