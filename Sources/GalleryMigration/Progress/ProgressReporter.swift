/// Receives a run's progress. Called from several transfer tasks at once, and once per chunk of bytes, so an
/// implementation must be cheap and thread-safe.
public protocol ProgressReporter: Sendable {
    /// The run is about to transfer this much.
    func begin(items: Int, bytes: Int64)
    /// Some bytes of an item went through.
    func transferred(bytes: Int)
    /// An item finished, well or not.
    func itemFinished(_ name: String, failed: Bool)
    /// The run ended; a live display clears itself.
    func end()
    /// Requests are held back by a rate limit for `remaining` more (reported about once a second while a wait
    /// lasts, from the waiting task).
    func waitingForRateLimit(_ remaining: Duration)
}

extension ProgressReporter {
    /// A display without a waiting state ignores waits.
    public func waitingForRateLimit(_ remaining: Duration) {}
}

/// Reports nothing.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func begin(items: Int, bytes: Int64) {}
    public func transferred(bytes: Int) {}
    public func itemFinished(_ name: String, failed: Bool) {}
    public func end() {}
}
