import GalleryCore
import GalleryHTTP

/// The media an item write obtained, kept in the engine's journal so no upload is left behind unlinked.
///
/// `upload` is recorded as `sent` before the bytes go out, as `answered` when the server refused them and as
/// `searched` when no copy was found, so a later attempt knows whether an answer may have been lost; `media`
/// holds the id once the upload answered.
extension OmnitcodeBackend {
    static let uploadMark = "upload"
    static let mediaMark = "media"

    /// The media for `spec`: one an earlier attempt uploaded, else a fresh upload recorded in `checkpoint`.
    func uploadOnce(_ spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint) async throws -> (
        media: OmnitcodeWire.Media, sha256: String
    ) {
        let recorded = try await checkpoint.recorded()
        if let reused = try await reusableMedia(recorded, spec: spec, bytes: bytes, checkpoint: checkpoint) {
            _ = await looseMedia.claim(reused.media.id)
            return reused
        }
        // No mark at all: a first attempt, or one whose earlier attempts are in another journal.
        if recorded.isEmpty, let adopted = try await looseCopy(spec, bytes: bytes, checkpoint: checkpoint) {
            return adopted
        }
        try await checkpoint.record(Self.uploadMark, "sent")
        let uploaded: (media: OmnitcodeWire.Media, sha256: String)
        do {
            uploaded = try await upload(spec, bytes: bytes)
        } catch let error as GalleryError where error.httpStatus != nil {
            // The server answered: nothing was stored, and nothing needs looking for.
            try await checkpoint.record(Self.uploadMark, "answered")
            throw error
        }
        _ = await looseMedia.claim(uploaded.media.id)
        try await checkpoint.record(Self.mediaMark, uploaded.media.id)
        return uploaded
    }

    /// What an earlier attempt stored, when it can be found: the media it recorded, or (when its answer was
    /// lost) media in the library with the same name and size whose bytes are the source's (``StoredCopy``). The
    /// source's bytes are then read without being sent, for the digest the engine checks.
    func reusableMedia(
        _ recorded: [String: String], spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> (media: OmnitcodeWire.Media, sha256: String)? {
        if let id = recorded[Self.mediaMark] {
            do {
                let media = try await get("/api/v1/media/\(id)", as: OmnitcodeWire.Media.self)
                if media.size == nil || media.size == spec.byteCount {
                    return (media, try await digest(of: bytes, spec: spec))
                }
            } catch let error as GalleryError where error.code == .notFound {
                // Deleted meanwhile: upload afresh.
            }
        }
        guard recorded[Self.uploadMark] == "sent" else { return nil }
        let name = Self.uploadFilename(spec)
        let candidates = try await mediaLibrary().filter { $0.originalFilename == name && $0.size == spec.byteCount }
        guard !candidates.isEmpty else { return nil }
        let sha256 = try await digest(of: bytes, spec: spec)
        guard
            let found = try await StoredCopy.match(
                candidates, sha256: sha256, byteCount: spec.byteCount, backend: name, item: spec.filename,
                stored: download)
        else {
            try await checkpoint.record(Self.uploadMark, "searched")
            throw StoredCopy.notFound(backend: self.name, item: spec.filename)
        }
        return (found, sha256)
    }

    /// Every media row of the library, page by page.
    func mediaLibrary() async throws -> [OmnitcodeWire.Media] {
        var pager = OmnitcodePager<OmnitcodeWire.Media>(path: "/api/v1/media")
        var rows: [OmnitcodeWire.Media] = []
        while let page = try await pager.next(using: self) { rows += page }
        return rows
    }

    private func digest(of bytes: ByteStream, spec: ItemSpec) async throws -> String {
        try await StoredCopy.digest(of: bytes, expected: spec.byteCount, backend: name, item: spec.filename)
    }
}

extension OmnitcodeWire.Media: Identified { var identity: String { id } }
