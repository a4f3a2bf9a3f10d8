/// A `Clock` with `Duration` steps, reduced to what pacing and backoff need: elapsed time and sleeping.
///
/// Keeps ``RemoteHTTPClient`` and ``Pacer`` non-generic while still taking any clock (a continuous clock in
/// production, a manual one in tests), and adapters that wait on their own (Kanka's upload queue).
public struct ErasedClock: Sendable {
    /// Time elapsed since the clock was erased.
    public let elapsed: @Sendable () -> Duration
    public let sleep: @Sendable (Duration) async throws -> Void

    public init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
        sleep = { duration in
            guard duration > .zero else { return }
            try await clock.sleep(for: duration)
        }
    }
}
