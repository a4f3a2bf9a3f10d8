import Foundation

/// Folders of synthetic images for the migration commands' end-to-end tests.
enum MigrationFixtures {
    static func temporaryFolder() throws -> String {
        let path = NSTemporaryDirectory() + "gh-migration-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A JPEG's first bytes, for files that must pass a destination that sniffs content (Kanka, Konigle).
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]

    /// `galleries` folders of `items` files each, sizes from `minSize` to `maxSize`, with varied content that
    /// starts with `signature`.
    static func makeSource(
        at root: String, galleries: Int, items: Int, minSize: Int = 2_000, maxSize: Int = 40_000,
        signature: [UInt8] = []
    ) throws {
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        for g in 0..<galleries {
            let folder = "\(root)/gallery-\(g)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for i in 0..<items {
                let size = minSize + Int(next() % UInt64(maxSize - minSize))
                // Eight bytes per step: real-looking, varied content without a slow byte loop.
                let words = (0..<(size + 7) / 8).map { _ in next() }
                var data = words.withUnsafeBytes { Data($0.prefix(size)) }
                data.replaceSubrange(0..<min(signature.count, data.count), with: signature.prefix(data.count))
                try data.write(to: URL(fileURLWithPath: "\(folder)/photo-\(i).jpg"))
            }
        }
    }

    /// Media files per gallery folder (the manifest and temporary files aside).
    static func mediaFiles(under root: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        let folders = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(folder)")) ?? []
            result[folder] = files.filter { $0.hasSuffix(".jpg") }.sorted()
        }
        return result
    }

    static func summary(_ stdout: String) throws -> [String: Int] {
        let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any]
        return (object?["summary"] as? [String: Int]) ?? [:]
    }
}
