import GalleryCore
import GalleryHTTP

/// The image an item write obtained, kept in the engine's journal so a retried write never uploads twice.
///
/// `upload` is recorded as `sent` before the file goes out, `answered` when the server refused it and
/// `searched` when no copy was found; `image` holds the row's id once the upload answered.
extension KankaBackend {
    static let uploadMark = "upload"
    static let imageMark = "image"

    /// The image an earlier attempt stored, when it can be found: the row it recorded, or (when its answer was
    /// lost) a row of the folder with the same name and size whose original on the CDN hashes like the source
    /// (``StoredCopy``). The source's bytes are then read without being sent.
    func reusableRow(
        _ recorded: [String: String], folderID: String?, spec: ItemSpec, bytes: ByteStream,
        checkpoint: any WriteCheckpoint
    ) async throws -> (KankaRow, String)? {
        let kib = (spec.byteCount + 1023) / 1024
        let gallery = GalleryID(folderID ?? Self.rootGallery.rawValue)
        if let id = recorded[Self.imageMark] {
            do {
                let row = try await fetchRow(id, gallery: gallery)
                if !row.isFolder, row.folderID == folderID, row.size == kib {
                    return (row, try await digest(of: bytes, spec: spec))
                }
            } catch let error as GalleryError where error.code == .notFound {
                // Deleted meanwhile: upload afresh.
            }
        }
        guard recorded[Self.uploadMark] == "sent" else { return nil }
        let names = KankaFileType.serverNames(for: spec.filename)
        var candidates: [KankaRow] = []
        for try await row in allRows()
        where !row.isFolder && row.folderID == folderID && names.contains(row.name ?? "") && row.size == kib {
            candidates.append(row)
        }
        guard !candidates.isEmpty else { return nil }
        let sha256 = try await digest(of: bytes, spec: spec)
        let found = try await StoredCopy.match(
            candidates, sha256: sha256, byteCount: spec.byteCount, backend: name, item: spec.filename
        ) { row in
            try await openItem(ItemRef(gallery: gallery, item: ItemID(row.id)))
        }
        guard let found else {
            try await checkpoint.record(Self.uploadMark, "searched")
            throw StoredCopy.notFound(backend: self.name, item: spec.filename)
        }
        return (found, sha256)
    }

    private func digest(of bytes: ByteStream, spec: ItemSpec) async throws -> String {
        try await StoredCopy.digest(of: bytes, expected: spec.byteCount, backend: name, item: spec.filename)
    }
}
