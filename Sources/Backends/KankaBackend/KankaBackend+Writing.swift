import Foundation
public import GalleryCore
import GalleryHTTP

extension KankaBackend {
    /// Folders can only be made in Kanka's web UI: the plan lists the folders to create there and stops.
    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        var error = GalleryError.unsupported(.createGalleries, backend: name, gallery: spec.title)
        error.hint = """
            Kanka's API cannot create gallery folders: create the folder "\(spec.title)" in Kanka's web UI \
            (Campaign → Gallery → New folder), then run the plan again; it maps galleries to folders by name.
            """
        throw error
    }

    /// Renames a folder; nothing else of a folder can be changed.
    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        if changes.description != nil {
            throw GalleryError.unsupported(.galleryDescriptions, backend: name, gallery: id.rawValue)
        }
        if changes.translations != nil {
            throw GalleryError.unsupported(.translations, backend: name, gallery: id.rawValue)
        }
        if changes.extra != nil || changes.visibility != nil {
            throw GalleryError.unsupported(.extras, backend: name, gallery: id.rawValue)
        }
        guard let title = changes.title else { return }
        let folder = try await folderRow(id)
        _ = try await patch(folder.id, ["name": .string(String(title.prefix(45)))], gallery: id)
    }

    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        try await addItem(to: gallery, spec: spec, bytes: bytes, checkpoint: NoCheckpoint())
    }

    /// Uploads the file, then writes its caption in a second request. The stored image's id goes into
    /// `checkpoint` between the two, so a retry only writes the caption; an upload whose answer was lost is
    /// looked for in the folder before the file is sent again (``reusableRow(_:folderID:spec:bytes:checkpoint:)``).
    public func addItem(
        to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        try refuseLongCaption(spec.metadata.caption, gallery: gallery, item: spec.filename)
        let folderID = try folderID(for: gallery)
        if let refusal = capabilities.refusal(mimeType: spec.mimeType, byteCount: spec.byteCount) {
            throw GalleryError(
                .invalidInput, "Kanka does not take \(spec.filename) (\(refusal))", backend: name,
                gallery: gallery.rawValue, item: spec.filename,
                hint: "Convert the file to JPEG, PNG, GIF or WebP under the account's size limit, or leave it out.")
        }
        var row: KankaRow
        let sha256: String
        let recorded = try await checkpoint.recorded()
        if let reused = try await reusableRow(
            recorded, folderID: folderID, spec: spec, bytes: bytes, checkpoint: checkpoint)
        {
            (row, sha256) = reused
        } else {
            try await checkpoint.record(Self.uploadMark, "sent")
            do {
                (row, sha256) = try await uploadOne(folderID: folderID, spec: spec, bytes: bytes)
            } catch let error as GalleryError {
                // An answer means nothing was stored: nothing to look for next time.
                if error.httpStatus != nil { try await checkpoint.record(Self.uploadMark, "answered") }
                throw error.adding(backend: name, gallery: gallery.rawValue, item: spec.filename)
            }
            try await checkpoint.record(Self.imageMark, row.id)
        }
        // Captions go in a second request: the upload ignores every field but the file and the folder.
        let author = spec.extra["kanka.author"]?.stringValue
        if spec.metadata.caption != nil || author != nil {
            try refuseNamelessUpdate(row, gallery: gallery, item: spec.filename)
            var fields: [String: JSONValue] = ["name": .string(row.name ?? "")]
            if let caption = spec.metadata.caption { fields["description"] = .string(caption) }
            if let author { fields["author"] = .string(String(author.prefix(191))) }
            row = try await patch(row.id, fields, gallery: gallery)
        }
        // The size stays in Kanka's KiB (as every later listing reports it); the digest is of the exact bytes sent.
        var item = item(from: row)
        item.digest = .sha256(sha256)
        return item
    }

    /// Sends one file through the upload queue (batched with others for the same folder) and checks its size.
    func uploadOne(folderID: String?, spec: ItemSpec, bytes: ByteStream) async throws -> (KankaRow, String) {
        let digester = StreamDigester()
        let upload = PendingUpload(
            folderID: folderID, filename: spec.filename, mimeType: spec.mimeType, byteCount: spec.byteCount,
            bytes: bytes.tapped { digester.update($0) })
        let ticket = await uploads.enqueue(upload, at: clock.elapsed())
        let row = try await outcome(of: ticket)
        let sentKiB = (digester.byteCount + 1023) / 1024
        guard row.size == sentKiB else {
            throw GalleryError(
                .integrity, "Kanka stored \(spec.filename) as \(row.size ?? 0) KiB, but \(sentKiB) KiB were sent",
                backend: name, item: spec.filename, hint: "Delete the image in Kanka and run again.", isRetryable: false
            )
        }
        return (row, digester.finalize())
    }

    /// Writes the caption into `description` (alt text and titles have no place on Kanka).
    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        try requireMetadataSupport(metadata, gallery: ref.gallery)
        try refuseLongCaption(metadata.caption, gallery: ref.gallery, item: ref.item.rawValue)
        guard Self.isUUID(ref.item.rawValue) else { throw notFound(ref) }
        // The update rule requires `name` even on PATCH, so the current one is read first.
        let row = try await fetchRow(ref.item.rawValue, gallery: ref.gallery)
        try refuseNamelessUpdate(row, gallery: ref.gallery, item: row.filename)
        let description: JSONValue = metadata.caption.map { .string($0) } ?? .null
        _ = try await patch(
            row.id, ["name": .string(row.name ?? ""), "description": description], gallery: ref.gallery)
    }

    /// Kanka's update rule requires a non-empty `name` and the PATCH must carry the current one, so an image whose
    /// file name was only an extension (`.png` is stored with an empty name) cannot get a caption. Said before the
    /// request, which would be refused with a bare 422; the image itself stays stored and listed.
    func refuseNamelessUpdate(_ row: KankaRow, gallery: GalleryID, item: String) throws {
        guard (row.name ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        throw GalleryError(
            .invalidInput,
            "Kanka stored \(item) with an empty name, and its API changes no image without one: the caption was not written",
            backend: name, gallery: gallery.rawValue, item: item,
            hint:
                "Give the file a name before its extension (e.g. image.png) and copy it again, or leave its caption out.",
            isRetryable: false)
    }

    /// A caption longer than `description` holds is refused, never cut here: the plan cuts it and says so.
    func refuseLongCaption(_ caption: String?, gallery: GalleryID, item: String) throws {
        guard let caption, let max = capabilities.maxCaptionLength, caption.count > max else { return }
        throw GalleryError(
            .invalidInput, "A caption of \(caption.count) characters is longer than Kanka's \(max)", backend: name,
            gallery: gallery.rawValue, item: item,
            hint: "Shorten it; `gallery-hub plan` cuts such captions and lists the cut.")
    }

    public func removeItem(_ ref: ItemRef) async throws {
        guard Self.isUUID(ref.item.rawValue) else { throw notFound(ref) }
        // Deleting a folder id would delete its whole subtree: only ids known as images go straight to DELETE.
        if storagePaths[ref.item.rawValue] == nil {
            let row = try await fetchRow(ref.item.rawValue, gallery: ref.gallery)
            guard !row.isFolder else { throw notFound(ref) }
        }
        try await delete(ref.item.rawValue, gallery: ref.gallery, item: ref.item.rawValue)
        storagePaths[ref.item.rawValue] = nil
    }

    /// Deletes a folder with everything below it (Kanka deletes recursively). The root cannot be deleted.
    public func deleteGallery(_ id: GalleryID) async throws {
        guard id != Self.rootGallery else {
            throw GalleryError(
                .invalidInput, "The root of a Kanka gallery cannot be deleted", backend: name,
                gallery: id.rawValue, hint: "Remove its images one by one instead.")
        }
        let folder = try await folderRow(id)
        try await delete(folder.id, gallery: id, item: nil)
    }

    // MARK: - Requests

    /// Waits for the request that carries the queued upload `ticket`, leading its folder's next batch when the
    /// file comes first in the queue (``KankaUploadQueue``).
    func outcome(of ticket: Int) async throws -> KankaRow {
        while true {
            switch await uploads.turn(ticket) {
            case .done: return try await uploads.outcome(ticket)
            case .lead: await sendUploads(leading: ticket)
            }
        }
    }

    /// Gathers a batch behind `ticket` (until it is full or the folder's queue is quiet), waits for a request
    /// slot while more files join, then sends the batch in one request.
    func sendUploads(leading ticket: Int) async {
        let maxFiles = configuration.maxFilesPerUpload
        let maxBytes = max(configuration.maxItemBytes, 32 * 1024 * 1024)
        let slot: AdmissionTicket
        do {
            while true {
                let wait = await uploads.lingering(
                    ticket, maxFiles: maxFiles, maxBytes: maxBytes, linger: configuration.uploadLinger,
                    now: clock.elapsed())
                guard wait > .zero else { break }
                try await clock.sleep(wait)
            }
            slot = try await api.admit()
        } catch {
            // Cancelled while waiting: withdraw the file (the next one in the queue leads then).
            if await uploads.take(ticket, maxFiles: 1, maxBytes: .max) != nil {
                await uploads.finish(
                    ticket, .failure(GalleryError(.cancelled, "Cancelled while waiting to upload", backend: name)))
            }
            return
        }
        guard let batch = await uploads.take(ticket, maxFiles: maxFiles, maxBytes: maxBytes) else {
            await governor.release(slot)
            return
        }
        let form = KankaUploadBody(folderID: batch[0].upload.folderID, files: batch.map(\.upload))
        let request = RemoteRequest("POST", imagesPath, body: form.body(backend: name))
        let answer: Result<[KankaRow], any Error>
        do {
            answer = .success(try await api.json(request, as: KankaEnvelope<[KankaRow]>.self, admitted: slot).data)
        } catch {
            answer = .failure(error)
        }
        switch answer {
        case .success(let rows):
            for (entry, outcome) in zip(batch, Self.match(rows, to: batch.map(\.upload), backend: name)) {
                await uploads.finish(entry.id, outcome)
            }
        case .failure(let error):
            let failure = GalleryError.wrapping(error, backend: name)
            for entry in batch {
                // A stream that failed names its file; the others in the same request were not stored either.
                if failure.item == nil || failure.item == entry.upload.filename || batch.count == 1 {
                    await uploads.finish(entry.id, .failure(failure))
                } else {
                    await uploads.finish(
                        entry.id,
                        .failure(
                            GalleryError(
                                .transport,
                                "The upload request carrying \(entry.upload.filename) failed: \(failure.message)",
                                backend: name, item: entry.upload.filename, isRetryable: true)))
                }
            }
        }
    }

    /// Pairs the answer's rows with the files sent. Rows come in request order, but files over the campaign's
    /// storage are skipped silently, so a shorter answer is matched by name and size.
    static func match(_ rows: [KankaRow], to files: [PendingUpload], backend: String) -> [Result<
        KankaRow, GalleryError
    >] {
        if rows.count == files.count { return rows.map { .success($0) } }
        var next = 0
        return files.map { file in
            let kib = (file.byteCount + 1023) / 1024
            if next < rows.count, KankaFileType.serverNames(for: file.filename).contains(rows[next].name ?? ""),
                rows[next].size == kib
            {
                next += 1
                return .success(rows[next - 1])
            }
            return .failure(
                GalleryError(
                    .quotaExceeded, "Kanka did not store \(file.filename): the campaign's gallery storage is full",
                    backend: backend, item: file.filename,
                    hint:
                        "Kanka skips files over the storage quota without an error. Free space or boost the campaign, "
                        + "then run again.",
                    isRetryable: false))
        }
    }

    func patch(_ id: String, _ fields: [String: JSONValue], gallery: GalleryID) async throws -> KankaRow {
        let request = try RemoteRequest.json("PATCH", "\(imagesPath)/\(id)", body: fields)
        let row: KankaRow
        do {
            row = try await api.json(request, as: KankaEnvelope<KankaRow>.self).data
        } catch let error as GalleryError {
            throw error.adding(backend: name, gallery: gallery.rawValue, item: id)
        }
        if fields["description"] != nil || fields["author"] != nil, !row.hasCaptionFields {
            var error = GalleryError.unsupported(.captions, backend: name, gallery: gallery.rawValue)
            error.hint = "This Kanka deployment predates image descriptions (Aug 2026): captions cannot be stored."
            throw error
        }
        remember(row)
        return row
    }

    func delete(_ id: String, gallery: GalleryID, item: String?) async throws {
        do {
            try await api.perform(RemoteRequest("DELETE", "\(imagesPath)/\(id)"))
        } catch let error as GalleryError {
            throw error.adding(backend: name, gallery: gallery.rawValue, item: item)
        }
    }

    func folderRow(_ id: GalleryID) async throws -> KankaRow {
        guard Self.isUUID(id.rawValue) else { throw notFound(id) }
        do {
            let row = try await fetchRow(id.rawValue, gallery: id)
            guard row.isFolder else { throw notFound(id) }
            return row
        } catch let error as GalleryError where error.code == .notFound {
            throw notFound(id)
        }
    }

    /// `nil` for the root; a folder's UUID otherwise (checked by the server on upload).
    func folderID(for gallery: GalleryID) throws -> String? {
        if gallery == Self.rootGallery { return nil }
        guard Self.isUUID(gallery.rawValue) else { throw notFound(gallery) }
        return gallery.rawValue
    }
}
