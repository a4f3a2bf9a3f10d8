import GalleryCore

/// A token bucket that spaces requests to one remote, shared by every task that talks to it.
///
/// `rate` tokens per second refill a bucket of `burst` tokens; each request takes one. A caller that finds the
/// bucket empty reserves the next token (the balance goes negative) and sleeps until it is due, so concurrent
/// callers queue in arrival order without polling. ``pause(for:)`` holds everyone back after a 429, and after
/// any answer that carries `Retry-After` (a 503 asking for patience).
public actor Pacer: AdmissionPolicy {
    public let rate: Double
    public let burst: Double
    private let clock: ErasedClock
    private var tokens: Double
    private var lastRefill: Duration
    private var pausedUntil: Duration = .zero

    /// - Parameters:
    ///   - rate: Requests per second allowed on average.
    ///   - burst: Requests allowed back to back after an idle period (at least 1).
    ///   - clock: Where time comes from; tests pass a manual clock.
    public init<C: Clock>(rate: Double, burst: Double = 1, clock: C) where C.Duration == Duration {
        precondition(rate > 0, "Pacer rate must be positive")
        self.rate = rate
        self.burst = max(1, burst)
        self.clock = ErasedClock(clock)
        self.tokens = max(1, burst)
        self.lastRefill = .zero
    }

    /// A pacer for `requestsPerMinute` (Kanka's 30 or 90), allowing `burst` back-to-back requests.
    public init<C: Clock>(requestsPerMinute: Double, burst: Double = 1, clock: C) where C.Duration == Duration {
        self.init(rate: requestsPerMinute / 60, burst: burst, clock: clock)
    }

    /// Waits until the caller may send one request.
    @discardableResult
    public func acquire() async throws -> AdmissionTicket {
        let wait = reserve()
        if wait > .zero { try await RateLimitWait.sleep(wait, clock.sleep) }
        return AdmissionTicket()
    }

    public func completed(_ ticket: AdmissionTicket, answer: RemoteAnswer?) {
        if let wait = RetryAfter.parse(answer?.header("retry-after")) { pause(for: wait) }
    }

    public func throttled(_ ticket: AdmissionTicket, suggested: Duration) -> Duration {
        pause(for: suggested)
        return suggested
    }

    /// A token taken and not used is not given back: the bucket refills on time alone.
    public func release(_ ticket: AdmissionTicket) {}

    /// Takes a token now and returns how long the caller must wait before using it.
    func reserve() -> Duration {
        let now = clock.elapsed()
        let elapsedSeconds = Self.seconds(now - lastRefill)
        tokens = min(burst, tokens + elapsedSeconds * rate)
        lastRefill = now
        tokens -= 1
        var wait: Duration = tokens >= 0 ? .zero : .nanoseconds(Int64((-tokens / rate) * 1e9))
        if pausedUntil > now + wait { wait = pausedUntil - now }
        return wait
    }

    /// Stops every caller until `duration` from now (a server's `Retry-After`).
    public func pause(for duration: Duration) {
        let until = clock.elapsed() + duration
        if until > pausedUntil { pausedUntil = until }
        // The server saw a burst it did not like: start again from an empty bucket.
        tokens = min(tokens, 0)
    }

    static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
