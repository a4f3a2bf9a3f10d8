import GalleryCore

/// One file waiting to be uploaded.
struct PendingUpload: Sendable {
    var folderID: String?
    var filename: String
    var mimeType: String
    /// Exact: the stream is checked against it while it is sent.
    var byteCount: Int64
    var bytes: ByteStream
}

/// Gathers concurrent uploads into one request when they wait for the same request slot: Kanka counts a
/// request with twenty `file[]` parts as one against the rate limit.
///
/// Every uploader enqueues its file, then waits for a slot from the governor. Whoever gets a slot while its own
/// file is still queued sends it together with the other queued files of the same folder; an uploader whose
/// file was taken by someone else's request hands its slot back and waits for that request's outcome. A lone
/// uploader never waits for company, so batching adds no latency.
actor KankaUploadQueue {
    private var nextID = 0
    private var queue: [(id: Int, upload: PendingUpload)] = []
    private var outcomes: [Int: Result<KankaRow, GalleryError>] = [:]
    private var waiters: [Int: CheckedContinuation<KankaRow, any Error>] = [:]

    func enqueue(_ upload: PendingUpload) -> Int {
        nextID += 1
        queue.append((nextID, upload))
        return nextID
    }

    /// Takes `id`'s file and up to `maxFiles - 1` others queued for the same folder, within `maxBytes`;
    /// `nil` when `id` was already taken.
    func take(_ id: Int, maxFiles: Int, maxBytes: Int64) -> [(id: Int, upload: PendingUpload)]? {
        guard let own = queue.first(where: { $0.id == id }) else { return nil }
        var batch = [own]
        var bytes = own.upload.byteCount
        for entry in queue where entry.id != id && batch.count < maxFiles {
            guard entry.upload.folderID == own.upload.folderID, bytes + entry.upload.byteCount <= maxBytes else {
                continue
            }
            batch.append(entry)
            bytes += entry.upload.byteCount
        }
        let taken = Set(batch.map(\.id))
        queue.removeAll { taken.contains($0.id) }
        return batch
    }

    func finish(_ id: Int, _ outcome: Result<KankaRow, GalleryError>) {
        if let waiter = waiters.removeValue(forKey: id) {
            waiter.resume(with: outcome.mapError { $0 as any Error })
        } else {
            outcomes[id] = outcome
        }
    }

    /// The stored row for `id`, once the request that carried it has an answer.
    func outcome(_ id: Int) async throws -> KankaRow {
        if let outcome = outcomes.removeValue(forKey: id) { return try outcome.get() }
        return try await withCheckedThrowingContinuation { continuation in
            waiters[id] = continuation
        }
    }
}
