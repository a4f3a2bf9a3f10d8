extension KonigleStore {
    /// Both gallery structures at once: each product (`product:<uid>`) with its images by position, and each
    /// `gallery:<slug>` tag (`tag:<slug>`) with its assets by `meta.gallery.position`, then creation. An image
    /// asset in no `gallery:` tag is unattached.
    func inventory() -> SandboxInventory {
        func name(_ key: String) -> String { String(key.split(separator: "/").last ?? Substring(key)) }
        var galleries: [SandboxInventory.Gallery] = []
        for product in products.values.sorted(by: { $0.sequence < $1.sequence }) {
            let images = productImages.values.filter { $0.product == product.uid }
                .sorted { ($0.position, $0.sequence) < ($1.position, $1.sequence) }
            galleries.append(
                .init(
                    id: "product:\(product.uid)", title: product.title,
                    items: images.map { .init(name: name($0.fileKey), bytes: $0.size) }))
        }
        var tagged: [String: [KonigleAsset]] = [:]
        var unattached: [SandboxInventory.Item] = []
        for asset in assets.values.sorted(by: { $0.sequence < $1.sequence }) {
            let slugs = asset.tags.filter { $0.hasPrefix("gallery:") }.map { String($0.dropFirst("gallery:".count)) }
            if slugs.isEmpty { unattached.append(.init(name: name(asset.fileKey), bytes: asset.size)) }
            for slug in slugs { tagged[slug, default: []].append(asset) }
        }
        for slug in tagged.keys.sorted() {
            galleries.append(
                .init(
                    id: "tag:\(slug)", title: slug,
                    items: (tagged[slug] ?? []).map { .init(name: name($0.fileKey), bytes: $0.size) }))
        }
        return SandboxInventory(galleries: galleries, unattached: unattached)
    }
}
