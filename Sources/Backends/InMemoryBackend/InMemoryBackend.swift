public import GalleryCore
import Synchronization

/// The reference backend: everything in memory, every rule of the protocol enforced.
///
/// It runs the conformance suite in milliseconds and is the migration engine's test double. Its capabilities
/// can be narrowed (no cover, a size limit, no captions …) to stand in for a lossy destination; whatever is not
/// declared then fails with `unsupported`, exactly as a real backend must. With `batchesWrites`, added items
/// become visible only at ``flush()``, as a Stash library scan makes them: the stand-in for write-then-scan
/// destinations.
public final class InMemoryBackend: GalleryBackend {
    public let name: String
    public let capabilities: Capabilities
    /// How many galleries one page of `listGalleries()` holds, so paging is exercised.
    public let pageSize: Int
    /// Whether added items wait, invisible, for the next ``flush()``.
    public let batchesWrites: Bool
    /// What ``resolvedCapabilities()`` answers: what this instance holds, at most ``capabilities``.
    let resolved: Capabilities?

    struct StoredItem {
        var item: Item
        var bytes: [UInt8]
    }

    struct StoredGallery {
        var gallery: Gallery
        var items: [StoredItem]
        var coverBytes: [UInt8]?
    }

    struct State {
        var galleries: [GalleryID: StoredGallery] = [:]
        var creationOrder: [GalleryID] = []
        var nextID = 1
        /// Calls that must fail, by item file name: a fault hook for engine tests.
        var failingFilenames: [String: GalleryError] = [:]
        var writeCount = 0
        /// Items added since the last flush, per gallery, when writes are batched.
        var unflushed: [GalleryID: [StoredItem]] = [:]
        var flushes = 0

        mutating func makeID(_ prefix: String) -> String {
            defer { nextID += 1 }
            return "\(prefix)\(nextID)"
        }
    }

    let state = Mutex(State())

    /// - Parameters:
    ///   - resolvedCapabilities: what ``resolvedCapabilities()`` answers (an instance may hold less than its
    ///     type declares); the declared capabilities when `nil`.
    ///   - batchesWrites: added items become visible only at ``flush()``.
    public init(
        name: String = "memory", capabilities: Capabilities = .lossless, pageSize: Int = 2,
        resolvedCapabilities: Capabilities? = nil, batchesWrites: Bool = false
    ) {
        self.name = name
        self.capabilities = capabilities
        self.pageSize = max(1, pageSize)
        self.resolved = resolvedCapabilities
        self.batchesWrites = batchesWrites
    }

    public func resolvedCapabilities() async throws -> Capabilities { resolved ?? capabilities }

    /// Makes the items added since the last flush visible, at the end of their galleries in the order added.
    public func flush() async throws {
        state.withLock { state in
            for (gallery, items) in state.unflushed where state.galleries[gallery] != nil {
                state.galleries[gallery]!.items.append(contentsOf: items)
            }
            state.unflushed = [:]
            state.flushes += 1
        }
    }

    /// How many times ``flush()`` ran.
    public var flushCount: Int { state.withLock { $0.flushes } }

    // MARK: Test hooks

    /// Makes every later `addItem` of an item with this file name fail with `error`.
    public func failAdds(ofFilename filename: String, with error: GalleryError) {
        state.withLock { $0.failingFilenames[filename] = error }
    }

    /// How many write calls succeeded: a second run of a finished migration must leave this unchanged.
    public var writeCount: Int { state.withLock { $0.writeCount } }

    // MARK: Reading

    public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        // Pages are read lazily, as a paginating HTTP backend would.
        PagedStream.make(start: 0) { [self] offset in
            let page = self.state.withLock { state in
                state.creationOrder.dropFirst(offset).prefix(self.pageSize).compactMap {
                    state.galleries[$0]?.gallery.summary
                }
            }
            return (page, page.count == self.pageSize ? offset + self.pageSize : nil)
        }
    }

    public func gallery(_ id: GalleryID) async throws -> Gallery {
        try state.withLock { state in
            var gallery = try stored(id, in: state).gallery
            gallery.items = state.galleries[id]!.items.map(\.item)
            return gallery
        }
    }

    public func openItem(_ ref: ItemRef) async throws -> ByteStream {
        let bytes = try state.withLock { state in
            let gallery = try stored(ref.gallery, in: state)
            guard let item = gallery.items.first(where: { $0.item.id == ref.item }) else {
                throw notFound(item: ref)
            }
            return item.bytes
        }
        return .bytes(bytes)
    }

    public func openCover(of gallery: GalleryID) async throws -> ByteStream {
        try require(.nonMemberCover, gallery)
        let bytes = try state.withLock { state in
            guard let bytes = try stored(gallery, in: state).coverBytes else {
                throw GalleryError(
                    .notFound, "Gallery has no standalone cover", backend: name, gallery: gallery.rawValue)
            }
            return bytes
        }
        return .bytes(bytes)
    }

    // MARK: Writing galleries

    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        try require(.write)
        try require(.createGalleries)
        if spec.parent != nil { try require(.nestedGalleries) }
        if !spec.translations.isEmpty { try require(.translations) }
        if spec.description != nil { try require(.galleryDescriptions) }
        if !spec.extra.isEmpty { try require(.extras) }
        return try state.withLock { state in
            if let parent = spec.parent { _ = try stored(parent, in: state) }
            let id = GalleryID(state.makeID("g"))
            let gallery = Gallery(
                id: id,
                title: spec.title,
                description: spec.description,
                slug: spec.slug,
                visibility: spec.visibility,
                translations: spec.translations,
                parent: spec.parent,
                extra: spec.extra
            )
            state.galleries[id] = StoredGallery(gallery: gallery, items: [])
            state.creationOrder.append(id)
            state.writeCount += 1
            return id
        }
    }

    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        try require(.write)
        if changes.translations != nil { try require(.translations, id) }
        if changes.description != nil { try require(.galleryDescriptions, id) }
        if changes.extra != nil { try require(.extras, id) }
        try state.withLock { state in
            _ = try stored(id, in: state)
            var gallery = state.galleries[id]!.gallery
            if let title = changes.title { gallery.title = title }
            if let description = changes.description { gallery.description = description }
            if let visibility = changes.visibility { gallery.visibility = visibility }
            if let translations = changes.translations { gallery.translations = translations }
            if let extra = changes.extra { gallery.extra = extra }
            state.galleries[id]!.gallery = gallery
            state.writeCount += 1
        }
    }

    public func deleteGallery(_ id: GalleryID) async throws {
        try require(.deletes, id)
        try state.withLock { state in
            _ = try stored(id, in: state)
            // Children go with their parent, as a folder's subfolders do.
            var doomed: Set<GalleryID> = [id]
            var changed = true
            while changed {
                changed = false
                for (child, gallery) in state.galleries
                where !doomed.contains(child) && gallery.gallery.parent.map(doomed.contains) == true {
                    doomed.insert(child)
                    changed = true
                }
            }
            for gallery in doomed { state.galleries[gallery] = nil }
            state.creationOrder.removeAll { doomed.contains($0) }
            state.writeCount += 1
        }
    }
}
