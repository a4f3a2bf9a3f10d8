public import GalleryCore

/// Receives a run's progress. Called from several transfer tasks at once, and once per chunk of bytes, so an
/// implementation must be cheap and thread-safe.
public protocol ProgressReporter: Sendable {
    /// The run is about to transfer this much.
    func begin(items: Int, bytes: Int64)
    /// An item's transfer starts (its name as the user knows it).
    func itemStarted(_ name: String)
    /// Some bytes of an item went through.
    func transferred(bytes: Int)
    /// An item finished, well or not.
    func itemFinished(_ name: String, failed: Bool)
    /// The run ended; a live display clears itself.
    func end()
    /// Requests are held back by a rate limit for `remaining` more (reported about once a second while a wait
    /// lasts, from the waiting task).
    func waitingForRateLimit(_ remaining: Duration)
    /// Work before or after the transfer got further: listing a side, planning, verifying.
    func phase(_ phase: ProgressPhase)
}

extension ProgressReporter {
    /// A display without names in flight ignores starts.
    public func itemStarted(_ name: String) {}
    /// A display without a waiting state ignores waits.
    public func waitingForRateLimit(_ remaining: Duration) {}
    /// A display of the transfer alone ignores the other phases.
    public func phase(_ phase: ProgressPhase) {}
}

/// How far one phase of a command's work has got, other than the transfer: listing a side, planning, verifying.
public struct ProgressPhase: Sendable, Hashable {
    /// What is being done, as a user says it (`listing source`, `planning`, `verifying`); names the phase.
    public var name: String
    /// How many ``unit`` are done.
    public var done: Int
    /// How many there are in all, once known.
    public var total: Int?
    /// What is counted (`galleries`, `items`).
    public var unit: String
    /// Further counts shown after the main one (`1021 items` while galleries are counted, bytes read).
    public var detail: String?
    /// The phase is over; this is its last count.
    public var isFinished: Bool

    public init(
        _ name: String, done: Int, total: Int? = nil, unit: String, detail: String? = nil, isFinished: Bool = false
    ) {
        self.name = name
        self.done = done
        self.total = total
        self.unit = unit
        self.detail = detail
        self.isFinished = isFinished
    }

    /// The counts as shown: `3/12 galleries, 250 items`.
    public var counts: String {
        let main =
            total.map { isFinished && $0 == done ? "\(done) \(unit)" : "\(done)/\($0) \(unit)" } ?? "\(done) \(unit)"
        return detail.map { "\(main), \($0)" } ?? main
    }

    /// The phase of reading one side whole (`side`: `source` or `destination`), from a listing's count.
    public static func listing(_ side: String, _ count: ListingProgress.Count, isFinished: Bool = false)
        -> ProgressPhase
    {
        let galleries = count.totalGalleries == nil && count.galleries == 0
        return ProgressPhase(
            "listing \(side)", done: galleries ? count.items : count.galleries,
            total: galleries ? nil : count.totalGalleries, unit: galleries ? "items" : "galleries",
            detail: galleries ? nil : "\(count.items) items", isFinished: isFinished)
    }
}

/// Reports nothing.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func begin(items: Int, bytes: Int64) {}
    public func transferred(bytes: Int) {}
    public func itemFinished(_ name: String, failed: Bool) {}
    public func end() {}
}
