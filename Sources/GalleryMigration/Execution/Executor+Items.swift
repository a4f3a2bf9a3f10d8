import Foundation
import GalleryCore
import Logging

extension Executor {
    /// One unit of item work.
    struct ItemWork: Sendable {
        var gallery: GalleryPlan
        var item: ItemPlan
        var destinationGallery: GalleryID
        /// The item's 1-based place in the order the plan sets for its gallery, when it sets one.
        var position: Int?

        /// The journal step this work is: an upload (new or replaced bytes) or a metadata update.
        var stepKey: StepKey {
            StepKey(item.sendsBytes ? .upload : .updateItem, gallery: gallery.source.id, item: item.source.id)
        }
    }

    /// Phase 2: sends the bytes of new and changed items, ``MigrationOptions/itemsInFlight(itemsPerRequest:)``
    /// at a time: start that many, add one as one finishes. A destination that carries several items per
    /// request (Kanka) gets enough in flight to fill `transfers` requests, whatever `transfers` is. Matched items are recorded in the journal so later runs match them by journal.
    ///
    /// Intents are committed for ``intentBatch`` items at a time, one transaction each, always before any of
    /// those items starts: the journal's per-item cost would otherwise rival a small file's copy. A run stopped
    /// mid-batch leaves the unstarted items in intent; resume finds nothing of them at the destination and
    /// uploads them.
    func transferItems(_ plan: Plan, ledger: RunLedger) async throws {
        var work: [ItemWork] = []
        for gallery in plan.galleries {
            guard let destinationGallery = ledger.destinationGallery(gallery.source.id) else { continue }
            let positions = Dictionary(
                (gallery.order ?? []).enumerated().map { ($1, $0 + 1) }, uniquingKeysWith: { first, _ in first })
            for item in gallery.items {
                if case .skip = item.action {
                    logger.info(
                        "skipped \(item.source.filename) in “\(gallery.source.title)”: the destination cannot hold it")
                }
                let ref = ItemRef(gallery: gallery.source.id, item: item.source.id)
                if let id = item.destinationID {
                    ledger.mapItem(ref, to: id)
                    if case .keep = item.action {
                        ledger.count { $0.itemsUnchanged += 1 }
                        logger.debug("unchanged \(item.source.filename) in “\(gallery.source.title)”")
                    }
                    if item.matchedBy != .journal, !item.isReplace {
                        try await adopt(
                            StepKey(.upload, gallery: gallery.source.id, item: item.source.id),
                            destination: id.rawValue,
                            destinationGallery: destinationGallery,
                            fingerprint: SourceFingerprint(item.source)
                        )
                        ledger.count { $0.itemsReconciled += 1 }
                    }
                }
                if item.sendsBytes {
                    work.append(
                        ItemWork(
                            gallery: gallery, item: item, destinationGallery: destinationGallery,
                            position: positions[item.source.id]))
                }
            }
        }
        try await run(
            work, inFlight: options.itemsInFlight(itemsPerRequest: destination.capabilities.itemsPerRequest),
            ledger: ledger)
    }

    /// Phase 4 (first part): rewrites the metadata of matched items, once added items are visible.
    func updateItems(_ plan: Plan, ledger: RunLedger) async throws {
        var work: [ItemWork] = []
        for gallery in plan.galleries {
            guard let destinationGallery = ledger.destinationGallery(gallery.source.id) else { continue }
            for item in gallery.items where item.isUpdate {
                work.append(ItemWork(gallery: gallery, item: item, destinationGallery: destinationGallery))
            }
        }
        try await run(work, inFlight: options.transfers, ledger: ledger)
    }

    /// Runs item work `inFlight` at a time, committing intents in batches before the work starts.
    private func run(_ work: [ItemWork], inFlight: Int, ledger: RunLedger) async throws {
        guard !work.isEmpty else { return }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            var begun = 0
            func addNext() async throws {
                guard next < work.count, !Task.isCancelled, !ledger.outage.isTripped else { return }
                if next == begun {
                    let batch = work[begun..<min(begun + Self.intentBatch, work.count)]
                    for unit in batch { try await begin(unit.stepKey, deferCommit: true) }
                    try await journal.commit()
                    begun = batch.endIndex
                }
                let unit = work[next]
                next += 1
                group.addTask { await self.transfer(unit, ledger: ledger) }
            }
            for _ in 0..<max(1, inFlight) { try await addNext() }
            while try await group.next() != nil { try await addNext() }
            ledger.outage.recordLeft(work.count - next, what: "items", ledger: ledger)
        }
    }

    /// Items whose intents share one journal transaction.
    static let intentBatch = 64

    func transfer(_ unit: ItemWork, ledger: RunLedger) async {
        let source = unit.item.source
        let sourceRef = ItemRef(gallery: unit.gallery.source.id, item: source.id)
        let title = unit.gallery.source.title
        switch unit.item.action {
        case .upload(var spec), .replace(_, var spec):
            progress.itemStarted(source.filename)
            spec.position = unit.position
            let replacing = unit.item.destinationID
            let slot = FingerprintSlot()
            let counter = ItemByteCounter()
            let id = await perform(
                unit.stepKey, title: title, item: source.filename, destinationGallery: unit.destinationGallery,
                begun: true, fingerprint: slot, ledger: ledger
            ) {
                try await send(
                    sourceRef, listed: source, spec: spec, to: unit.destinationGallery, replacing: replacing,
                    fingerprint: slot, counter: counter)
            }
            if let id {
                ledger.mapItem(sourceRef, to: ItemID(id))
                ledger.count {
                    if replacing == nil { $0.itemsUploaded += 1 } else { $0.itemsUpdated += 1 }
                    $0.bytesUploaded += slot.value?.byteCount ?? source.byteCount
                }
            }
            let bytes = id == nil ? 0 : slot.value?.byteCount ?? source.byteCount
            finished(
                unit, action: replacing == nil ? "upload" : "replace", destinationId: id, bytes: bytes, ledger: ledger)
        case .update(let destinationItem, let metadata):
            progress.itemStarted(source.filename)
            var succeeded = false
            await perform(unit.stepKey, title: title, item: source.filename, begun: true, ledger: ledger) {
                try await destination.updateItem(
                    ItemRef(gallery: unit.destinationGallery, item: destinationItem), metadata: metadata
                )
                ledger.count { $0.itemsUpdated += 1 }
                succeeded = true
                return destinationItem.rawValue
            }
            finished(
                unit, action: "update", destinationId: succeeded ? destinationItem.rawValue : nil, bytes: 0,
                ledger: ledger)
        case .keep, .skip:
            break
        }
    }

    /// Records an item's outcome for the report, the progress display and the `-v` log (one line per item).
    private func finished(_ unit: ItemWork, action: String, destinationId: String?, bytes: Int64, ledger: RunLedger) {
        let source = unit.item.source
        let failed = destinationId == nil
        ledger.record(
            RunAction(
                action: action, gallery: PlanDocument.GalleryRef(unit.gallery.source), item: source.id.rawValue,
                filename: source.filename, destinationGallery: unit.destinationGallery.rawValue,
                destinationId: destinationId, byteCount: bytes, outcome: failed ? "failed" : "done"))
        let verb =
            switch (action, failed) {
            case (_, true): "failed to \(action == "update" ? "update" : "copy")"
            case ("upload", _): "uploaded"
            case ("replace", _): "replaced"
            default: "updated"
            }
        let size = bytes > 0 ? " (\(ByteFormat.string(bytes)))" : ""
        logger.info("\(verb) \(source.filename) in “\(unit.gallery.source.title)”\(size)")
        progress.itemFinished(source.filename, failed: failed)
    }

    /// Streams one item from source to destination, hashing it on the way, and checks what arrived. With
    /// `replacing`, the bytes replace that destination item (the source's item changed).
    ///
    /// A source that lists sizes in coarser units (Kanka's KiB) lists an estimate: the spec is given the exact
    /// length the source serves (spooled to a temporary file when the stream does not say), and that length
    /// must round to the listed size.
    /// - Parameter counter: reports to progress only the bytes earlier attempts did not.
    /// - Returns: the destination item's id.
    func send(
        _ ref: ItemRef, listed: Item, spec: ItemSpec, to gallery: GalleryID, replacing: ItemID?,
        fingerprint: FingerprintSlot, counter: ItemByteCounter
    ) async throws -> String {
        let progress = progress
        counter.beginAttempt()
        var spec = spec
        var opened = try await source.openItem(ref)
        var spooled: String?
        defer { if let spooled { try? FileManager.default.removeItem(atPath: spooled) } }
        let granularity = source.capabilities.sizeGranularity
        let integrity = { (message: String) in
            GalleryError(
                .integrity, message, backend: destination.name, gallery: gallery.rawValue, item: spec.filename,
                hint: "The source may have changed during the copy; run again to copy it afresh.", isRetryable: true
            )
        }
        if granularity > 1 {
            if opened.byteCount == nil {
                let path = try await Self.spool(opened)
                spooled = path
                let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value
                opened = .file(atPath: path, byteCount: size)
            }
            let exact = opened.byteCount ?? spec.byteCount
            guard
                SourceFingerprint.rounded(exact, granularity) == SourceFingerprint.rounded(spec.byteCount, granularity)
            else {
                throw integrity("The source serves \(exact) bytes where it lists \(spec.byteCount)")
            }
            spec.byteCount = exact
        }
        // Hashed once as it flows; a destination that records digests reads this digester instead of hashing
        // the same bytes again.
        let bytes = opened.hashingSHA256().tapped {
            let new = counter.add($0.count)
            if new > 0 { progress.transferred(bytes: new) }
        }
        let digester = bytes.sha256Digester!
        // The server ids this write obtains, so a repeated attempt continues it (a checkpoint is cleared once its
        // step is done, so a replacement never reuses the first upload's).
        let checkpoint = journal.checkpoint(for: StepKey(.upload, gallery: ref.gallery, item: ref.item))
        let stored =
            if let replacing {
                try await destination.replaceItem(
                    ItemRef(gallery: gallery, item: replacing), spec: spec, bytes: bytes, checkpoint: checkpoint)
            } else {
                try await destination.addItem(to: gallery, spec: spec, bytes: bytes, checkpoint: checkpoint)
            }
        let sha256 = digester.finalize()
        guard digester.byteCount == spec.byteCount else {
            throw integrity("Read \(digester.byteCount) bytes where the source declared \(spec.byteCount)")
        }
        if let expected = spec.sha256, expected != sha256 {
            throw integrity("The bytes read do not match the source's SHA-256")
        }
        if let stored = stored.sha256, stored != sha256 {
            throw integrity("The destination's SHA-256 differs from the bytes sent")
        }
        fingerprint.value = SourceFingerprint(byteCount: digester.byteCount, sha256: sha256, modified: listed.modified)
        return stored.id.rawValue
    }

    /// Writes a stream of unknown length to a temporary file, one chunk in memory at a time.
    static func spool(_ stream: ByteStream) async throws -> String {
        let path = NSTemporaryDirectory() + "gallery-hub-spool-\(UUID().uuidString)"
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw GalleryError(.io, "Cannot create the temporary file \(path)", hint: "Check the temporary folder.")
        }
        defer { try? handle.close() }
        do {
            for try await chunk in stream { try handle.write(contentsOf: chunk) }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        return path
    }
}
