public import GalleryCore
import Synchronization

/// Counts one remote's requests as ``RemoteHTTPClient``'s lifecycle sends them: API requests, requests to other
/// origins, 429s, and the wall time during which at least one request waited for the rate limit.
///
/// One meter per remote, shared by every copy of its client (it is a reference). Adapters never count: they
/// read ``counts`` to answer ``GalleryBackend/requestCounts()``.
public final class RequestMeter: Sendable {
    private struct State {
        var counts = RequestCounts()
        /// Requests waiting for the rate limit right now, and since when the oldest of them waits.
        var waiting = 0
        var waitingSince: Duration = .zero
    }

    private let state = Mutex(State())
    private let elapsed: @Sendable () -> Duration

    public convenience init() { self.init(clock: ContinuousClock()) }

    public init<C: Clock>(clock: C) where C.Duration == Duration {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
    }

    /// The totals so far; a wait going on now counts up to this moment.
    public var counts: RequestCounts {
        let now = elapsed()
        return state.withLock { state in
            var counts = state.counts
            if state.waiting > 0 { counts.rateLimitWaitSeconds += Self.seconds(now - state.waitingSince) }
            return counts
        }
    }

    /// A request went out: to the API, or (`isAPI` false) to another origin.
    func sent(isAPI: Bool) {
        state.withLock { if isAPI { $0.counts.requests += 1 } else { $0.counts.fileRequests += 1 } }
    }

    /// The API answered 429.
    func throttled() {
        state.withLock { $0.counts.throttled += 1 }
    }

    /// Runs `body`, a wait for the rate limit, counting the time in which any such wait was going on.
    func waiting<T>(_ body: () async throws -> T) async rethrows -> T {
        let now = elapsed()
        state.withLock { state in
            if state.waiting == 0 { state.waitingSince = now }
            state.waiting += 1
        }
        defer {
            let end = elapsed()
            state.withLock { state in
                state.waiting -= 1
                if state.waiting == 0 { state.counts.rateLimitWaitSeconds += Self.seconds(end - state.waitingSince) }
            }
        }
        return try await body()
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
