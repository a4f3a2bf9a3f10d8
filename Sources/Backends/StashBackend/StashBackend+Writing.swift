import Crypto
import Foundation
public import GalleryCore
import GalleryHTTP

extension StashBackend {
    // MARK: - Galleries

    /// Creates a user gallery whose `urls` carry a GalleryHub marker. An empty gallery with the same marker and
    /// title that this backend has not handed out yet (a create whose answer was lost) is returned instead of
    /// making a second one; two source galleries with the same title still become two galleries.
    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        guard isWritable else { throw readOnly(spec.title, .createGalleries) }
        if spec.parent != nil { throw GalleryError.unsupported(.nestedGalleries, backend: name, gallery: spec.title) }
        if !spec.translations.isEmpty {
            throw GalleryError.unsupported(.translations, backend: name, gallery: spec.title)
        }
        let title = spec.title.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !title.isEmpty else {
            throw GalleryError(
                .invalidInput, "Stash needs a non-empty gallery title", backend: name,
                hint: "Give the source gallery a title.")
        }
        let marker = Self.markerPrefix + (spec.slug ?? title)
        // A gallery an interrupted run created and no journal recorded is found by its marker and used. The
        // marked galleries are read once per session; only a retry of the same create (its answer was lost)
        // looks again, for the gallery that create may have made.
        let existing: [StashWire.GalleryRow]
        if await log.tryCreating(marker) {
            existing = try await galleries(withURL: marker, modifier: "EQUALS")
        } else {
            let backend = self
            existing = try await log.markedGalleries {
                try await backend.galleries(withURL: Self.markerPrefix, modifier: "INCLUDES")
            }
        }
        // EQUALS is SQL LIKE: compare exactly here.
        for found in existing where (found.urls ?? []).contains(marker) && found.title == title {
            guard (found.imageCount ?? 0) == 0, await log.claim(GalleryID(found.id)) else { continue }
            return GalleryID(found.id)
        }
        var input: [String: JSONValue] = ["title": .string(title), "urls": .array([.string(marker)])]
        if let description = spec.description { input["details"] = .string(description) }
        let created = try await graphQL.run(
            StashWire.createGallery, variables: ["input": .object(input)], mutates: true, as: StashWire.Created.self)
        guard let id = created.galleryCreate?.id else {
            throw GalleryError(.corruptResponse, "Stash created no gallery for \(title)", backend: name)
        }
        let gallery = GalleryID(id)
        _ = await log.claim(gallery)
        await log.created(gallery, folder: try folderPath(title: title, id: gallery))
        return gallery
    }

    /// Galleries with a URL that matches `value` (Stash compares with SQL `LIKE`: callers compare exactly).
    func galleries(withURL value: String, modifier: String) async throws -> [StashWire.GalleryRow] {
        try await graphQL.run(
            StashWire.galleriesByURL,
            variables: [
                "galleries": .object(["url": .object(["value": .string(value), "modifier": .string(modifier)])])
            ],
            as: StashWire.GalleryPage.self
        ).findGalleries.galleries
    }

    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        guard isWritable else { throw readOnly(id.rawValue) }
        if let translations = changes.translations, !translations.isEmpty {
            throw GalleryError.unsupported(.translations, backend: name, gallery: id.rawValue)
        }
        var input: [String: JSONValue] = ["id": .string(id.rawValue)]
        if let title = changes.title { input["title"] = .string(title) }
        if let description = changes.description { input["details"] = .string(description ?? "") }
        guard input.count > 1 else { return }
        _ = try await graphQL.run(
            StashWire.updateGallery, variables: ["input": .object(input)], mutates: true, repeatable: true,
            as: StashWire.Ignored.self)
    }

    /// Removes the gallery only: Stash keeps the images and GalleryHub never deletes library files.
    public func deleteGallery(_ id: GalleryID) async throws {
        guard isWritable else { throw readOnly(id.rawValue) }
        let input: JSONValue = .object(["ids": .array([.string(id.rawValue)]), "delete_file": .bool(false)])
        _ = try await graphQL.run(
            StashWire.destroyGallery, variables: ["input": input], mutates: true, as: StashWire.Ignored.self)
    }

    // MARK: - Items

    /// Writes the bytes into the gallery's folder as `NNNN-<name>` (under a temporary name first, renamed when
    /// complete) and queues the file for the gallery's next scan.
    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        try await addItem(to: gallery, spec: spec, bytes: bytes, checkpoint: NoCheckpoint())
    }

    /// ``addItem(to:spec:bytes:)``, recording the file's path (`file`) before a byte is written: a later attempt
    /// of the same write, in this run or after a kill, writes to that path again, or keeps the file there when
    /// it already holds the source's bytes. Without it, a run killed before its scan left every written file in
    /// the library, outside any gallery, and the next run wrote them all again under new numbers.
    public func addItem(
        to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        guard isWritable else { throw readOnly(gallery.rawValue) }
        // The ordinal is taken first: the item's place in the gallery's order when the spec says it, else the
        // order the calls came in.
        let ordinal = try await reserveOrdinal(in: gallery, position: spec.position)
        if let refusal = capabilities.refusal(mimeType: spec.mimeType, byteCount: spec.byteCount) {
            throw GalleryError(
                .invalidInput, "Stash scans only \(refusal): \(spec.mimeType) is not taken", backend: name,
                gallery: gallery.rawValue, item: spec.filename,
                hint: "Convert the image to JPEG, PNG, WebP, GIF or AVIF first; the plan lists it as a loss.")
        }
        try requireMetadataSupport(spec.metadata, gallery: gallery)
        let folder = try await folder(for: gallery)
        let finalPath: String
        let recordedMarks = try await checkpoint.recorded()
        if let recorded = recordedMarks[Self.fileMark],
            (recorded as NSString).deletingLastPathComponent == folder
        {
            finalPath = recorded
            if let md5 = try await keptFile(at: finalPath, spec: spec, bytes: bytes, gallery: gallery) {
                return await queued(finalPath, md5: md5, count: spec.byteCount, spec: spec, gallery: gallery)
            }
        } else if recordedMarks[Self.searchedMark] == nil,
            case let search = try await unscannedCopy(in: folder, spec: spec, bytes: bytes, gallery: gallery),
            search != .none
        {
            guard case .found(let path, let md5) = search else {
                // A loose file of the same name and size holds other bytes, and reading the source's stream to
                // know used it up: the next attempt writes a new file without looking again.
                try await checkpoint.record(Self.searchedMark, "other bytes")
                throw GalleryError(
                    .conflict, "\(folder) holds a file named like \(spec.filename) with other bytes", backend: name,
                    gallery: gallery.rawValue, item: spec.filename, hint: "Run again: the file is then written anew.",
                    isRetryable: true)
            }
            try await checkpoint.record(Self.fileMark, path)
            return await queued(path, md5: md5, count: spec.byteCount, spec: spec, gallery: gallery)
        } else {
            finalPath = folder + "/" + StashFileNames.ordinal(ordinal, spec.filename)
            try await checkpoint.record(Self.fileMark, finalPath)
        }
        let filename = (finalPath as NSString).lastPathComponent
        let temporary = folder + "/." + filename + ".part"
        let (md5, count) = try await write(bytes, to: temporary, gallery: gallery, item: spec.filename)
        guard count == spec.byteCount else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw GalleryError(
                .integrity, "Read \(count) bytes where the source declared \(spec.byteCount)", backend: name,
                gallery: gallery.rawValue, item: spec.filename,
                hint: "The source may have changed during the copy; run again to copy it afresh.", isRetryable: true)
        }
        guard rename(temporary, finalPath) == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw GalleryError(
                .io, "Cannot move \(filename) into place in \(folder)", backend: name, gallery: gallery.rawValue,
                item: spec.filename, hint: "Check that the library folder is writable.")
        }
        return await queued(finalPath, md5: md5, count: count, spec: spec, gallery: gallery)
    }

    static let fileMark = "file"
    static let searchedMark = "searched"

    /// The files in the gallery's folder that an earlier attempt may have written for `spec`: its name after
    /// any ordinal, and its size. A run killed between writing files and scanning them leaves such files outside
    /// any gallery, with its journal (which counts a written file as done) unaware that Stash never saw them.
    private func candidates(in folder: String, spec: ItemSpec) -> [String] {
        let wanted = StashFileNames.safe(spec.filename)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { StashFileNames.ordinalNumber($0) != nil && StashFileNames.original($0) == wanted }
            .map { folder + "/" + $0 }
            .filter {
                (try? FileManager.default.attributesOfItem(atPath: $0)[.size] as? NSNumber)?.int64Value
                    == spec.byteCount
            }
    }

    enum EarlierCopy: Equatable {
        /// No loose file could be it; the source's bytes are unread.
        case none
        case found(path: String, md5: String)
        /// Loose files could be it, and none holds the source's bytes, which were read to know.
        case otherBytes
    }

    /// An earlier attempt's file for `spec` holding exactly the source's bytes, not in the gallery yet: kept and
    /// queued for the scan instead of written again under a new ordinal.
    private func unscannedCopy(in folder: String, spec: ItemSpec, bytes: ByteStream, gallery: GalleryID)
        async throws -> EarlierCopy
    {
        let found = candidates(in: folder, spec: spec)
        guard !found.isEmpty else { return .none }
        // Files this run queued or Stash already holds in the gallery are some other put's, not an earlier run's.
        var taken = Set(await log.pendingFiles(of: gallery).map(\.localPath))
        taken.formUnion(try await memberPaths(of: gallery).values.compactMap { $0 })
        let loose = found.filter { !taken.contains($0) }
        guard !loose.isEmpty else { return .none }
        var source = Insecure.MD5()
        do {
            for try await chunk in bytes { chunk.withUnsafeBytes { source.update(bufferPointer: $0) } }
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue, item: spec.filename)
        }
        let md5 = Self.hex(source.finalize())
        for path in loose where try Self.md5(ofFileAt: path) == md5 { return .found(path: path, md5: md5) }
        return .otherBytes
    }

    static func md5(ofFileAt path: String) throws -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var digest = Insecure.MD5()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { digest.update(data: chunk) }
        return hex(digest.finalize())
    }

    /// Queues a file in place for the gallery's next scan, and returns it as the item it will be.
    private func queued(_ path: String, md5: String, count: Int64, spec: ItemSpec, gallery: GalleryID) async -> Item {
        await log.add(
            StashPendingFile(
                md5: md5, localPath: path, serverPath: configuration.serverPath(path), size: count,
                title: spec.metadata.title, caption: spec.metadata.caption),
            to: gallery)
        return Item(id: ItemID(md5), storing: spec, byteCount: count, digest: Digest(.md5, hex: md5))
    }

    /// The MD5 of the file an earlier attempt wrote at `path`, when it holds exactly the source's bytes (which
    /// are read, not written, to know). A partial file is removed and `nil` returned, to write it again; a whole
    /// file of other bytes is removed too, and the attempt fails retryable, as its bytes were read.
    private func keptFile(at path: String, spec: ItemSpec, bytes: ByteStream, gallery: GalleryID) async throws
        -> String?
    {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
        guard size == spec.byteCount, let onDisk = FileHandle(forReadingAtPath: path) else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        var stored = Insecure.MD5()
        defer { try? onDisk.close() }
        while let chunk = try onDisk.read(upToCount: 1 << 20), !chunk.isEmpty { stored.update(data: chunk) }
        var source = Insecure.MD5()
        var count: Int64 = 0
        do {
            for try await chunk in bytes {
                chunk.withUnsafeBytes { source.update(bufferPointer: $0) }
                count += Int64(chunk.count)
            }
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue, item: spec.filename)
        }
        let md5 = Self.hex(stored.finalize())
        guard count == spec.byteCount, Self.hex(source.finalize()) == md5 else {
            try? FileManager.default.removeItem(atPath: path)
            throw GalleryError(
                .integrity, "The source's bytes of \(spec.filename) are not those an earlier attempt wrote",
                backend: name, gallery: gallery.rawValue, item: spec.filename,
                hint: "The source changed during the copy; run again to copy it afresh.", isRetryable: true)
        }
        return md5
    }

    static func hex(_ digest: Insecure.MD5.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// New bytes for an item: written like an added item; the old image then leaves the gallery (Stash keeps it
    /// in the library). The same bytes again are the same image: the second copy is dropped and only the
    /// metadata is written.
    public func replaceItem(
        _ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        guard isWritable else { throw readOnly(ref.gallery.rawValue) }
        let stored = try await addItem(to: ref.gallery, spec: spec, bytes: bytes, checkpoint: checkpoint)
        guard stored.id == ref.item else {
            try await removeItem(ref)
            return stored
        }
        if let copy = await log.dropLatest(ref.item, in: ref.gallery) {
            try? FileManager.default.removeItem(atPath: copy.localPath)
        }
        try await updateItem(ref, metadata: spec.metadata)
        return stored
    }

    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        guard isWritable else { throw readOnly(ref.gallery.rawValue) }
        try requireMetadataSupport(metadata, gallery: ref.gallery)
        let image = try await imageID(of: ref)
        _ = try await graphQL.run(
            StashWire.updateImages,
            variables: ["input": .array([Self.imageUpdate(image, title: metadata.title, caption: metadata.caption)])],
            mutates: true, repeatable: true, as: StashWire.Ignored.self)
    }

    public func removeItem(_ ref: ItemRef) async throws {
        guard isWritable else { throw readOnly(ref.gallery.rawValue) }
        let image = try await imageID(of: ref)
        let input: JSONValue = .object([
            "gallery_id": .string(ref.gallery.rawValue), "image_ids": .array([.string(image)]),
        ])
        _ = try await graphQL.run(
            StashWire.removeImages, variables: ["input": input], mutates: true, repeatable: true,
            as: StashWire.Ignored.self)
        await log.unsettle(ref.item, in: ref.gallery)
    }

    // MARK: - Helpers

    static func imageUpdate(_ id: String, title: String?, caption: String?) -> JSONValue {
        .object(["id": .string(id), "title": .string(title ?? ""), "details": .string(caption ?? "")])
    }

    /// The image id behind an item id, after the gallery's pending batch (if it holds the item) is scanned.
    func imageID(of ref: ItemRef) async throws -> String {
        if await log.isPending(ref.item) { try await flushGallery(ref.gallery) }
        if let known = await log.imageID(of: ref.item) { return known }
        if Int(ref.item.rawValue) != nil { return ref.item.rawValue }
        let found = try await graphQL.run(
            StashWire.imageByChecksum, variables: ["checksum": .string(ref.item.rawValue)], as: StashWire.ImageID.self
        ).findImage
        guard let found else {
            throw GalleryError(
                .notFound, "Stash has no image \(ref.item)", backend: name, gallery: ref.gallery.rawValue,
                item: ref.item.rawValue, hint: "The image may have been deleted; re-run the plan.")
        }
        await log.remember(ref.item, image: found.id)
        return found.id
    }

    /// The gallery's scanned items → the local path of each one's primary file, `nil` when it is not under
    /// `libraryDir`.
    func memberPaths(of gallery: GalleryID) async throws -> [ItemID: String?] {
        let answer = try await graphQL.run(
            StashWire.imagesUnderPath, variables: ["images": Self.membership(of: gallery)],
            as: StashWire.FoundImages.self)
        var paths: [ItemID: String?] = [:]
        for image in answer.findImages.images {
            guard let file = image.visualFiles.first else { continue }
            paths[ItemID(file.md5 ?? image.id)] = file.path.flatMap(configuration.localPath)
        }
        return paths
    }

    /// The gallery's folder under `libraryDir`, created with a `.nogallery` marker (so a server that makes
    /// folder galleries does not make a second gallery of it). A gallery this backend did not create is named
    /// after its title, read from Stash: a failed read fails the write (retryably) rather than guessing a name,
    /// which would split the gallery's files between two folders.
    func folder(for gallery: GalleryID) async throws -> String {
        let backend = self
        return try await log.folder(for: gallery) {
            guard let library = backend.configuration.libraryDir else { throw backend.readOnly(gallery.rawValue) }
            let suffix = "g\(gallery.rawValue)"
            if let existing = (try? FileManager.default.contentsOfDirectory(atPath: library))?.first(where: {
                $0 == suffix || $0.hasSuffix("-" + suffix)
            }) {
                return library + "/" + existing
            }
            let found = try await backend.graphQL.run(
                StashWire.galleryWithImages,
                variables: ["id": .string(gallery.rawValue), "images": Self.membership(of: gallery)],
                as: StashWire.GalleryWithImages.self
            ).findGallery
            return try backend.folderPath(title: found?.title ?? "", id: gallery)
        }
    }

    func folderPath(title: String, id: GalleryID) throws -> String {
        guard let library = configuration.libraryDir else { throw readOnly(id.rawValue) }
        let path = library + "/" + StashFileNames.folder(title: title, id: id)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            let marker = path + "/.nogallery"
            if !FileManager.default.fileExists(atPath: marker) {
                FileManager.default.createFile(atPath: marker, contents: Data())
            }
        } catch {
            throw GalleryError(
                .io, "Cannot create the gallery folder \(path): \(error.localizedDescription)", backend: name,
                gallery: id.rawValue, hint: "Check that `libraryDir` exists and is writable.")
        }
        return path
    }

    /// The `NNNN` of a new file in the gallery's folder, counted from the highest on disk when the folder is
    /// first used: that plus `position` when given (and free), else the next free one (``StashOrdinals``).
    func reserveOrdinal(in gallery: GalleryID, position: Int?) async throws -> Int {
        if let next = await log.takeOrdinalIfKnown(for: gallery, position: position) { return next }
        let folder = try await folder(for: gallery)
        return await log.takeOrdinal(for: gallery, position: position) { Self.highestOrdinal(in: folder) }
    }

    static func highestOrdinal(in folder: String) -> Int {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.compactMap(StashFileNames.ordinalNumber).max() ?? 0
    }

    /// Streams `bytes` into `path`, returning the MD5 in hex and the byte count.
    func write(_ bytes: ByteStream, to path: String, gallery: GalleryID, item: String) async throws -> (String, Int64) {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw GalleryError(
                .io, "Cannot create \(path)", backend: name, gallery: gallery.rawValue, item: item,
                hint: "Check that `libraryDir` is writable.")
        }
        var hasher = Insecure.MD5()
        var count: Int64 = 0
        do {
            defer { try? handle.close() }
            for try await chunk in bytes {
                try handle.write(contentsOf: chunk)
                chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) }
                count += Int64(chunk.count)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue, item: item)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), count)
    }
}
