/// The `--seed demo` content: folders `Maps`, `Maps/Coast` and `Portraits`, and a few images in the root and in
/// `Maps`, so a fresh sandbox has something to list and copy.
enum KankaDemoSeed {
    static func apply(to store: KankaStore) async {
        guard let maps = try? await store.createFolder(name: "Maps", parent: nil),
            (try? await store.createFolder(name: "Coast", parent: maps.id)) != nil,
            (try? await store.createFolder(name: "Portraits", parent: nil)) != nil
        else { return }
        let images: [(String, Int, String?)] = [
            ("harbour-at-dusk.png", 3_170, nil), ("lighthouse.png", 70, nil), ("old-map-of-the-bay.png", 9_000, maps.id),
        ]
        for (index, (filename, size, folder)) in images.enumerated() {
            _ = await store.seedImage(filename: filename, bytes: png(size: size, seed: UInt8(index + 1)), folderID: folder)
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
