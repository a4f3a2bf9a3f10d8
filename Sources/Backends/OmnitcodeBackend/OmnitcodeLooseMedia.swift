import GalleryCore
import GalleryHTTP
import Logging

/// Media in the library that no gallery links or shows as its cover: what an upload leaves when its answer was
/// lost and the journal that marked it `sent` is not the one in use (the service came back at another address,
/// or the journal was removed). A write with no journal mark looks here before uploading, so such an upload is
/// adopted instead of left loose beside a second one (Docs/omnitcode.md, "Interrupted writes and leftovers").
///
/// The library is listed once per backend, and the galleries are read for their links only when some write
/// finds media of its name and size; media this backend uploaded or adopted are never offered again.
actor OmnitcodeLooseMedia {
    private let library = SharedLoad<[OmnitcodeWire.Media]>()
    private let referenced = SharedLoad<Set<String>>()
    private var taken: Set<String> = []

    /// Library media named `name` of exactly `size` bytes that this backend has not taken.
    func lookalikes(
        name: String, size: Int64, listing: @escaping @Sendable () async throws -> [OmnitcodeWire.Media]
    ) async throws -> [OmnitcodeWire.Media] {
        let rows = try await library.value(listing)
        return rows.filter { $0.originalFilename == name && $0.size == size && !taken.contains($0.id) }
    }

    /// The ids every gallery links or uses as its cover.
    func referencedIDs(reading: @escaping @Sendable () async throws -> Set<String>) async throws -> Set<String> {
        try await referenced.value(reading)
    }

    /// Takes `id` for one write; `false` when another write took it first.
    func claim(_ id: String) -> Bool { taken.insert(id).inserted }
}

extension OmnitcodeBackend {
    /// An unreferenced library media with the source's name, size and bytes, adopted for `spec` (``OmnitcodeLooseMedia``).
    /// `nil` when none has its name and size (the source's bytes are then unread). Look-alikes that hold other
    /// bytes used the stream up: the attempt fails retryably, marked `searched`, and the next one uploads.
    func looseCopy(_ spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint) async throws -> (
        media: OmnitcodeWire.Media, sha256: String
    )? {
        let backend = self
        let alike = try await looseMedia.lookalikes(name: Self.uploadFilename(spec), size: spec.byteCount) {
            try await backend.mediaLibrary()
        }
        guard !alike.isEmpty else { return nil }
        let referenced = try await looseMedia.referencedIDs { try await backend.referencedMediaIDs() }
        let loose = alike.filter { !referenced.contains($0.id.lowercased()) }
        guard !loose.isEmpty else { return nil }
        let sha256 = try await StoredCopy.digest(
            of: bytes, expected: spec.byteCount, backend: name, item: spec.filename)
        let found = try await StoredCopy.match(
            loose, sha256: sha256, byteCount: spec.byteCount, backend: name, item: spec.filename, stored: download)
        if let found, await looseMedia.claim(found.id) {
            logger.info(
                "adopted \(spec.filename): the library held it unlinked (media \(found.id))",
                metadata: ["backend": "\(name)"])
            try await checkpoint.record(Self.mediaMark, found.id)
            return (found, sha256)
        }
        try await checkpoint.record(Self.uploadMark, "searched")
        throw GalleryError(
            .transport,
            "The media library holds unlinked files named like \(spec.filename), none of them a copy of it",
            backend: name, item: spec.filename, hint: "It is uploaded on the next attempt.", isRetryable: true)
    }

    /// Every media id a gallery links or uses as its cover: one listing of the galleries, one read of each.
    func referencedMediaIDs() async throws -> Set<String> {
        var pager = OmnitcodePager<OmnitcodeWire.Summary>(path: "/api/v1/galleries")
        var ids: Set<String> = []
        while let page = try await pager.next(using: self) {
            for summary in page {
                let gallery = try await wireGallery(GalleryID(summary.id))
                ids.formUnion(gallery.galleryMedia.map { $0.mediaID.lowercased() })
                if let cover = gallery.coverImageID { ids.insert(cover.lowercased()) }
            }
        }
        return ids
    }
}
