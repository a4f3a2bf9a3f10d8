import GalleryCore
import Synchronization

/// Wraps a backend and makes `addItem` of chosen files fail a number of times: before the write (a refused
/// request) or after it (the server stored the item, then the connection broke); `flush` can fail a number of
/// times too. Everything else forwards.
final class FlakyBackend: GalleryBackend {
    enum When: Sendable { case beforeWrite, afterWrite }

    let inner: any GalleryBackend
    private let failures: Mutex<[String: (remaining: Int, when: When, error: GalleryError)]>
    private let addCalls = Mutex(0)
    private let flushFailures = Mutex<(remaining: Int, error: GalleryError?)>((0, nil))
    private let flushCalls = Mutex(0)

    init(_ inner: any GalleryBackend) {
        self.inner = inner
        failures = Mutex([:])
    }

    func fail(_ filename: String, times: Int, when: When, with error: GalleryError) {
        failures.withLock { $0[filename] = (times, when, error) }
    }

    var addItemCalls: Int { addCalls.withLock { $0 } }

    func failFlush(times: Int, with error: GalleryError) { flushFailures.withLock { $0 = (times, error) } }

    var flushAttempts: Int { flushCalls.withLock { $0 } }

    var name: String { inner.name }
    var capabilities: Capabilities { inner.capabilities }
    func resolvedCapabilities() async throws -> Capabilities { try await inner.resolvedCapabilities() }
    func ignoredEntries() async throws -> [IgnoredEntry] { try await inner.ignoredEntries() }
    func replaceItem(_ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint)
        async throws -> Item
    {
        try await inner.replaceItem(ref, spec: spec, bytes: bytes, checkpoint: checkpoint)
    }
    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> { inner.listGalleries() }
    func gallery(_ id: GalleryID) async throws -> Gallery { try await inner.gallery(id) }
    func openItem(_ ref: ItemRef) async throws -> ByteStream { try await inner.openItem(ref) }
    func createGallery(_ spec: GallerySpec) async throws -> GalleryID { try await inner.createGallery(spec) }
    func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        try await inner.updateGallery(id, changes)
    }

    func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        addCalls.withLock { $0 += 1 }
        let failure = failures.withLock { state -> (When, GalleryError)? in
            guard let entry = state[spec.filename], entry.remaining > 0 else { return nil }
            state[spec.filename]!.remaining -= 1
            return (entry.when, entry.error)
        }
        switch failure {
        case (.beforeWrite, let error)?:
            throw error
        case (.afterWrite, let error)?:
            _ = try await inner.addItem(to: gallery, spec: spec, bytes: bytes)
            throw error
        case nil:
            return try await inner.addItem(to: gallery, spec: spec, bytes: bytes)
        }
    }

    func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        try await inner.updateItem(ref, metadata: metadata)
    }
    func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        try await inner.setOrder(of: gallery, to: items)
    }
    func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        try await inner.setCover(of: gallery, to: cover)
    }
    func openCover(of gallery: GalleryID) async throws -> ByteStream { try await inner.openCover(of: gallery) }
    func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
        try await inner.setStandaloneCover(of: gallery, spec: spec, bytes: bytes)
    }
    func removeItem(_ ref: ItemRef) async throws { try await inner.removeItem(ref) }
    func deleteGallery(_ id: GalleryID) async throws { try await inner.deleteGallery(id) }
    func flush() async throws {
        flushCalls.withLock { $0 += 1 }
        let failure = flushFailures.withLock { state -> GalleryError? in
            guard state.remaining > 0 else { return nil }
            state.remaining -= 1
            return state.error
        }
        if let failure { throw failure }
        try await inner.flush()
    }
    func requestCounts() async -> RequestCounts? { await inner.requestCounts() }
    func allGalleriesWithItems(concurrency: Int) async throws -> [Gallery] {
        try await inner.allGalleriesWithItems(concurrency: concurrency)
    }
}
