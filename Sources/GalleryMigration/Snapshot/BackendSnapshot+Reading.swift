public import GalleryCore

extension BackendSnapshot {
    /// Reads every gallery of `backend` with its items, `concurrency` galleries at a time, keeping listing order.
    public static func read(from backend: any GalleryBackend, concurrency: Int = 4) async throws -> BackendSnapshot {
        let summaries = try await backend.allGalleries()
        var galleries = [Gallery?](repeating: nil, count: summaries.count)
        try await withThrowingTaskGroup(of: (Int, Gallery).self) { group in
            var next = 0
            func addNext() {
                guard next < summaries.count else { return }
                let index = next
                let id = summaries[index].id
                group.addTask { (index, try await backend.gallery(id)) }
                next += 1
            }
            for _ in 0..<max(1, concurrency) { addNext() }
            while let (index, gallery) = try await group.next() {
                galleries[index] = gallery
                addNext()
            }
        }
        return BackendSnapshot(
            name: backend.name, capabilities: try await backend.resolvedCapabilities(),
            galleries: galleries.compactMap { $0 })
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
