/// Tells whoever shows progress that requests are being held back by a rate limit, and for how long.
///
/// The engine binds ``observer`` around a run; the admission policies and the HTTP lifecycle of every backend
/// report through it while they wait, in slices of at most ``reportInterval``, so a live display can count the
/// wait down without a timer of its own. Task-local: the transfer tasks of a run inherit it, nothing else sees it.
public enum RateLimitWait {
    /// Receives the time left of a wait that is going on now.
    public typealias Observer = @Sendable (_ remaining: Duration) -> Void

    @TaskLocal public static var observer: Observer?

    /// The longest sleep between two reports of the same wait.
    public static let reportInterval: Duration = .seconds(1)

    /// Reports that the current task waits `remaining` more for a rate limit.
    public static func report(_ remaining: Duration) {
        guard remaining > .zero else { return }
        observer?(remaining)
    }

    /// Sleeps `duration` on `sleep`, reporting the time left before each slice of at most ``reportInterval``;
    /// in one sleep when nobody observes.
    public static func sleep(
        _ duration: Duration, _ sleep: (Duration) async throws -> Void
    ) async throws {
        guard observer != nil else { return try await sleep(duration) }
        var left = duration
        while left > .zero {
            report(left)
            let slice = min(left, reportInterval)
            try await sleep(slice)
            left -= slice
        }
    }
}
