/// Finds what an earlier attempt of a write stored when its answer was lost: among the destination's
/// candidates (same name and size), the one whose stored bytes hash like the source's.
///
/// Backends with a multi-request write (see ``WriteCheckpoint``) use it before sending bytes a second time, so a
/// cut answer never leaves a copy behind.
public enum StoredCopy {
    /// Reads `bytes` to the end without sending them, checking their length, and returns their SHA-256.
    public static func digest(of bytes: ByteStream, expected byteCount: Int64, backend: String, item: String)
        async throws -> String
    {
        let (sha256, count) = try await SHA256Digester.digest(of: bytes)
        guard count == byteCount else {
            throw GalleryError(
                .integrity, "The source gave \(count) bytes, not the \(byteCount) it declared", backend: backend,
                item: item, isRetryable: true)
        }
        return sha256
    }

    /// The newest of `candidates` (last first) whose stored bytes hash to `sha256`, or `nil` when none does.
    ///
    /// `nil` lets the caller send the bytes again, so it must mean "not stored". A candidate read back with a
    /// length other than `byteCount` may be a different file (services that count sizes coarsely, like Kanka's
    /// KiB, list look-alikes) or a download that ended early without saying so (a body without a length, cut by
    /// a proxy): it is read a second time, and two reads that disagree are a failed read, thrown as a retryable
    /// transport error that leaves the search to the next attempt instead of a second upload.
    public static func match<Candidate: Sendable>(
        _ candidates: [Candidate], sha256: String, byteCount: Int64, backend: String, item: String,
        stored: (Candidate) async throws -> ByteStream
    ) async throws -> Candidate? {
        for candidate in candidates.reversed() {
            let first = try await SHA256Digester.digest(of: try await stored(candidate))
            if first.sha256 == sha256 { return candidate }
            guard first.byteCount != byteCount else { continue }
            let second = try await SHA256Digester.digest(of: try await stored(candidate))
            if second.sha256 == sha256 { return candidate }
            if second != first {
                throw GalleryError(
                    .transport,
                    "A stored copy of \(item) read back as \(first.byteCount) bytes, then as \(second.byteCount): "
                        + "whether it is the source's cannot be told",
                    backend: backend, item: item,
                    hint: "The download was cut short; the next attempt looks for the copy again.", isRetryable: true)
            }
        }
        return nil
    }

    /// The error when candidates existed but none held the source's bytes: `bytes` were read for the
    /// comparison, so the next attempt sends them.
    public static func notFound(backend: String, item: String) -> GalleryError {
        GalleryError(
            .transport, "An earlier attempt to store \(item) got no answer, and no stored copy of it was found",
            backend: backend, item: item, hint: "It is sent again on the next attempt.", isRetryable: true)
    }
}
