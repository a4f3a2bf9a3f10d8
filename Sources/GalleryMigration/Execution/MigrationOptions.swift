/// How a copy runs.
public struct MigrationOptions: Sendable, Hashable {
    /// Write requests in flight at once: items, for a destination that takes one item per request.
    public var transfers: Int
    /// Items in flight while uploading, when set; by default enough to fill `transfers` requests
    /// (``itemsInFlight(itemsPerRequest:)``).
    public var uploadsInFlight: Int?
    /// Start even though the plan lists losses.
    public var acceptLosses: Bool
    /// Remove destination items that no source item matched, in matched galleries.
    public var deleteExtras: Bool
    public var retry: RetryPolicy
    /// Re-hash both sides when planning instead of trusting listed digests and the journal (`--checksum`).
    public var checksum: Bool
    /// The user's answers to gallery ambiguities.
    public var resolutions: GalleryResolutions
    /// The part of the source copied (`REMOTE:GALLERY`, `--include`, `--exclude`, `--max-age`).
    public var selection: SourceSelection = .everything

    public init(
        transfers: Int = 4, acceptLosses: Bool = false, deleteExtras: Bool = false, retry: RetryPolicy = .standard,
        checksum: Bool = false, resolutions: GalleryResolutions = .none
    ) {
        self.transfers = max(1, transfers)
        self.acceptLosses = acceptLosses
        self.deleteExtras = deleteExtras
        self.retry = retry
        self.checksum = checksum
        self.resolutions = resolutions
    }

    /// Items the upload phase keeps in flight: ``uploadsInFlight`` when set, else `transfers` requests' worth
    /// for a destination that carries `itemsPerRequest` items per request, so its batches fill (capped at 256
    /// open sources).
    public func itemsInFlight(itemsPerRequest: Int) -> Int {
        uploadsInFlight.map { max(1, $0) } ?? min(256, transfers * max(1, itemsPerRequest))
    }

    /// The planning these options ask for.
    public var planning: PlanningOptions {
        var options = PlanningOptions(
            checksum: checksum, resolutions: resolutions, deleteExtras: deleteExtras, concurrency: transfers)
        options.selection = selection
        return options
    }
}

/// How often and how patiently a transient (`isRetryable`) failure is tried again.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts in all, the first included.
    public var maxAttempts: Int
    /// The wait before the second attempt; it doubles each time, and a server's `retryAfter` wins when longer.
    public var initialDelay: Duration
    public var maxDelay: Duration

    public init(maxAttempts: Int, initialDelay: Duration, maxDelay: Duration) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialDelay = initialDelay
        self.maxDelay = maxDelay
    }

    public static let standard = RetryPolicy(maxAttempts: 4, initialDelay: .milliseconds(500), maxDelay: .seconds(30))
    /// Retries without waiting: for tests.
    public static let immediate = RetryPolicy(maxAttempts: 4, initialDelay: .zero, maxDelay: .zero)

    /// The wait after failed attempt number `attempt` (1-based).
    public func delay(after attempt: Int, retryAfter: Duration?) -> Duration {
        var delay = initialDelay
        for _ in 1..<max(1, attempt) where delay < maxDelay { delay = delay * 2 }
        delay = min(delay, maxDelay)
        if let retryAfter, retryAfter > delay { delay = retryAfter }
        return delay
    }
}
