import Foundation
public import GalleryCore
import GalleryHTTP

/// Order and cover: Stash orders a gallery by its files' paths, so ordering renames files (Docs/stash.md).
extension StashBackend {
    /// Renames the gallery's files so their natural order is `items` (`0001-…`, `0002-…`), through temporary
    /// names so no two files ever share one. Files still waiting for their scan are renamed before it, so a new
    /// gallery still takes one scan; files already scanned are moved by one rescan at the next flush (Stash's
    /// rename detection keeps their images and ids).
    public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        guard isWritable else { throw readOnly(gallery.rawValue) }
        await log.waitForFlush(gallery)
        let pending = await log.pendingFiles(of: gallery)
        // A gallery created here holds the files this backend attached: when they are exactly the items named,
        // their paths are known without asking Stash.
        var paths: [ItemID: String?] = [:]
        if var known = await log.settledPaths(of: gallery) {
            for file in pending { known[ItemID(file.md5)] = file.localPath }
            if Set(known.keys) == Set(items) { paths = known.mapValues { Optional($0) } }
        }
        if paths.isEmpty {
            paths = try await memberPaths(of: gallery)
            for file in pending { paths[ItemID(file.md5)] = file.localPath }
        }
        guard Set(items) == Set(paths.keys), items.count == paths.count else {
            throw GalleryError(
                .invalidInput, "The new order must hold each of the gallery's \(paths.count) items once",
                backend: name, gallery: gallery.rawValue)
        }
        var moves: [(item: ItemID, from: String, to: String)] = []
        for (index, item) in items.enumerated() {
            guard let path = paths[item] ?? nil else {
                throw GalleryError(
                    .invalidInput, "Item \(item) of gallery \(gallery) is not a file under the library folder",
                    backend: name, gallery: gallery.rawValue, item: item.rawValue,
                    hint: "Stash orders by file path: only files GalleryHub wrote under `libraryDir` can be renamed.")
            }
            let basename = (path as NSString).lastPathComponent
            let target =
                (path as NSString).deletingLastPathComponent + "/"
                + StashFileNames.ordinal(index + 1, StashFileNames.original(basename))
            if target != path { moves.append((item, path, target)) }
        }
        guard !moves.isEmpty, !Self.sortsInOrder(items.compactMap { paths[$0] ?? nil }) else { return }
        let staged = moves.map {
            ($0, ($0.from as NSString).deletingLastPathComponent + "/.\(UUID().uuidString).reorder")
        }
        for (move, temporary) in staged where rename(move.from, temporary) != 0 {
            throw GalleryError(.io, "Cannot rename \(move.from)", backend: name, gallery: gallery.rawValue)
        }
        for (move, temporary) in staged where rename(temporary, move.to) != 0 {
            throw GalleryError(.io, "Cannot rename to \(move.to)", backend: name, gallery: gallery.rawValue)
        }
        let pendingItems = Set(pending.map { ItemID($0.md5) })
        for move in moves {
            if pendingItems.contains(move.item) {
                await log.movePending(
                    move.item, in: gallery, to: move.to, serverPath: configuration.serverPath(move.to))
            } else {
                await log.settle(move.item, at: move.to, in: gallery)
            }
        }
        if moves.contains(where: { !pendingItems.contains($0.item) }) { await log.needsRescan(gallery) }
    }

    /// Whether files of one folder already sort in this order by path, naturally and as plain strings alike
    /// (strictly increasing ordinals of four digits): then numbering gaps, left by items that were not copied,
    /// need no rename and no rescan.
    static func sortsInOrder(_ paths: [String]) -> Bool {
        let folders = Set(paths.map { ($0 as NSString).deletingLastPathComponent })
        let numbers = paths.compactMap { StashFileNames.ordinalNumber(($0 as NSString).lastPathComponent) }
        guard folders.count <= 1, numbers.count == paths.count, numbers.allSatisfy({ $0 < 10_000 }) else {
            return false
        }
        return zip(numbers, numbers.dropFirst()).allSatisfy { $0 < $1 }
    }

    public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        guard isWritable else { throw readOnly(gallery.rawValue) }
        switch cover {
        case .none:
            _ = try await graphQL.run(
                StashWire.resetCover, variables: ["input": .object(["gallery_id": .string(gallery.rawValue)])],
                mutates: true, repeatable: true, as: StashWire.Ignored.self)
        case .standalone:
            throw GalleryError.unsupported(.nonMemberCover, backend: name, gallery: gallery.rawValue)
        case .item(let item):
            let image = try await imageID(of: ItemRef(gallery: gallery, item: item))
            let input: JSONValue = .object([
                "gallery_id": .string(gallery.rawValue), "cover_image_id": .string(image),
            ])
            _ = try await graphQL.run(
                StashWire.setCover, variables: ["input": input], mutates: true, repeatable: true,
                as: StashWire.Ignored.self)
        }
    }
}
