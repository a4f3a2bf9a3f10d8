extension [KankaEmulator.ThrottleWindow] {
    /// The request rate as a fraction of the limit between the opening of window `from` and that of the last
    /// window: the requests counted in those windows (the last one excluded, as a run rarely fills it) against
    /// `limit` per `window` over that time. Idle time between windows lowers the figure.
    public func rate(limit: Int, window: Duration, from start: Int = 0) -> Double? {
        guard count >= start + 2, let last else { return nil }
        let span = last.start - self[start].start
        let spanSeconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        let windowSeconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let counted = self[start..<(count - 1)].reduce(0) { $0 + $1.counted }
        guard spanSeconds > 0 else { return nil }
        return Double(counted) / (spanSeconds * Double(limit) / windowSeconds)
    }

    /// The steady-state rate: from the second window on when there are at least four (the first one also holds
    /// connection set-up and the start of every transfer), else from the first.
    public func sustainedRate(limit: Int, window: Duration) -> Double? {
        rate(limit: limit, window: window, from: count >= 4 ? 1 : 0)
    }

    /// The rate over the windows the client used up (all `limit` requests counted) and that a next window
    /// followed: `limit` per window against the time to the next window's opening. This is the pacer's own
    /// quality — how soon it starts again once a window rolls — apart from stretches where the client was slow
    /// for other reasons (a loaded machine). Also returns how many windows it measured.
    public func limitBoundRate(limit: Int, window: Duration) -> (rate: Double, windows: Int)? {
        var counted = 0
        var span: Duration = .zero
        var measured = 0
        for index in indices.dropLast() where self[index].counted >= limit {
            counted += self[index].counted
            span += self[index + 1].start - self[index].start
            measured += 1
        }
        let spanSeconds = Double(span.components.seconds) + Double(span.components.attoseconds) / 1e18
        let windowSeconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        guard measured > 0, spanSeconds > 0 else { return nil }
        return (Double(counted) / (spanSeconds * Double(limit) / windowSeconds), measured)
    }

    /// The most 429s any one window answered.
    public var maxThrottledPerWindow: Int { map(\.throttled).max() ?? 0 }
}
