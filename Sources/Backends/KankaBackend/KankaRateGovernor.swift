/// Paces requests to Kanka's fixed-window throttle: at most `limit` requests per window, then a wait until the
/// window has surely rolled, so a run stays just under the limit instead of bouncing off 429s.
///
/// Kanka's window (Laravel `RateLimiter`) opens when the server counts the first request and lasts 60 s. The
/// server counts a request before it answers, and every request we release in a window is counted in the
/// server's matching window, so the moment the *first answer* of our window arrives is an upper bound of the
/// server's window start: ending our window at that moment + window + margin can never be early. `X-RateLimit-Remaining` corrects the count when someone else spends the same user's budget, and
/// `X-RateLimit-Limit` corrects the limit (30 vs 90). After a header-less 429 everyone waits for the window to
/// roll. Time comes from an injected clock: tests never sleep.
public actor KankaRateGovernor {
    /// A granted request slot; hand it back to ``completed(_:remaining:limit:)`` or ``throttled(_:)``.
    public struct Ticket: Sendable {
        let window: Int
    }

    /// What the governor has done, for reports and the bench.
    public struct Stats: Sendable, Equatable {
        public var granted = 0
        public var throttled = 0
        public var windows = 0
    }

    public private(set) var limit: Int
    nonisolated public let window: Duration
    /// Slack after the estimated window end: Laravel's throttle timer keeps whole seconds, so 1 s on the real
    /// service; an emulator with an exact clock needs next to none.
    nonisolated public let margin: Duration
    private let elapsed: @Sendable () -> Duration
    private let sleeper: @Sendable (Duration) async throws -> Void

    private var windowNumber = 0
    private var windowStart: Duration?
    private var firstCompleted: Duration?
    private var used = 0
    private var blockedUntil: Duration = .zero
    public private(set) var stats = Stats()

    /// - Parameters:
    ///   - limit: Requests per window (Kanka: 30, or 90 for subscribers).
    ///   - window: The server's window (60 s on Kanka).
    ///   - margin: Slack after the estimated end of a window (the server timer's granularity).
    ///   - clock: Where time comes from; tests pass a manual clock.
    public init<C: Clock>(limit: Int, window: Duration = .seconds(60), margin: Duration = .seconds(1), clock: C)
    where C.Duration == Duration {
        self.limit = max(1, limit)
        self.window = window
        self.margin = max(margin, .milliseconds(1))
        let start = clock.now
        self.elapsed = { start.duration(to: clock.now) }
        self.sleeper = { duration in
            guard duration > .zero else { return }
            try await clock.sleep(for: duration)
        }
    }

    public init(limit: Int, window: Duration = .seconds(60), margin: Duration = .seconds(1)) {
        self.init(limit: limit, window: window, margin: margin, clock: ContinuousClock())
    }

    /// Waits until a request may be sent, and counts it.
    public func acquire() async throws -> Ticket {
        while true {
            let now = elapsed()
            if now < blockedUntil {
                try await sleeper(blockedUntil - now)
                continue
            }
            if let end = windowEnd, now >= end { windowStart = nil }
            if windowStart == nil {
                windowNumber += 1
                stats.windows += 1
                windowStart = now
                firstCompleted = nil
                used = 0
            }
            if used < limit {
                used += 1
                stats.granted += 1
                return Ticket(window: windowNumber)
            }
            // The budget is spent: sleep until the window surely rolled (or, while no answer of this window has
            // arrived and its end is unknown, a little).
            let end = windowEnd ?? now + margin
            try await sleeper(firstCompleted == nil ? min(margin, end - now) : max(end - now, .milliseconds(1)))
        }
    }

    /// Hands back a slot that was not used for a request.
    public func release(_ ticket: Ticket) {
        guard ticket.window == windowNumber, used > 0 else { return }
        used -= 1
        stats.granted -= 1
    }

    /// Records an answer (or a failure: its completion still bounds the server's window start) and what its
    /// rate-limit headers say.
    public func completed(_ ticket: Ticket, remaining: Int?, limit newLimit: Int?) {
        if let newLimit, newLimit > 0 { limit = newLimit }
        guard ticket.window == windowNumber else { return }
        if firstCompleted == nil { firstCompleted = elapsed() }
        if let remaining { used = max(used, limit - remaining) }
    }

    /// Records a 429 (which Kanka sends without any header) and returns how long everyone now waits.
    @discardableResult
    public func throttled(_ ticket: Ticket) -> Duration {
        stats.throttled += 1
        let now = elapsed()
        // The server's window opened no later than our window's first completed request; if that bound has
        // passed too, its window opened later than we can tell, and a full window from now is the safe bound.
        var until = now + window + margin
        if ticket.window == windowNumber, let first = firstCompleted, first + window + margin > now {
            until = first + window + margin
        }
        blockedUntil = max(blockedUntil, until)
        windowStart = nil
        return blockedUntil - now
    }

    /// When the current window surely ended: known once one of its requests has completed. A window none of whose
    /// requests reported back (their tasks were cancelled) ends after twice its length.
    private var windowEnd: Duration? {
        guard let start = windowStart else { return nil }
        return firstCompleted.map { $0 + window + margin } ?? start + window * 2
    }
}
