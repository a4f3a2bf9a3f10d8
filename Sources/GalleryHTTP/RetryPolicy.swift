/// When and how long to wait before trying a request again.
///
/// Exponential backoff with jitter: attempt *n* (1-based, counting retries) waits
/// `min(maxDelay, baseDelay × 2^(n-1))` scaled by a jitter fraction in `minimumJitter...1`, so clients that failed
/// together do not retry together.
public struct RetryPolicy: Sendable {
    /// Sends of one request that failed (5xx, transport, malformed answer), the first included; 1 disables
    /// retries. The CLI's `--low-level-retries`.
    public var maxAttempts: Int
    /// Sends of a login or a refresh (``RemoteRequest/obtainsCredentials``) that failed with an answer (a 5xx, a
    /// cut or malformed body). Every other request waits on them, and doing them twice is harmless, so they get a
    /// whole item's worth of sends (4 × `maxAttempts` by default), at most ``credentialMaxDelay`` apart. Sends that
    /// get no answer at all still stop at `maxAttempts`: the server is gone.
    public var credentialAttempts: Int
    /// The longest wait between two sends of a login or refresh.
    public var credentialMaxDelay: Duration
    /// Throttled answers (429) one request may get before it fails as `rateLimited`; each is followed by the
    /// admission policy's wait.
    public var maxThrottles: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// The longest `Retry-After` we honour by waiting; a longer one fails at once as `rateLimited`, so the caller
    /// (the engine) can decide.
    public var maxRetryAfter: Duration
    /// Returns a fraction in `0...1` that scales each backoff delay; injected so tests are deterministic.
    public var jitter: @Sendable () -> Double

    public init(
        maxAttempts: Int = 3,
        baseDelay: Duration = .milliseconds(500),
        maxDelay: Duration = .seconds(30),
        maxRetryAfter: Duration = .seconds(120),
        maxThrottles: Int = 8,
        credentialAttempts: Int? = nil,
        credentialMaxDelay: Duration = .seconds(4),
        jitter: @escaping @Sendable () -> Double = { Double.random(in: 0.5...1) }
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.maxThrottles = max(1, maxThrottles)
        self.credentialAttempts = max(self.maxAttempts, credentialAttempts ?? 4 * self.maxAttempts)
        self.credentialMaxDelay = credentialMaxDelay
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// No retries at all.
    public static let none = RetryPolicy(maxAttempts: 1, maxThrottles: 1, credentialAttempts: 1)

    /// The delay before retry number `retry` (1 for the first retry).
    public func backoff(retry: Int) -> Duration {
        let exponent = min(max(retry - 1, 0), 30)
        let raw = baseDelay * (1 << exponent)
        let capped = raw > maxDelay ? maxDelay : raw
        let fraction = min(max(jitter(), 0), 1)
        return capped * fraction
    }
}
