import GalleryCore

/// Admits requests under a fixed-window throttle: at most `limit` requests per window, then a wait until the
/// window has surely rolled, so a run stays just under the limit instead of bouncing off 429s.
///
/// Such a window (Laravel's `RateLimiter`, as Kanka runs it) opens when the server counts the first request and
/// lasts a fixed time. Two rules keep our count equal to the server's even with many uploads in flight on a slow
/// machine:
/// - A new window opens only when no request of an older one is still travelling: such a straggler would reach
///   the server after its window rolled and be counted in the new one, one more than we budgeted.
/// - A window's first request is a probe; the others wait for its answer. Its `X-RateLimit-Remaining` is the
///   server's own count (someone else may spend the same user's budget; `X-RateLimit-Limit` says 30 or 90), and
///   its arrival is an upper bound of the server's window start, so ending our window at that moment + window +
///   margin is never early. A 429 on the probe is the window's only one: nothing else was sent.
/// After a 429 (Kanka's carries no header at all) everyone waits for the window to roll. Time comes from an
/// injected clock: tests never sleep.
public actor WindowGovernor: AdmissionPolicy {
    public typealias Ticket = AdmissionTicket

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
    /// Tickets granted and not yet handed back, of any window.
    private var inFlight = 0
    /// Tasks waiting for a ticket to come back (the probe's answer, or the last straggler of a window).
    private var waiters: [CheckedContinuation<Void, Never>] = []
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

    /// Waits until a request may be sent, and counts it. Every ticket must come back through
    /// ``completed(_:remaining:limit:)``, ``throttled(_:)`` or ``release(_:)``.
    public func acquire() async throws -> Ticket {
        while true {
            try Task.checkCancellation()
            let now = elapsed()
            if now < blockedUntil {
                try await RateLimitWait.sleep(blockedUntil - now, sleeper)
                continue
            }
            if let end = windowEnd, now >= end { windowStart = nil }
            if windowStart == nil {
                if inFlight > 0 {
                    await nextReturn()
                    continue
                }
                windowNumber += 1
                stats.windows += 1
                windowStart = now
                firstCompleted = nil
                used = 0
            }
            if firstCompleted == nil, used > 0 {
                // The probe is out: its answer says how much of the window is left.
                await nextReturn()
                continue
            }
            if used < limit {
                used += 1
                inFlight += 1
                stats.granted += 1
                return Ticket(window: windowNumber)
            }
            // The budget is spent: sleep until the window surely rolled (the probe answered, so its end is known).
            let end = windowEnd ?? now + margin
            try await RateLimitWait.sleep(max(end - now, .milliseconds(1)), sleeper)
        }
    }

    /// Hands back a slot that was not used for a request.
    public func release(_ ticket: Ticket) {
        returned()
        guard ticket.window == windowNumber, used > 0 else { return }
        used -= 1
        stats.granted -= 1
    }

    private func nextReturn() async {
        await withCheckedContinuation { waiters.append($0) }
    }

    /// A ticket came back: the probe may have answered, or a window's last straggler arrived.
    private func returned() {
        inFlight = max(0, inFlight - 1)
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.resume() }
    }

    /// Records an answer (or a failure: its completion still bounds the server's window start) and what its
    /// rate-limit headers say.
    public func completed(_ ticket: Ticket, remaining: Int?, limit newLimit: Int?) {
        defer { returned() }
        if let newLimit, newLimit > 0 { limit = newLimit }
        guard ticket.window == windowNumber else { return }
        if firstCompleted == nil { firstCompleted = elapsed() }
        if let remaining { used = max(used, limit - remaining) }
    }

    /// Records an answer and learns the server's own count from its `X-RateLimit-Remaining` and
    /// `X-RateLimit-Limit`.
    public func completed(_ ticket: Ticket, answer: RemoteAnswer?) {
        completed(
            ticket, remaining: answer?.integerHeader("x-ratelimit-remaining"),
            limit: answer?.integerHeader("x-ratelimit-limit"))
    }

    /// Records a 429; the window, not the server's suggestion, says how long everyone waits.
    public func throttled(_ ticket: Ticket, suggested: Duration) -> Duration {
        throttled(ticket)
    }

    /// Records a 429 (which Kanka sends without any header) and returns how long everyone now waits.
    @discardableResult
    public func throttled(_ ticket: Ticket) -> Duration {
        defer { returned() }
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
