import Foundation
public import GalleryCore
import Logging
import Synchronization

extension LocalBackend {
    // MARK: Reading

    public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> {
        // One folder per page: a deep tree is walked as the consumer reads.
        PagedStream.make(start: [GalleryID?.none]) { [self] queue in
            var queue = queue
            let parent = queue.removeFirst()
            if parent == nil, try !rootIsReadable() { return ([], nil) }
            // A folder removed while the tree is walked is skipped, not an error: the listing is of what exists.
            let entries: [FileSystem.Entry]
            let directory: String
            do {
                directory = try parent.map { try self.directory(for: $0) } ?? root
                entries = try FileSystem.entries(of: directory, sizes: false, backend: name)
            } catch let error as GalleryError where error.code == .notFound && parent != nil {
                return ([], queue.isEmpty ? nil : queue)
            }
            var page: [GallerySummary] = []
            if parent == nil, let summary = try summary(of: Self.rootGallery, entries: entries, directory: root) {
                page.append(summary)
            }
            for folder in entries.filter(\.isDirectory).map(\.name).sorted(by: NaturalOrder.areInIncreasingOrder) {
                let id = galleryID(parent: parent, folder: folder)
                let path = directory + "/" + folder
                let children: [FileSystem.Entry]
                do {
                    children = try FileSystem.entries(of: path, sizes: false, backend: name)
                } catch let error as GalleryError where error.code == .notFound {
                    continue
                }
                page.append(try summary(of: id, entries: children, directory: path)!)
                queue.append(id)
            }
            return (page, queue.isEmpty ? nil : queue)
        }
    }

    /// A folder's summary; `nil` for the root when it holds no images of its own.
    ///
    /// A manifest that cannot be read does not end the listing: the folder is listed under its name with every
    /// image it holds, and a warning names the file; reading the gallery itself fails with the same error.
    private func summary(of id: GalleryID, entries: [FileSystem.Entry], directory: String) throws -> GallerySummary? {
        let manifest: GalleryManifest?
        do {
            manifest = try currentManifest(id, directory: directory)
        } catch let error as GalleryError where error.code == .corruptResponse {
            logger.warning("\(error.message): listed by its folder name until it is fixed")
            manifest = nil
        }
        let mediaCount = entries.filter { !$0.isDirectory && isItemFile($0.name, manifest: manifest) }.count
        if id == Self.rootGallery, manifest == nil, mediaCount == 0 { return nil }
        return GallerySummary(
            id: id,
            title: manifest?.title ?? folderName(of: id),
            slug: manifest?.slug,
            parent: id == Self.rootGallery ? nil : parentID(of: id),
            itemCount: mediaCount
        )
    }

    /// A gallery's title when its manifest gives none: its folder's name (the root's for the root).
    func folderName(of id: GalleryID) -> String {
        ((id == Self.rootGallery ? root : id.rawValue) as NSString).lastPathComponent
    }

    public func gallery(_ id: GalleryID) async throws -> Gallery {
        guard try rootIsReadable() else {
            throw GalleryError(
                .notFound, "No gallery '\(id)': \(root) does not exist yet", backend: name, gallery: id.rawValue)
        }
        let directory = try directory(for: id)
        let entries = try FileSystem.entries(of: directory, backend: name)
        let manifest = try currentManifest(id, directory: directory)
        return assemble(id: id, directory: directory, entries: entries, manifest: manifest)
    }

    /// The manifest as it stands: the unsaved one in memory, else the one on disk.
    func currentManifest(_ id: GalleryID, directory: String) throws -> GalleryManifest? {
        let unsaved = writes.withLock { state in
            state.manifests[id].flatMap { $0.unsavedAdds > 0 ? $0.manifest : nil }
        }
        return try unsaved ?? GalleryManifest.load(from: directory, backend: name)
    }

    func isItemFile(_ name: String, manifest: GalleryManifest?) -> Bool {
        if name == GalleryManifest.fileName { return false }
        return includesAllFiles || MIMEType.isMediaFilename(name)
            || manifest?.items.contains { $0.file == name } == true
    }

    /// Every file and folder under the root that is not listed, with the reason: other types (unless
    /// ``includesAllFiles``), hidden names, links, special files, names that are not UTF-8, normalization twins.
    public func ignoredEntries() async throws -> [IgnoredEntry] {
        guard try rootIsReadable() else { return [] }
        var result: [IgnoredEntry] = []
        var queue: [GalleryID?] = [nil]
        while !queue.isEmpty {
            try Task.checkCancellation()
            let parent = queue.removeFirst()
            let directory: String
            do {
                directory = try parent.map { try self.directory(for: $0) } ?? root
            } catch let error as GalleryError where error.code == .notFound {
                continue
            }
            let (entries, skipped) = try FileSystem.scan(directory, sizes: false, backend: name)
            let gallery = parent ?? Self.rootGallery
            let prefix = parent.map { $0.rawValue + "/" } ?? ""
            for entry in skipped {
                result.append(IgnoredEntry(path: prefix + entry.name, gallery: gallery, reason: entry.reason))
            }
            let manifest = try? GalleryManifest.load(from: directory, backend: name)
            for entry in entries where !entry.isDirectory && !isItemFile(entry.name, manifest: manifest) {
                guard entry.name != GalleryManifest.fileName else { continue }
                result.append(
                    IgnoredEntry(
                        path: prefix + entry.name, gallery: gallery,
                        reason: "not an image or video (\(MIMEType.forFilename(entry.name))); --all-files copies it"))
            }
            for entry in entries where entry.isDirectory {
                queue.append(galleryID(parent: parent, folder: entry.name))
            }
        }
        return result
    }

    /// Merges the manifest with what is on disk: manifest entries whose file exists, in manifest order, then
    /// media files the manifest does not know, in natural order.
    func assemble(id: GalleryID, directory: String, entries: [FileSystem.Entry], manifest: GalleryManifest?) -> Gallery
    {
        let files = Dictionary(
            entries.filter { !$0.isDirectory }.map { ($0.name, $0) },
            uniquingKeysWith: { first, _ in first })
        var items: [Item] = []
        var known = Set<String>()
        listedFiles.withLock { listed in
            for entry in entries where !entry.isDirectory {
                listed[directory + "/" + entry.name] = FileSystem.FileState(
                    byteCount: entry.byteCount, modified: entry.modified)
            }
        }
        for entry in manifest?.items ?? [] {
            guard let file = files[entry.file], known.insert(entry.file).inserted else { continue }
            var item = entry.item(diskBytes: file.byteCount)
            item.modified = file.modified
            items.append(item)
        }
        let extras = files.keys.filter { !known.contains($0) && isItemFile($0, manifest: nil) }
            .sorted(by: NaturalOrder.areInIncreasingOrder)
        for file in extras {
            items.append(
                Item(
                    id: ItemID(file), filename: file, mimeType: MIMEType.forFilename(file),
                    byteCount: files[file]!.byteCount, modified: files[file]!.modified))
        }

        var cover: CoverRef?
        if let manifest {
            if let file = manifest.cover?.item, known.contains(file) {
                cover = .item(ItemID(file))
            } else if let standalone = manifest.cover?.standalone, Self.isCoverFileName(standalone.file),
                let size = FileSystem.fileSize(directory + "/" + standalone.file)
            {
                cover = .standalone(standalone.item(diskBytes: size))
            }
        } else if let file = items.first(where: { Self.isCoverName($0.filename) }) {
            cover = .item(file.id)
        }

        return Gallery(
            id: id,
            title: manifest?.title ?? folderName(of: id),
            description: manifest?.description,
            slug: manifest?.slug,
            visibility: manifest?.visibility,
            translations: manifest?.translations ?? [:],
            items: items,
            cover: cover,
            parent: id == Self.rootGallery ? nil : parentID(of: id),
            extra: manifest?.extra ?? [:]
        )
    }

    /// A standalone cover's hidden file name as this backend writes it; anything else in a manifest (`../x`) is
    /// ignored, so a hand-edited manifest cannot point outside the gallery folder.
    static func isCoverFileName(_ file: String) -> Bool {
        file.hasPrefix(".cover") && !file.contains("/") && !file.contains("\0") && !file.contains("..")
    }

    /// `cover.jpg`, `Folder.png`, `poster.webp`: the names plain folders mark their cover with.
    static func isCoverName(_ filename: String) -> Bool {
        let stem = SafeName.split(filename).stem.lowercased()
        return ["cover", "folder", "poster"].contains(stem)
    }

    public func openItem(_ ref: ItemRef) async throws -> ByteStream {
        let path = try filePath(ref)
        let listed = listedFiles.withLock { $0[path] }
        guard let current = FileSystem.fileState(path) else {
            if listed != nil {
                throw changedSinceListed(ref, "was removed after it was listed")
            }
            throw GalleryError(
                .notFound, "No item '\(ref.item)' in gallery '\(ref.gallery)'", backend: name,
                gallery: ref.gallery.rawValue, item: ref.item.rawValue)
        }
        if let listed, listed != current {
            let change =
                listed.byteCount != current.byteCount
                ? "changed from \(listed.byteCount) to \(current.byteCount) bytes" : "was rewritten"
            throw changedSinceListed(ref, "\(change) after it was listed")
        }
        return .file(atPath: path, byteCount: current.byteCount)
    }

    /// A source file that changed between the listing a plan was made from and its transfer: not copied, so the
    /// copy holds what the plan said; the next run plans it afresh.
    private func changedSinceListed(_ ref: ItemRef, _ what: String) -> GalleryError {
        GalleryError(
            .conflict, "\(ref.item) \(what): not copied", backend: name, gallery: ref.gallery.rawValue,
            item: ref.item.rawValue, hint: "Run the same command again once the file is no longer being changed.",
            isRetryable: false)
    }

    /// Forgets what a listing saw of `path`, which this instance has just written or removed.
    func forgetListed(_ path: String) {
        _ = listedFiles.withLock { $0.removeValue(forKey: path) }
    }

    public func openCover(of gallery: GalleryID) async throws -> ByteStream {
        let directory = try directory(for: gallery)
        guard let file = try currentManifest(gallery, directory: directory)?.cover?.standalone?.file,
            Self.isCoverFileName(file),
            let size = FileSystem.fileSize(directory + "/" + file)
        else {
            throw GalleryError(
                .notFound, "Gallery '\(gallery)' has no standalone cover", backend: name,
                gallery: gallery.rawValue)
        }
        return .file(atPath: directory + "/" + file, byteCount: size)
    }
}
