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

/// Gathers concurrent uploads into full requests: Kanka counts a request with twenty `file[]` parts as one
/// against the rate limit (Docs/kanka.md), so every upload request should carry as many files as it may.
///
/// The uploader whose file is first in its folder's queue leads: it waits until the batch is full or no file
/// joined the folder for the linger time (files already on their way join within it even on a loaded machine,
/// where a shorter quiet spell sent half-empty requests: each costs a place in Kanka's 30 per minute), then
/// for a request slot (while the rate window is closed, more files
/// join), then takes its file and the next ones of the folder and sends them in one request. Taking them makes
/// the next queued file's uploader the leader of the folder's next batch, while this one is in flight. Every other
/// uploader waits for the outcome of the request that carried its file.
actor KankaUploadQueue {
    /// What an uploader does next.
    enum Turn {
        /// Its file leads its folder's queue: gather a batch and send it.
        case lead
        /// A request carried its file and has an answer (``outcome(_:)``).
        case done
    }

    private var nextID = 0
    private var queue: [(id: Int, upload: PendingUpload)] = []
    /// When a file last joined each folder's queue (`""` is the root), on the backend's clock.
    private var lastJoined: [String: Duration] = [:]
    private var outcomes: [Int: Result<KankaRow, GalleryError>] = [:]
    private var waiters: [Int: CheckedContinuation<Turn, Never>] = [:]
    func enqueue(_ upload: PendingUpload, at now: Duration) -> Int {
        nextID += 1
        queue.append((nextID, upload))
        lastJoined[upload.folderID ?? ""] = now
        wakeLeaders()
        return nextID
    }

    /// Returns as soon as `id`'s uploader leads its folder's queue or the request that carried its file answered.
    func turn(_ id: Int) async -> Turn {
        if outcomes[id] != nil { return .done }
        if isLeader(id) { return .lead }
        return await withCheckedContinuation { waiters[id] = $0 }
    }

    /// How much longer the leader `id` waits for company: zero once the batch it would take is full (by count or
    /// bytes), or once no file joined its folder for `linger`.
    func lingering(_ id: Int, maxFiles: Int, maxBytes: Int64, linger: Duration, now: Duration) -> Duration {
        guard let own = queue.first(where: { $0.id == id })?.upload else { return .zero }
        let folder = queue.filter { $0.upload.folderID == own.folderID }
        let batch = Self.batch(folder, maxFiles: maxFiles, maxBytes: maxBytes)
        if batch.count >= maxFiles || batch.count < folder.count { return .zero }
        let quiet = now - (lastJoined[own.folderID ?? ""] ?? now)
        return max(.zero, linger - quiet)
    }

    /// Takes `id`'s file and up to `maxFiles - 1` others queued for the same folder after it, within `maxBytes`;
    /// `nil` when `id` is not queued.
    func take(_ id: Int, maxFiles: Int, maxBytes: Int64) -> [(id: Int, upload: PendingUpload)]? {
        guard let index = queue.firstIndex(where: { $0.id == id }) else { return nil }
        let own = queue[index]
        let following = queue[index...].filter { $0.upload.folderID == own.upload.folderID }
        let batch = Self.batch(Array(following), maxFiles: maxFiles, maxBytes: maxBytes)
        let taken = Set(batch.map(\.id))
        queue.removeAll { taken.contains($0.id) }
        wakeLeaders()
        return batch
    }

    func finish(_ id: Int, _ outcome: Result<KankaRow, GalleryError>) {
        outcomes[id] = outcome
        waiters.removeValue(forKey: id)?.resume(returning: .done)
    }

    /// The stored row for `id`, once ``turn(_:)`` said `.done`.
    func outcome(_ id: Int) throws -> KankaRow {
        guard let outcome = outcomes.removeValue(forKey: id) else {
            throw GalleryError(.io, "No outcome for upload \(id)", hint: "This is a bug in the Kanka adapter.")
        }
        return try outcome.get()
    }

    /// The files of one folder's queue that one request takes: in order, at least the first, then while count and
    /// bytes allow.
    private static func batch(_ entries: [(id: Int, upload: PendingUpload)], maxFiles: Int, maxBytes: Int64)
        -> [(id: Int, upload: PendingUpload)]
    {
        var batch: [(id: Int, upload: PendingUpload)] = []
        var bytes: Int64 = 0
        for entry in entries where batch.count < maxFiles {
            guard batch.isEmpty || bytes + entry.upload.byteCount <= maxBytes else { break }
            batch.append(entry)
            bytes += entry.upload.byteCount
        }
        return batch
    }

    private func isLeader(_ id: Int) -> Bool {
        guard let own = queue.first(where: { $0.id == id }) else { return false }
        return queue.first(where: { $0.upload.folderID == own.upload.folderID })?.id == id
    }

    /// Tells each folder's first queued uploader, if it waits, that it now leads.
    private func wakeLeaders() {
        var seen: Set<String> = []
        for entry in queue where seen.insert(entry.upload.folderID ?? "").inserted {
            waiters.removeValue(forKey: entry.id)?.resume(returning: .lead)
        }
    }
}
