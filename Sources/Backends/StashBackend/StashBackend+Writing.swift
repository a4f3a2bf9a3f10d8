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
        if let recorded = try await checkpoint.recorded()[Self.fileMark],
            (recorded as NSString).deletingLastPathComponent == folder
        {
            finalPath = recorded
            if let md5 = try await keptFile(at: finalPath, spec: spec, bytes: bytes, gallery: gallery) {
                return await queued(finalPath, md5: md5, count: spec.byteCount, spec: spec, gallery: gallery)
            }
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

    // MARK: - Flushing: one scan per gallery batch

    /// Flushes every gallery with work, a few at a time: Stash runs the scans one after another anyway, but their
    /// waits and lookups overlap.
    public func flush() async throws {
        let galleries = await log.galleriesWithWork
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, gallery) in galleries.enumerated() {
                if index >= Self.concurrentFlushes { try await group.next() }
                group.addTask { try await flushGallery(gallery) }
            }
            try await group.waitForAll()
        }
    }

    static let concurrentFlushes = 4

    /// Scans the gallery's folder once for everything queued, then attaches the new images and sets their
    /// titles and captions.
    func flushGallery(_ gallery: GalleryID) async throws {
        guard isWritable, await log.hasWork(gallery) else { return }
        let folder = try await folder(for: gallery)
        let backend = self
        let serverFolder = configuration.serverPath(folder)
        try await log.flush(gallery) { batch in
            try await backend.scan(serverFolder, gallery: gallery)
            guard !batch.files.isEmpty else { return }
            let images = try await backend.imagesUnder(serverFolder)
            var ids: [String] = []
            var updates: [JSONValue] = []
            var settled: [(item: ItemID, path: String)] = []
            for file in batch.files {
                let found = images.first { image in image.visualFiles.contains { $0.path == file.serverPath } }
                guard let image = found, let scanned = image.visualFiles.first(where: { $0.path == file.serverPath })
                else {
                    throw GalleryError(
                        .server, "Stash's scan did not import \((file.localPath as NSString).lastPathComponent)",
                        backend: backend.name, gallery: gallery.rawValue, item: file.localPath,
                        hint: "Check that `serverLibraryDir` is where the server sees `libraryDir`, and that the "
                            + "folder lies inside one of its libraries with images not excluded.")
                }
                guard scanned.md5 == file.md5 else {
                    throw GalleryError(
                        .integrity, "Stash read other bytes than were written to \(file.serverPath)",
                        backend: backend.name, gallery: gallery.rawValue, item: file.localPath,
                        hint: "Another program may have changed the file; run again.", isRetryable: true)
                }
                // A content-dedup hit leaves our file as a secondary file of an older image: that image is ours.
                await backend.log.remember(ItemID(file.md5), image: image.id)
                if image.visualFiles.first?.path == file.serverPath {
                    settled.append((ItemID(file.md5), file.localPath))
                }
                if !ids.contains(image.id) { ids.append(image.id) }
                if (file.title ?? "") != (image.title ?? "") || (file.caption ?? "") != (image.details ?? "") {
                    updates.append(Self.imageUpdate(image.id, title: file.title, caption: file.caption))
                }
            }
            let input: JSONValue = .object([
                "gallery_id": .string(gallery.rawValue), "image_ids": .array(ids.map { .string($0) }),
            ])
            _ = try await backend.graphQL.run(
                StashWire.addImages, variables: ["input": input], mutates: true, repeatable: true,
                as: StashWire.Ignored.self)
            for file in settled { await backend.log.settle(file.item, at: file.path, in: gallery) }
            if !updates.isEmpty {
                _ = try await backend.graphQL.run(
                    StashWire.updateImages, variables: ["input": .array(updates)], mutates: true, repeatable: true,
                    as: StashWire.Ignored.self)
            }
        }
    }

    /// Starts a scan of exactly `path` and waits for its job to end.
    func scan(_ path: String, gallery: GalleryID) async throws {
        let flags = [
            "scanGenerateCovers", "scanGeneratePreviews", "scanGenerateImagePreviews", "scanGenerateSprites",
            "scanGeneratePhashes", "scanGenerateThumbnails", "scanGenerateClipPreviews",
        ]
        var input: [String: JSONValue] = ["paths": .array([.string(path)]), "rescan": .bool(false)]
        for flag in flags { input[flag] = .bool(false) }
        let job = try await graphQL.run(
            StashWire.scan, variables: ["input": .object(input)], mutates: true, repeatable: true,
            as: StashWire.ScanStarted.self
        ).metadataScan
        await log.countScan()
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.scanTimeout
        // Small scans end in milliseconds: poll soon, then back off to the configured interval.
        var wait = Duration.milliseconds(5)
        while true {
            let state = try await graphQL.run(
                StashWire.job, variables: ["input": .object(["id": .string(job)])], as: StashWire.JobState.self
            ).findJob
            // A job that is gone fell out of Stash's ten-entry graveyard: it finished.
            guard let state, state.status != "FINISHED" else { return }
            if ["CANCELLED", "FAILED"].contains(state.status) {
                throw GalleryError(
                    .server, "Stash's scan of \(path) ended \(state.status)", backend: name, gallery: gallery.rawValue,
                    serverMessage: state.error, hint: "Look at the server's log; run again to rescan.",
                    isRetryable: true)
            }
            guard clock.now < deadline else {
                throw GalleryError(
                    .server, "Stash's scan of \(path) did not finish in \(configuration.scanTimeout)",
                    backend: name, gallery: gallery.rawValue,
                    hint: "Another job may be running on the server (jobs run one at a time); run again later.",
                    isRetryable: true)
            }
            try await Task.sleep(for: wait)
            wait = min(wait * 2, configuration.pollInterval)
        }
    }

    /// The images with a file under `directory`, matched exactly afterwards (the filter is a `LIKE`).
    func imagesUnder(_ directory: String) async throws -> [StashWire.ImageRow] {
        let filter: JSONValue = .object([
            "path": .object(["value": .string("\"\(directory)/\""), "modifier": .string("INCLUDES")])
        ])
        return try await graphQL.run(
            StashWire.imagesUnderPath, variables: ["images": filter], as: StashWire.FoundImages.self
        ).findImages.images.filter { image in
            image.visualFiles.contains { $0.path?.hasPrefix(directory + "/") == true }
        }
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
    /// folder galleries does not make a second gallery of it).
    func folder(for gallery: GalleryID) async throws -> String {
        if let known = await log.folder(for: gallery) { return known }
        guard let library = configuration.libraryDir else { throw readOnly(gallery.rawValue) }
        let suffix = "g\(gallery.rawValue)"
        let existing = (try? FileManager.default.contentsOfDirectory(atPath: library))?.first {
            $0 == suffix || $0.hasSuffix("-" + suffix)
        }
        let path: String
        if let existing {
            path = library + "/" + existing
        } else {
            let title =
                (try? await graphQL.run(
                    StashWire.galleryWithImages,
                    variables: ["id": .string(gallery.rawValue), "images": Self.membership(of: gallery)],
                    as: StashWire.GalleryWithImages.self
                ).findGallery?.title) ?? nil
            path = try folderPath(title: title ?? "", id: gallery)
        }
        await log.setFolder(path, for: gallery)
        return path
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
