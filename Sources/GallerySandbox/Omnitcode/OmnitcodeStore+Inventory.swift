extension OmnitcodeStore {
    /// Galleries not deleted, their linked media in order, and the media no gallery links or uses as its cover.
    func inventory() -> SandboxInventory {
        var held = Set<String>()
        var galleries: [SandboxInventory.Gallery] = []
        for gallery in state.galleries where gallery.deletedAt == nil {
            let items = gallery.links.sorted { $0.order < $1.order }.compactMap { link -> SandboxInventory.Item? in
                held.insert(link.mediaID)
                guard let position = mediaIndex[link.mediaID] else { return nil }
                let media = state.media[position]
                return SandboxInventory.Item(name: media.originalFilename, bytes: media.size)
            }
            if let cover = gallery.coverImageID { held.insert(cover) }
            galleries.append(.init(id: gallery.id, title: gallery.translations.first?.title ?? "", items: items))
        }
        let unattached = state.media.filter { !held.contains($0.id) }.map {
            SandboxInventory.Item(name: $0.originalFilename, bytes: $0.size)
        }
        return SandboxInventory(galleries: galleries, unattached: unattached)
    }
}
