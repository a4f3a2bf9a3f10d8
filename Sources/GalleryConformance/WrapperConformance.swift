public import GalleryCore
import Synchronization

/// Checks that a backend which wraps another (a fault injector, a size-rounding view, a cache) forwards every
/// requirement of ``GalleryBackend``: one it forgets falls back to the protocol's default, which quietly answers
/// something else (the declared capabilities for ``GalleryBackend/resolvedCapabilities()``, nothing for
/// ``GalleryBackend/ignoredEntries()``, an add-then-remove for ``GalleryBackend/replaceItem(_:spec:bytes:checkpoint:)``).
///
/// ```swift
/// let missing = await WrapperConformance.unforwarded { inner in MyWrapper(inner) }
/// #expect(missing.isEmpty, "\(missing)")
/// ```
public enum WrapperConformance {
    /// The requirements the wrapper made by `wrap` does not pass on to the backend it wraps.
    public static func unforwarded(_ wrap: (any GalleryBackend) -> any GalleryBackend) async -> [String] {
        let probe = RecordingBackend()
        let wrapper = wrap(probe)
        let gallery = GalleryID("g")
        let ref = ItemRef(gallery: gallery, item: "i")
        let spec = ItemSpec(filename: "i.jpg", mimeType: "image/jpeg", byteCount: 1)
        let calls: [(String, () async throws -> Void)] = [
            ("resolvedCapabilities", { _ = try await wrapper.resolvedCapabilities() }),
            ("listGalleries", { for try await _ in wrapper.listGalleries() {} }),
            ("gallery", { _ = try await wrapper.gallery(gallery) }),
            ("openItem", { _ = try await wrapper.openItem(ref) }),
            ("createGallery", { _ = try await wrapper.createGallery(GallerySpec(title: "t")) }),
            ("updateGallery", { try await wrapper.updateGallery(gallery, GalleryChanges(title: "t")) }),
            ("addItem", { _ = try await wrapper.addItem(to: gallery, spec: spec, bytes: .bytes([1])) }),
            (
                "replaceItem",
                { _ = try await wrapper.replaceItem(ref, spec: spec, bytes: .bytes([1]), checkpoint: NoCheckpoint()) }
            ),
            ("ignoredEntries", { _ = try await wrapper.ignoredEntries() }),
            ("updateItem", { try await wrapper.updateItem(ref, metadata: ItemMetadata()) }),
            ("setOrder", { try await wrapper.setOrder(of: gallery, to: []) }),
            ("setCover", { try await wrapper.setCover(of: gallery, to: nil) }),
            ("openCover", { _ = try await wrapper.openCover(of: gallery) }),
            (
                "setStandaloneCover",
                { try await wrapper.setStandaloneCover(of: gallery, spec: spec, bytes: .bytes([1])) }
            ),
            ("removeItem", { try await wrapper.removeItem(ref) }),
            ("deleteGallery", { try await wrapper.deleteGallery(gallery) }),
            ("flush", { try await wrapper.flush() }),
            ("requestCounts", { _ = await wrapper.requestCounts() }),
            ("allGalleriesWithItems", { _ = try await wrapper.allGalleriesWithItems(concurrency: 1) }),
        ]
        var missing: [String] = []
        for (name, call) in calls {
            probe.reset()
            try? await call()
            if !probe.called.contains(name) { missing.append(name) }
        }
        return missing
    }
}

/// Answers every requirement itself (none falls back to a default) and records which were called.
private final class RecordingBackend: GalleryBackend {
    private let calls = Mutex(Set<String>())
    var called: Set<String> { calls.withLock { $0 } }
    func reset() { calls.withLock { $0 = [] } }
    private func record(_ name: String) { _ = calls.withLock { $0.insert(name) } }

    let name = "probe"
    let capabilities = Capabilities.lossless
    private let item = Item(id: "i", filename: "i.jpg", mimeType: "image/jpeg", byteCount: 1)

    func resolvedCapabilities() async throws -> Capabilities {
        record("resolvedCapabilities")
        return capabilities
    }
    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        record("listGalleries")
        return AsyncThrowingStream { $0.finish() }
    }
    func gallery(_ id: GalleryID) async throws -> Gallery {
        record("gallery")
        return Gallery(id: id, title: "t")
    }
    func openItem(_ ref: ItemRef) async throws -> ByteStream {
        record("openItem")
        return .bytes([1])
    }
    func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        record("createGallery")
        return "g"
    }
    func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws { record("updateGallery") }
    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        record("addItem")
        return item
    }
    func replaceItem(_ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint)
        async throws -> Item
    {
        record("replaceItem")
        return item
    }
    func ignoredEntries() async throws -> [IgnoredEntry] {
        record("ignoredEntries")
        return []
    }
    func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws { record("updateItem") }
    func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws { record("setOrder") }
    func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws { record("setCover") }
    func openCover(of gallery: GalleryID) async throws -> ByteStream {
        record("openCover")
        return .bytes([1])
    }
    func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
        record("setStandaloneCover")
    }
    func removeItem(_ ref: ItemRef) async throws { record("removeItem") }
    func deleteGallery(_ id: GalleryID) async throws { record("deleteGallery") }
    func flush() async throws { record("flush") }
    func requestCounts() async -> RequestCounts? {
        record("requestCounts")
        return nil
    }
    func allGalleriesWithItems(concurrency: Int) async throws -> [Gallery] {
        record("allGalleriesWithItems")
        return []
    }
}
