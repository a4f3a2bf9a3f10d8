import Synchronization

/// A clock that moves only when a test says so: pacers, throttles and backoff sleep on it without waiting for real.
/// Each sleep returns at once, moving time to its deadline, and is recorded, so a test sees exactly which delays
/// the code asked for.
public final class ManualClock: Clock, Sendable {
    public struct Instant: InstantProtocol {
        public var offset: Duration
        public func advanced(by duration: Duration) -> Instant { Instant(offset: offset + duration) }
        public func duration(to other: Instant) -> Duration { other.offset - offset }
        public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.offset < rhs.offset }
    }

    private struct State {
        var now = Instant(offset: .zero)
        var sleeps: [Duration] = []
    }
    private let state = Mutex(State())

    public init() {}

    public var now: Instant { state.withLock { $0.now } }
    public var minimumResolution: Duration { .nanoseconds(1) }
    /// Every sleep asked for, as the time from then to its deadline.
    public var sleeps: [Duration] { state.withLock { $0.sleeps } }

    /// Moves time forward without a sleep (time passing between requests).
    public func advance(by duration: Duration) { state.withLock { $0.now = $0.now.advanced(by: duration) } }

    public func sleep(until deadline: Instant, tolerance: Duration?) async throws {
        try Task.checkCancellation()
        state.withLock {
            $0.sleeps.append($0.now.duration(to: deadline))
            if deadline > $0.now { $0.now = deadline }
        }
        // Lets other tasks run, as a real sleep would.
        await Task.yield()
    }
}
