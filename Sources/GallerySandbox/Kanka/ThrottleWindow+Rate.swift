extension [KankaEmulator.ThrottleWindow] {
    /// The sustained request rate as a fraction of the limit: requests counted before the last window opened,
    /// over the time from the first window's opening to the last one's, against `limit` per `window`. The last
    /// window is left out because a run rarely fills it; idle time between windows lowers the figure.
    public func sustainedRate(limit: Int, window: Duration) -> Double? {
        guard count >= 2, let first, let last else { return nil }
        let span = Double((last.start - first.start).components.seconds)
            + Double((last.start - first.start).components.attoseconds) / 1e18
        let windowSeconds = Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
        let counted = dropLast().reduce(0) { $0 + $1.counted }
        guard span > 0 else { return nil }
        return Double(counted) / (span * Double(limit) / windowSeconds)
    }

    /// The most 429s any one window answered.
    public var maxThrottledPerWindow: Int { map(\.throttled).max() ?? 0 }
}
