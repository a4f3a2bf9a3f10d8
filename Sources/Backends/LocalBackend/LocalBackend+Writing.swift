import Foundation
public import GalleryCore
import Synchronization

extension LocalBackend {
    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        try ensureRoot()
        let parent = spec.parent == Self.rootGallery ? nil : spec.parent
        let parentDirectory = try parent.map { try directory(for: $0) } ?? root
        // The slug, when there is one, names the folder: URL-safe and stable, so a copy between two Local
        // folders reproduces the layout. Otherwise the title does.
        let folder = try reserveName(spec.slug.flatMap { $0.isEmpty ? nil : $0 } ?? spec.title, in: parentDirectory)
        defer { release(folder, in: parentDirectory) }
        let path = parentDirectory + "/" + folder
        try FileSystem.makeDirectory(path, backend: name)
        let id = galleryID(parent: parent, folder: folder)
        let manifest = GalleryManifest(
            title: spec.title,
            description: spec.description,
            slug: spec.slug,
            visibility: spec.visibility,
            translations: spec.translations.isEmpty ? nil : spec.translations,
            items: [],
            extra: spec.extra.isEmpty ? nil : spec.extra
        )
        try manifest.save(to: path, backend: name)
        return id
    }

    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        try modifyManifest(id) { manifest, _ in
            if let title = changes.title { manifest.title = title }
            if let description = changes.description { manifest.description = description }
            if let visibility = changes.visibility { manifest.visibility = visibility }
            if let translations = changes.translations {
                manifest.translations = translations.isEmpty ? nil : translations
            }
            if let extra = changes.extra { manifest.extra = extra.isEmpty ? nil : extra }
        }
    }

    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        let directory = try directory(for: gallery)
        let file = try reserveName(spec.filename, in: directory)
        do {
            let (writer, written) = try await writeChecked(bytes, spec: spec, into: directory, gallery: gallery)
            forgetListed(directory + "/" + file)
            guard try writer.commit(as: directory + "/" + file, replacing: false) else {
                throw GalleryError(
                    .conflict, "A file named '\(file)' appeared while writing it", backend: name,
                    gallery: gallery.rawValue, item: file, hint: "Run the same command again.")
            }
            // The file is in place, so its name stays taken: no `release`, which would look it up again.
            return try record(file, written: written, spec: spec, in: gallery)
        } catch {
            release(file, in: directory)
            throw error
        }
    }

    /// Writes the new bytes beside the item's file and renames them over it, then rewrites its manifest entry in
    /// place: the item keeps its name and position, and a failure leaves the old file as it was.
    public func replaceItem(
        _ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint _: any WriteCheckpoint
    ) async throws -> Item {
        let path = try filePath(ref)
        let directory = try directory(for: ref.gallery)
        guard FileSystem.fileSize(path) != nil else { throw itemNotFound(ref) }
        let file = ref.item.rawValue
        let (writer, written) = try await writeChecked(bytes, spec: spec, into: directory, gallery: ref.gallery)
        forgetListed(path)
        _ = try writer.commit(as: path, replacing: true)
        var item = Item(
            id: ref.item, storing: spec, filename: file, byteCount: written.byteCount,
            digest: .sha256(written.sha256))
        var entry = GalleryManifest.Entry(item: item, file: file)
        entry.originalFilename = spec.filename == file ? nil : spec.filename
        try modifyManifest(ref.gallery) { manifest, _ in
            if let index = manifest.items.firstIndex(where: { $0.file == file }) {
                manifest.items[index] = entry
            } else {
                manifest.items.append(entry)
            }
        }
        item.extra = spec.extra
        return item
    }

    /// Adds a file just moved into place to the gallery's manifest.
    private func record(
        _ file: String, written: (sha256: String, byteCount: Int64), spec: ItemSpec, in gallery: GalleryID
    ) throws -> Item {
        var item = Item(
            id: ItemID(file), storing: spec, filename: file, byteCount: written.byteCount,
            digest: .sha256(written.sha256))
        var entry = GalleryManifest.Entry(item: item, file: file)
        entry.originalFilename = spec.filename == file ? nil : spec.filename
        try modifyManifest(gallery, isAdd: true) { manifest, _ in
            manifest.items.removeAll { $0.file == file }
            manifest.items.append(entry)
        }
        item.extra = spec.extra
        return item
    }

    /// Streams `bytes` into a not-yet-named file in `directory` and checks them against the spec; on any failure
    /// the file is gone and nothing else changed.
    private func writeChecked(
        _ bytes: ByteStream, spec: ItemSpec, into directory: String, gallery: GalleryID
    ) async throws -> (StreamedFileWriter, (sha256: String, byteCount: Int64)) {
        let writer = try StreamedFileWriter(directory: directory, backend: name, anonymous: anonymousFiles)
        do {
            let written = try await writer.write(bytes)
            try check(written, against: spec, gallery: gallery)
            return (writer, written)
        } catch {
            writer.discard()
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue, item: spec.filename)
        }
    }

    private func check(_ written: (sha256: String, byteCount: Int64), against spec: ItemSpec, gallery: GalleryID) throws
    {
        if written.byteCount != spec.byteCount {
            throw GalleryError(
                .integrity, "Received \(written.byteCount) bytes where \(spec.byteCount) were declared",
                backend: name, gallery: gallery.rawValue, item: spec.filename,
                hint: "The source changed or the transfer was cut; run the same command again.")
        }
        if let expected = spec.sha256, expected.lowercased() != written.sha256 {
            throw GalleryError(
                .integrity, "Bytes do not match the declared SHA-256", backend: name,
                gallery: gallery.rawValue, item: spec.filename,
                hint: "The source changed or the transfer was corrupted; run the same command again.")
        }
    }

    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        try modifyManifest(ref.gallery) { manifest, _ in
            guard let index = manifest.items.firstIndex(where: { $0.file == ref.item.rawValue }) else {
                throw itemNotFound(ref)
            }
            manifest.items[index].caption = metadata.caption
            manifest.items[index].altText = metadata.altText
            manifest.items[index].title = metadata.title
        }
    }

    public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        try modifyManifest(gallery) { manifest, _ in
            let current = manifest.items.map(\.file)
            guard items.count == current.count, Set(items.map(\.rawValue)) == Set(current) else {
                throw GalleryError(
                    .invalidInput, "A new order must name every item of the gallery exactly once",
                    backend: name, gallery: gallery.rawValue,
                    hint: "Read the gallery again and send all \(current.count) item ids.")
            }
            let byFile = Dictionary(uniqueKeysWithValues: manifest.items.map { ($0.file, $0) })
            manifest.items = items.map { byFile[$0.rawValue]! }
        }
    }

    public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        try modifyManifest(gallery) { manifest, directory in
            switch cover {
            case nil:
                manifest.cover = nil
            case .item(let id):
                guard manifest.items.contains(where: { $0.file == id.rawValue }) else {
                    throw itemNotFound(ItemRef(gallery: gallery, item: id))
                }
                manifest.cover = GalleryManifest.Cover(item: id.rawValue)
            case .standalone(let item):
                // Only the standalone cover already stored can be set again; new bytes come through
                // setStandaloneCover.
                guard let current = manifest.cover?.standalone, current.file == item.id.rawValue else {
                    throw GalleryError(
                        .invalidInput, "A standalone cover needs its bytes", backend: name,
                        gallery: gallery.rawValue, hint: "Call setStandaloneCover(of:spec:bytes:).")
                }
                _ = directory
            }
        }
    }

    public func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
        let directory = try directory(for: gallery)
        let (writer, written) = try await writeChecked(bytes, spec: spec, into: directory, gallery: gallery)
        // Hidden, so a listing never shows the cover as an item.
        let file = ".cover" + SafeName.split(SafeName.make(spec.filename)).ext
        _ = try writer.commit(as: directory + "/" + file, replacing: true)
        var entry = GalleryManifest.Entry(
            item: Item(
                id: ItemID(file), filename: spec.filename, mimeType: spec.mimeType,
                byteCount: written.byteCount, digest: .sha256(written.sha256)),
            file: file
        )
        entry.originalFilename = spec.filename
        try modifyManifest(gallery) { manifest, _ in manifest.cover = GalleryManifest.Cover(standalone: entry) }
    }

    public func removeItem(_ ref: ItemRef) async throws {
        let path = try filePath(ref)
        try modifyManifest(ref.gallery) { manifest, _ in
            guard manifest.items.contains(where: { $0.file == ref.item.rawValue }) else { throw itemNotFound(ref) }
            manifest.items.removeAll { $0.file == ref.item.rawValue }
            if manifest.cover?.item == ref.item.rawValue { manifest.cover = nil }
            FileSystem.remove(path)
        }
        forgetListed(path)
        forgetName(ref.item.rawValue, in: try directory(for: ref.gallery))
    }

    public func deleteGallery(_ id: GalleryID) async throws {
        guard id != Self.rootGallery else {
            throw GalleryError(
                .invalidInput, "The root folder itself cannot be deleted as a gallery", backend: name,
                gallery: id.rawValue, hint: "Delete its items one by one, or remove the folder by hand.")
        }
        let directory = try directory(for: id)
        forgetDirectories(under: directory)
        listedFiles.withLock { listed in listed = listed.filter { !$0.key.hasPrefix(directory + "/") } }
        writes.withLock { state in
            state.manifests = state.manifests.filter { key, _ in
                key != id && !key.rawValue.hasPrefix(id.rawValue + "/")
            }
            state.names = state.names.filter { path, _ in path != directory && !path.hasPrefix(directory + "/") }
        }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw GalleryError(.io, "Cannot delete \(directory): \(error)", backend: name, gallery: id.rawValue)
        }
        forgetName((directory as NSString).lastPathComponent, in: (directory as NSString).deletingLastPathComponent)
    }

    /// Writes every manifest changed in memory. Call when a run ends; later reads see the same either way.
    public func flush() async throws {
        try writes.withLock { state in
            for (id, cached) in state.manifests where cached.unsavedAdds > 0 {
                try cached.manifest.save(to: try directory(for: id), backend: name)
                state.manifests[id]?.unsavedAdds = 0
            }
        }
    }
}

// MARK: Manifest and name bookkeeping

extension LocalBackend {
    /// Reads (or adopts) a gallery's manifest, applies `change`, and writes it now, or later for a batch of adds.
    /// The lock is held throughout, so concurrent writers to one folder never lose each other's entries.
    ///
    /// The manifest is read and reconciled with the folder once per instance, then kept: while this instance
    /// writes a gallery it owns the manifest, so a hand edit of `gallery.json` made meanwhile is overwritten by
    /// the next write (files dropped in meanwhile are still listed, after the manifest's items).
    func modifyManifest(
        _ id: GalleryID,
        isAdd: Bool = false,
        _ change: (inout GalleryManifest, String) throws -> Void
    ) throws {
        let directory = try directory(for: id)
        try writes.withLock { state in
            var manifest: GalleryManifest
            if let cached = state.manifests[id] {
                // Reconciled with the disk when it was first read.
                manifest = cached.manifest
            } else {
                let saved = try GalleryManifest.load(from: directory, backend: name)
                manifest = try saved ?? adoptedManifest(id, directory: directory)
                // Entries whose file was removed by hand leave; files dropped in by hand join, in natural order.
                let entries = try FileSystem.entries(of: directory, backend: name)
                let onDisk = Set(entries.filter { !$0.isDirectory }.map(\.name))
                manifest.items.removeAll { !onDisk.contains($0.file) }
                let known = Set(manifest.items.map(\.file))
                let current = assemble(id: id, directory: directory, entries: entries, manifest: manifest)
                for item in current.items where !known.contains(item.id.rawValue) {
                    manifest.items.append(GalleryManifest.Entry(item: item, file: item.id.rawValue))
                }
            }
            try change(&manifest, directory)
            let unsaved = (state.manifests[id]?.unsavedAdds ?? 0) + (isAdd ? 1 : 0)
            if isAdd, unsaved < manifestBatchSize(forItemCount: manifest.items.count) {
                state.manifests[id] = CachedManifest(manifest: manifest, unsavedAdds: unsaved)
            } else {
                try manifest.save(to: directory, backend: name)
                state.manifests[id] = CachedManifest(manifest: manifest)
            }
        }
    }

    /// The manifest a plain folder gets on its first write: what it shows now, written down.
    private func adoptedManifest(_ id: GalleryID, directory: String) throws -> GalleryManifest {
        let entries = try FileSystem.entries(of: directory, backend: name)
        let gallery = assemble(id: id, directory: directory, entries: entries, manifest: nil)
        return GalleryManifest(
            title: gallery.title,
            cover: gallery.cover?.itemID.map { GalleryManifest.Cover(item: $0.rawValue) },
            items: gallery.items.map { GalleryManifest.Entry(item: $0, file: $0.id.rawValue) }
        )
    }

    /// Picks a safe name unused in `directory` (by case- and normalization-insensitive comparison) and holds it
    /// until ``release(_:in:)``, so two concurrent writes never choose the same name.
    func reserveName(_ raw: String, in directory: String) throws -> String {
        try writes.withLock { state in
            if state.names[directory] == nil {
                let existing = try FileSystem.entries(of: directory, backend: name).map {
                    SafeName.collisionKey($0.name)
                }
                state.names[directory] = Set(existing)
            }
            let chosen = SafeName.unique(raw, taken: state.names[directory]!)
            state.names[directory]!.insert(SafeName.collisionKey(chosen))
            return chosen
        }
    }

    /// Ends a reservation. The name stays taken when its file or folder now exists.
    func release(_ name: String, in directory: String) {
        let exists =
            FileSystem.fileSize(directory + "/" + name) != nil || FileSystem.isDirectory(directory + "/" + name)
        if !exists { forgetName(name, in: directory) }
    }

    /// Frees a name whose file or folder was removed, so a later write may use it again.
    func forgetName(_ name: String, in directory: String) {
        _ = writes.withLock { $0.names[directory]?.remove(SafeName.collisionKey(name)) }
    }

    func itemNotFound(_ ref: ItemRef) -> GalleryError {
        GalleryError(
            .notFound, "No item '\(ref.item)' in gallery '\(ref.gallery)'", backend: name,
            gallery: ref.gallery.rawValue, item: ref.item.rawValue)
    }
}
