public import GalleryCore

extension BackendSnapshot {
    /// Reads every gallery of `backend` with its items, `concurrency` galleries at a time, keeping listing order;
    /// with `ignored`, also what the backend saw and does not offer (a source's, for the plan to list).
    /// - Parameter selection: the part of `backend` read (a source's `REMOTE:GALLERY` and filters).
    public static func read(
        from backend: any GalleryBackend, concurrency: Int = 4, ignored: Bool = false,
        selection: SourceSelection = .everything
    ) async throws -> BackendSnapshot {
        let galleries = try await selection.read(from: backend, concurrency: concurrency)
        return BackendSnapshot(
            name: backend.name, capabilities: try await backend.resolvedCapabilities(),
            galleries: galleries, ignored: ignored ? try await backend.ignoredEntries() : [])
    }

    /// Streams every item and sets its SHA-256, `concurrency` at a time. Without `keepKnown`, a digest the
    /// backend listed is replaced by the one of the bytes it serves (a manifest may be stale).
    /// - Parameter progress: told the items hashed so far, of all.
    mutating func hashEveryItem(
        of backend: any GalleryBackend, concurrency: Int, keepKnown: Bool, progress: (Int, Int) -> Void = { _, _ in }
    ) async throws {
        let refs = galleries.flatMap { gallery in
            gallery.items.filter { !keepKnown || $0.sha256 == nil }.map { ItemRef(gallery: gallery.id, item: $0.id) }
        }
        var digests: [ItemRef: String] = [:]
        progress(0, refs.count)
        try await withThrowingTaskGroup(of: (ItemRef, String).self) { group in
            var next = 0
            func addNext() {
                guard next < refs.count else { return }
                let ref = refs[next]
                next += 1
                group.addTask { (ref, try await SHA256Digester.digest(of: backend.openItem(ref)).sha256) }
            }
            for _ in 0..<max(1, concurrency) { addNext() }
            while let (ref, digest) = try await group.next() {
                digests[ref] = digest
                progress(digests.count, refs.count)
                addNext()
            }
        }
        for galleryIndex in galleries.indices {
            let id = galleries[galleryIndex].id
            for itemIndex in galleries[galleryIndex].items.indices {
                let ref = ItemRef(gallery: id, item: galleries[galleryIndex].items[itemIndex].id)
                if let digest = digests[ref] { galleries[galleryIndex].items[itemIndex].digest = .sha256(digest) }
            }
        }
    }

    /// Sets the SHA-256 of one item, computed elsewhere, so the planner can match by digest.
    mutating func setDigest(_ sha256: String, gallery: GalleryID, item: ItemID) {
        guard let galleryIndex = galleries.firstIndex(where: { $0.id == gallery }),
            let itemIndex = galleries[galleryIndex].items.firstIndex(where: { $0.id == item })
        else { return }
        galleries[galleryIndex].items[itemIndex].digest = .sha256(sha256)
    }

    func item(_ id: ItemID, in gallery: GalleryID) -> Item? {
        galleries.first { $0.id == gallery }?.items.first { $0.id == id }
    }
}
