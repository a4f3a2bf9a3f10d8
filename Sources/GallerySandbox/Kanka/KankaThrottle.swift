/// Laravel's `RateLimiter` as Kanka uses it: per user, a fixed window that opens at the first counted request;
/// the first `limit` requests pass, later ones are refused until the window expires, and refused requests do not
/// extend it. Pure: time comes in as an argument.
struct KankaThrottle: Sendable {
    var limit: Int
    var window: Duration
    private var windows: [Int: (start: Duration, hits: Int)] = [:]
    /// Every window each user opened, with what it counted and refused: how tests and the bench measure pacing.
    private(set) var history: [Int: [KankaEmulator.ThrottleWindow]] = [:]

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window
    }

    /// Counts one request of `user` at `now`; returns the remaining budget, or `nil` when it must get a 429.
    mutating func hit(user: Int, now: Duration) -> Int? {
        var current = windows[user] ?? (now, 0)
        if windows[user] == nil || now >= current.start + window {
            current = (now, 0)
            history[user, default: []].append(KankaEmulator.ThrottleWindow(start: now, counted: 0, throttled: 0))
        }
        let last = history[user, default: []].count - 1
        guard current.hits < limit else {
            windows[user] = current
            history[user]?[last].throttled += 1
            return nil
        }
        current.hits += 1
        windows[user] = current
        history[user]?[last].counted += 1
        return limit - current.hits
    }
}
