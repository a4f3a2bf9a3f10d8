public import GalleryCore
import Synchronization

extension InMemoryBackend {
    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        try require(.write, gallery)
        try requireMetadataSupport(spec.metadata, gallery: gallery)
        if !spec.extra.isEmpty { try require(.extras, gallery) }
        try checkLimits(spec, gallery: gallery)
        try checkCaption(spec.metadata.caption, gallery: gallery)
        if let failure = state.withLock({ $0.failingFilenames[spec.filename] }) { throw failure }
        _ = try state.withLock { try stored(gallery, in: $0) }

        // Read outside the lock: the stream may suspend.
        let limit = Int(clamping: capabilities.maxItemBytes ?? Int64(Int.max))
        let data = try await bytes.collect(upTo: limit)
        guard Int64(data.count) == spec.byteCount else {
            throw GalleryError(
                .integrity,
                "Received \(data.count) bytes where \(spec.byteCount) were declared",
                backend: name,
                gallery: gallery.rawValue,
                item: spec.filename
            )
        }
        try checkContent(data, spec: spec, gallery: gallery)
        let digest = SHA256Digester.hex(of: data)
        if let expected = spec.sha256, expected != digest {
            throw GalleryError(
                .integrity,
                "Bytes do not match the declared SHA-256",
                backend: name,
                gallery: gallery.rawValue,
                item: spec.filename
            )
        }
        return try state.withLock { state in
            _ = try stored(gallery, in: state)
            let item = Item(
                id: ItemID(state.makeID("i")), storing: spec, byteCount: Int64(data.count),
                digest: capabilities.digests.contains(.sha256) ? .sha256(digest) : nil)
            if batchesWrites {
                state.unflushed[gallery, default: []].append(StoredItem(item: item, bytes: data))
            } else {
                state.galleries[gallery]!.items.append(StoredItem(item: item, bytes: data))
            }
            state.writeCount += 1
            return item
        }
    }

    /// Replaces the bytes and metadata of an item in place: same id, same position.
    public func replaceItem(
        _ ref: ItemRef, spec: ItemSpec, bytes: ByteStream, checkpoint _: any WriteCheckpoint
    ) async throws -> Item {
        try require(.write, ref.gallery)
        try requireMetadataSupport(spec.metadata, gallery: ref.gallery)
        try checkLimits(spec, gallery: ref.gallery)
        try checkCaption(spec.metadata.caption, gallery: ref.gallery)
        _ = try state.withLock { try itemIndex(ref, in: $0) }
        let data = try await bytes.collect(upTo: Int(clamping: capabilities.maxItemBytes ?? Int64(Int.max)))
        guard Int64(data.count) == spec.byteCount else {
            throw GalleryError(
                .integrity, "Received \(data.count) bytes where \(spec.byteCount) were declared", backend: name,
                gallery: ref.gallery.rawValue, item: spec.filename)
        }
        let digest = SHA256Digester.hex(of: data)
        return try state.withLock { state in
            let index = try itemIndex(ref, in: state)
            let item = Item(
                id: ref.item, storing: spec, byteCount: Int64(data.count),
                digest: capabilities.digests.contains(.sha256) ? .sha256(digest) : nil)
            state.galleries[ref.gallery]!.items[index] = StoredItem(item: item, bytes: data)
            state.writeCount += 1
            return item
        }
    }

    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        try require(.write, ref.gallery)
        try requireMetadataSupport(metadata, gallery: ref.gallery)
        try checkCaption(metadata.caption, gallery: ref.gallery)
        try state.withLock { state in
            let index = try itemIndex(ref, in: state)
            state.galleries[ref.gallery]!.items[index].item.metadata = metadata
            state.writeCount += 1
        }
    }

    public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        try require(.explicitOrder, gallery)
        try state.withLock { state in
            let current = try stored(gallery, in: state).items
            guard items.count == current.count, Set(items) == Set(current.map(\.item.id)) else {
                throw GalleryError(
                    .invalidInput,
                    "A new order must name every item of the gallery exactly once",
                    backend: name,
                    gallery: gallery.rawValue,
                    hint: "Read the gallery again and send all \(current.count) item ids."
                )
            }
            let byID = Dictionary(uniqueKeysWithValues: current.map { ($0.item.id, $0) })
            state.galleries[gallery]!.items = items.map { byID[$0]! }
            state.writeCount += 1
        }
    }

    public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        try require(.cover, gallery)
        if case .standalone = cover { try require(.nonMemberCover, gallery) }
        try state.withLock { state in
            let stored = try stored(gallery, in: state)
            if case .item(let id) = cover, !stored.items.contains(where: { $0.item.id == id }) {
                throw GalleryError(
                    .notFound,
                    "The cover must be an item of the gallery",
                    backend: name,
                    gallery: gallery.rawValue,
                    item: id.rawValue
                )
            }
            state.galleries[gallery]!.gallery.cover = cover
            if cover?.itemID != nil || cover == nil { state.galleries[gallery]!.coverBytes = nil }
            state.writeCount += 1
        }
    }

    public func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
        try require(.nonMemberCover, gallery)
        try checkLimits(spec, gallery: gallery)
        let data = try await bytes.collect(upTo: Int(clamping: capabilities.maxItemBytes ?? Int64(Int.max)))
        try state.withLock { state in
            _ = try stored(gallery, in: state)
            let digest = SHA256Digester.hex(of: data)
            let item = Item(
                id: ItemID(state.makeID("c")),
                filename: spec.filename,
                mimeType: spec.mimeType,
                byteCount: Int64(data.count),
                digest: capabilities.digests.contains(.sha256) ? .sha256(digest) : nil
            )
            state.galleries[gallery]!.gallery.cover = .standalone(item)
            state.galleries[gallery]!.coverBytes = data
            state.writeCount += 1
        }
    }

    public func removeItem(_ ref: ItemRef) async throws {
        try require(.deletes, ref.gallery)
        try state.withLock { state in
            let index = try itemIndex(ref, in: state)
            state.galleries[ref.gallery]!.items.remove(at: index)
            if state.galleries[ref.gallery]!.gallery.cover?.itemID == ref.item {
                state.galleries[ref.gallery]!.gallery.cover = nil
            }
            state.writeCount += 1
        }
    }
}

// MARK: Rules shared by the verbs

extension InMemoryBackend {
    func require(_ capability: Capability, _ gallery: GalleryID? = nil) throws {
        guard capabilities.supports(capability) else {
            throw GalleryError.unsupported(capability, backend: name, gallery: gallery?.rawValue)
        }
    }

    func checkLimits(_ spec: ItemSpec, gallery: GalleryID) throws {
        if let rule = capabilities.refusal(mimeType: spec.mimeType, byteCount: spec.byteCount) {
            throw GalleryError(
                .invalidInput,
                "\(spec.filename) (\(spec.mimeType), \(spec.byteCount) bytes) breaks the rule: \(rule)",
                backend: name,
                gallery: gallery.rawValue,
                item: spec.filename,
                hint: "Convert or skip the file; `gallery-hub plan` lists such items as losses."
            )
        }
    }

    /// Where ``Capabilities/checksContent`` is declared, bytes are judged by what they are, as Kanka does: empty,
    /// or of a type not allowed, they are refused.
    func checkContent(_ data: [UInt8], spec: ItemSpec, gallery: GalleryID) throws {
        guard capabilities.checksContent else { return }
        let sniffed = MIMEType.sniff(data)
        let allowed = capabilities.allowedMIMETypes
        if data.isEmpty || sniffed.map({ type in allowed.map { !$0.contains(type) } ?? false }) ?? true {
            throw GalleryError(
                .invalidInput, "\(spec.filename): the bytes are \(sniffed ?? "no image type known"), which is refused",
                backend: name, gallery: gallery.rawValue, item: spec.filename, httpStatus: 422)
        }
    }

    func checkCaption(_ caption: String?, gallery: GalleryID) throws {
        if let caption, let max = capabilities.maxCaptionLength, caption.count > max {
            throw GalleryError(
                .invalidInput,
                "Caption of \(caption.count) characters exceeds the \(max)-character limit",
                backend: name,
                gallery: gallery.rawValue
            )
        }
    }

    func stored(_ id: GalleryID, in state: State) throws -> StoredGallery {
        guard let gallery = state.galleries[id] else {
            throw GalleryError(.notFound, "No gallery \(id)", backend: name, gallery: id.rawValue)
        }
        return gallery
    }

    func itemIndex(_ ref: ItemRef, in state: State) throws -> Int {
        guard let index = try stored(ref.gallery, in: state).items.firstIndex(where: { $0.item.id == ref.item }) else {
            throw notFound(item: ref)
        }
        return index
    }

    func notFound(item ref: ItemRef) -> GalleryError {
        GalleryError(
            .notFound, "No item \(ref.item) in gallery \(ref.gallery)", backend: name,
            gallery: ref.gallery.rawValue, item: ref.item.rawValue)
    }
}
