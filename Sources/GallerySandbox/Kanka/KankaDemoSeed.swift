/// The `--seed demo` content: folders `Maps`, `Maps/Coast` and `Portraits`, and a few images in the root and in
/// `Maps`, so a fresh sandbox has something to list and copy.
enum KankaDemoSeed {
    static func apply(to rows: inout [String: KankaImage], campaignID: Int) {
        let maps = KankaStore.createFolder(name: "Maps", parent: nil, into: &rows)
        _ = KankaStore.createFolder(name: "Coast", parent: maps.id, into: &rows)
        _ = KankaStore.createFolder(name: "Portraits", parent: nil, into: &rows)
        let owner = KankaUser(id: KankaEmulator.ownerID, canManage: true)
        let images: [(String, Int, String?)] = [
            ("harbour-at-dusk.png", 3_170, nil), ("lighthouse.png", 70, nil),
            ("old-map-of-the-bay.png", 9_000, maps.id),
        ]
        for (index, (filename, size, folder)) in images.enumerated() {
            let file = (KankaEmulator.imageName(fromFilename: filename), "png", png(size: size, seed: UInt8(index + 1)))
            _ = KankaStore.store(
                [file], folderID: folder, by: owner, available: .max, campaignID: campaignID, into: &rows)
        }
    }

    /// Bytes that sniff as PNG, deterministic per seed.
    static func png(size: Int, seed: UInt8) -> [UInt8] {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        var value = seed
        while bytes.count < size {
            value = value &* 73 &+ 41
            bytes.append(value)
        }
        return bytes
    }
}
