/// A gallery service (or a folder) that GalleryHub can read and, where it says so, write.
///
/// The contract every implementation keeps, and ``GalleryConformance`` checks:
/// - ``capabilities`` is the truth. A capability declared there works; an operation that needs one that is not
///   declared throws ``GalleryError`` with code ``GalleryError/Code/unsupported`` naming the ``Capability``
///   (the default implementations below do exactly that).
/// - ``gallery(_:)`` returns items in the gallery's order: the explicit order where the backend keeps one, else
///   the server's or the file names' order.
/// - Bytes are streamed: ``openItem(_:)`` returns a ``ByteStream`` and ``addItem(to:spec:bytes:)`` consumes one,
///   neither holding a whole item in memory.
/// - Sizes are in bytes; a backend whose server reports another unit converts and declares
///   ``Capabilities/sizeGranularity``.
/// - Errors are ``GalleryError`` values that name the backend and carry no secret.
/// - Instances are `Sendable`: the engine calls one from several tasks at once.
public protocol GalleryBackend: Sendable {
    /// The backend type (`local`, `omnitcode`) or remote name, as errors and reports name it.
    var name: String { get }

    /// What this backend can hold and do.
    var capabilities: Capabilities { get }

    /// ``capabilities`` completed with what only this instance knows, which may need the network (the languages
    /// a site has). The planner reads this; it must declare no more than ``capabilities`` does.
    func resolvedCapabilities() async throws -> Capabilities

    /// Every gallery, paging through the service as the sequence is consumed. Nested galleries are listed too,
    /// each with its ``GallerySummary/parent``.
    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error>

    /// One gallery with its items in order and its cover.
    func gallery(_ id: GalleryID) async throws -> Gallery

    /// Every gallery with its items, in listing order, `concurrency` reads at a time: what a snapshot reads.
    /// The default lists the galleries, then reads each with ``gallery(_:)``. A backend whose one listing
    /// already holds every gallery's items (Kanka's flat gallery has no folder filter) reads it once instead
    /// of once per gallery.
    func allGalleriesWithItems(concurrency: Int) async throws -> [Gallery]

    /// The bytes of one item.
    func openItem(_ ref: ItemRef) async throws -> ByteStream

    /// Creates a gallery and returns its id. Requires ``Capability/createGalleries``.
    func createGallery(_ spec: GallerySpec) async throws -> GalleryID

    /// Changes a gallery's title, description, visibility, translations or extras.
    func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws

    /// Adds an item at the end of the gallery, consuming `bytes`, and returns it as stored. The stored item's
    /// ``Item/filename`` may differ from the spec's (a backend may make a name safe or unique).
    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item

    /// ``addItem(to:spec:bytes:)`` for a write that takes several requests: each server id it obtains is
    /// recorded in `checkpoint`, and what an earlier attempt recorded is continued rather than repeated. The
    /// default ignores the checkpoint.
    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint)
        async throws -> Item
    /// Replaces an item's bytes and metadata with new ones (the source's item changed), keeping its place and,
    /// where the backend can, its id; returns the item as stored. The default adds the new item (through
    /// ``addItem(to:spec:bytes:checkpoint:)``, so a repeated attempt continues the write instead of uploading
    /// again), then removes the old one, so a failure never leaves the gallery without either; it requires
    /// ``Capability/deletes``.
    func replaceItem(_ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint)
        async throws -> Item

    /// What the backend saw but offers as no item or gallery (a file of a type it does not list, a name that is
    /// not valid UTF-8, a link), each with the reason: the engine lists them as ignored, so nothing is dropped
    /// without a word. Empty by default.
    func ignoredEntries() async throws -> [IgnoredEntry]

    /// Replaces an item's caption, alt text and title. A field the backend cannot hold must be `nil`, else
    /// the call throws `unsupported` for it.
    func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws

    /// Puts the gallery's items in this order; `items` must hold every item exactly once.
    /// Requires ``Capability/explicitOrder``.
    func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws

    /// Sets or clears the cover. Requires ``Capability/cover`` (and ``Capability/nonMemberCover`` for a
    /// ``CoverRef/standalone(_:)`` one).
    func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws

    /// The bytes of a gallery's standalone cover. Requires ``Capability/nonMemberCover``.
    func openCover(of gallery: GalleryID) async throws -> ByteStream

    /// Sets a standalone cover from bytes that are not an item of the gallery.
    /// Requires ``Capability/nonMemberCover``.
    func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws

    /// Removes an item from a gallery. Requires ``Capability/deletes``.
    func removeItem(_ ref: ItemRef) async throws

    /// Deletes a gallery and its items. Requires ``Capability/deletes``.
    func deleteGallery(_ id: GalleryID) async throws

    /// Makes every write that returned durable and visible to other readers: a backend that batches (Local's
    /// manifests, a Stash library scan) finishes the batch. The engine calls it when a run ends or stops.
    func flush() async throws

    /// What this instance's requests cost so far, counted by its HTTP client; `nil` for a backend that sends
    /// none (Local). Read before and after a command to report what the command spent.
    func requestCounts() async -> RequestCounts?
}

extension GalleryBackend {
    /// The declared capabilities, when nothing depends on the instance.
    public func resolvedCapabilities() async throws -> Capabilities { capabilities }
}

// Defaults for what a backend may not do: each fails as `unsupported`, naming the capability, so a read-only or
// partial backend implements only what it declares.
extension GalleryBackend {
    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        throw GalleryError.unsupported(.createGalleries, backend: name, gallery: spec.title)
    }

    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        throw GalleryError.unsupported(.write, backend: name, gallery: id.rawValue)
    }

    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        throw GalleryError.unsupported(.write, backend: name, gallery: gallery.rawValue)
    }

    public func addItem(
        to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        try await addItem(to: gallery, spec: spec, bytes: bytes)
    }

    public func replaceItem(
        _ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        guard capabilities.deletes else {
            throw GalleryError.unsupported(.deletes, backend: name, gallery: ref.gallery.rawValue)
        }
        let stored = try await addItem(to: ref.gallery, spec: spec, bytes: bytes, checkpoint: checkpoint)
        do {
            try await removeItem(ref)
        } catch let error as GalleryError where error.code == .notFound {
            // An earlier attempt removed it already.
        }
        return stored
    }

    /// ``replaceItem(_:spec:bytes:checkpoint:)`` without a checkpoint: for callers outside the engine.
    public func replaceItem(_ ref: ItemRef, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        try await replaceItem(ref, spec: spec, bytes: bytes, checkpoint: NoCheckpoint())
    }

    public func ignoredEntries() async throws -> [IgnoredEntry] { [] }

    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        throw GalleryError.unsupported(.captions, backend: name, gallery: ref.gallery.rawValue)
    }

    public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        throw GalleryError.unsupported(.explicitOrder, backend: name, gallery: gallery.rawValue)
    }

    public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        throw GalleryError.unsupported(.cover, backend: name, gallery: gallery.rawValue)
    }

    public func openCover(of gallery: GalleryID) async throws -> ByteStream {
        throw GalleryError.unsupported(.nonMemberCover, backend: name, gallery: gallery.rawValue)
    }

    public func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
        throw GalleryError.unsupported(.nonMemberCover, backend: name, gallery: gallery.rawValue)
    }

    public func removeItem(_ ref: ItemRef) async throws {
        throw GalleryError.unsupported(.deletes, backend: name, gallery: ref.gallery.rawValue)
    }

    public func deleteGallery(_ id: GalleryID) async throws {
        throw GalleryError.unsupported(.deletes, backend: name, gallery: id.rawValue)
    }

    /// Nothing to finish for a backend that writes through.
    public func flush() async throws {}

    /// No HTTP requests to count.
    public func requestCounts() async -> RequestCounts? { nil }

    public func allGalleriesWithItems(concurrency: Int) async throws -> [Gallery] {
        try await readEachGallery(concurrency: concurrency)
    }

    /// Lists the galleries, then reads each with ``gallery(_:)``, `concurrency` at a time, keeping listing order.
    public func readEachGallery(concurrency: Int) async throws -> [Gallery] {
        let summaries = try await allGalleries()
        var galleries = [Gallery?](repeating: nil, count: summaries.count)
        var read = 0
        var items = 0
        ListingProgress.report(.init(galleries: 0, totalGalleries: summaries.count, items: 0))
        try await withThrowingTaskGroup(of: (Int, Gallery).self) { group in
            var next = 0
            func addNext() {
                guard next < summaries.count else { return }
                let index = next
                let id = summaries[index].id
                group.addTask { (index, try await self.gallery(id)) }
                next += 1
            }
            for _ in 0..<max(1, concurrency) { addNext() }
            while let (index, gallery) = try await group.next() {
                galleries[index] = gallery
                read += 1
                items += gallery.items.count
                ListingProgress.report(.init(galleries: read, totalGalleries: summaries.count, items: items))
                addNext()
            }
        }
        return galleries.compactMap { $0 }
    }
}

extension GalleryBackend {
    /// Every gallery summary, collected.
    public func allGalleries() async throws -> [GallerySummary] {
        var result: [GallerySummary] = []
        for try await summary in listGalleries() { result.append(summary) }
        return result
    }

    /// Throws `unsupported` unless every field of `metadata` that is set can be held.
    public func requireMetadataSupport(_ metadata: ItemMetadata, gallery: GalleryID) throws {
        let caps = capabilities
        if metadata.caption != nil, !caps.captions {
            throw GalleryError.unsupported(.captions, backend: name, gallery: gallery.rawValue)
        }
        if metadata.altText != nil, !caps.altText {
            throw GalleryError.unsupported(.altText, backend: name, gallery: gallery.rawValue)
        }
        if metadata.title != nil, !caps.itemTitles {
            throw GalleryError.unsupported(.itemTitles, backend: name, gallery: gallery.rawValue)
        }
    }
}
