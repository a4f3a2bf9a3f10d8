import Synchronization

/// Counts one item's bytes towards progress once, however many attempts read them: an attempt reports only
/// the bytes beyond what earlier attempts already reported, so a retried item never pushes the total past its
/// size.
final class ItemByteCounter: Sendable {
    private struct State {
        var reported: Int64 = 0
        var read: Int64 = 0
    }
    private let state = Mutex(State())

    /// A new attempt reads the item from its start.
    func beginAttempt() { state.withLock { $0.read = 0 } }

    /// Records `count` more bytes read by the current attempt and returns how many are new to progress.
    func add(_ count: Int) -> Int {
        state.withLock {
            $0.read += Int64(count)
            let new = max(0, $0.read - $0.reported)
            $0.reported += new
            return Int(new)
        }
    }
}
