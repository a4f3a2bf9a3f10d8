import Foundation
import GalleryCore
import GalleryMigration
import InMemoryBackend
import Logging

/// Builders for the engine's tests.
enum Fixtures {
    static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    /// Distinct, deterministic bytes (not all zeros) for item `seed`.
    static func bytes(count: Int, seed: UInt64) -> [UInt8] {
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// A source with `galleries` galleries of `items` items each, with captions, alt text, some titles, a
    /// non-trivial order (reversed) and a cover in the middle.
    static func source(
        galleries: Int = 3,
        items: Int = 100,
        name: String = "source"
    ) async throws -> InMemoryBackend {
        let backend = InMemoryBackend(name: name, pageSize: 2)
        for g in 0..<galleries {
            let id = try await backend.createGallery(
                GallerySpec(title: "Gallery \(g)", description: "About \(g)", slug: "gallery-\(g)")
            )
            var ids: [ItemID] = []
            for i in 0..<items {
                let data = bytes(count: 200 + (i * 37) % 1500, seed: UInt64(g * 10_000 + i + 1))
                let spec = ItemSpec(
                    filename: "img-\(i).jpg",
                    mimeType: "image/jpeg",
                    byteCount: Int64(data.count),
                    metadata: ItemMetadata(
                        caption: "Caption \(g)-\(i)", altText: "Alt \(i)", title: i % 3 == 0 ? "T\(i)" : nil)
                )
                ids.append(try await backend.addItem(to: id, spec: spec, bytes: .bytes(data)).id)
            }
            if ids.count > 1 { try await backend.setOrder(of: id, to: ids.reversed()) }
            if !ids.isEmpty { try await backend.setCover(of: id, to: .item(ids[ids.count / 2])) }
        }
        return backend
    }

    /// A fresh journal in a temporary folder.
    static func journal(source: String = "source", destination: String = "destination") throws -> Journal {
        try Journal(path: temporaryPath("journal.sqlite"), source: source, destination: destination)
    }

    static func temporaryPath(_ name: String) -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gh-tests-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent(name).path
    }

    /// Lossless capabilities with one change.
    static func capabilities(_ change: (inout Capabilities) -> Void) -> Capabilities {
        var capabilities = Capabilities.lossless
        change(&capabilities)
        return capabilities
    }

    static func item(
        _ id: String, _ filename: String, size: Int64 = 100, sha: String? = nil,
        caption: String? = nil
    ) -> Item {
        Item(
            id: ItemID(id), filename: filename, mimeType: "image/jpeg", byteCount: size,
            digest: sha.map(Digest.sha256), caption: caption)
    }
}
