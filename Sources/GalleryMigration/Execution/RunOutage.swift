import GalleryCore
import Synchronization

/// Stops a run whose remote stopped working, so the steps not yet started are left for the next run instead of
/// each spending its whole retry budget (minutes, not seconds, for a dead server). It trips when
/// - a step fails with a transport error that is not retryable: the last sends of one request got no answer at
///   all (see GalleryHTTP's lifecycle), the remote is unreachable;
/// - ``serverFailureStreak`` steps in a row gave up on a server error (5xx) after all their retries, with no step
///   succeeding in between: the remote answers, but fails everything.
///
/// The steps never started stay pending (or in intent) in the journal, and the next run resumes them.
final class RunOutage: Sendable {
    /// Steps in a row that gave up on a 5xx before the run stops.
    static let serverFailureStreak = 5

    private struct State {
        var cause: GalleryError?
        var reason = "stopped answering"
        var serverFailuresInARow = 0
    }

    private let state = Mutex(State())

    /// Whether the run stopped starting steps.
    var isTripped: Bool { state.withLock { $0.cause != nil } }

    /// Records a failed attempt; returns whether it says the remote is unreachable (and the run stops).
    @discardableResult
    func note(_ failure: GalleryError) -> Bool {
        guard failure.code == .transport, !failure.isRetryable else { return false }
        state.withLock { if $0.cause == nil { $0.cause = failure } }
        return true
    }

    /// Records a step that gave up after its retries.
    func gaveUp(_ failure: GalleryError) {
        state.withLock { state in
            guard let status = failure.httpStatus, status >= 500 else { return }
            state.serverFailuresInARow += 1
            if state.serverFailuresInARow >= Self.serverFailureStreak, state.cause == nil {
                state.cause = failure
                state.reason = "failed \(state.serverFailuresInARow) steps in a row with server errors (HTTP \(status))"
            }
        }
    }

    /// Records a step that succeeded: the remote works.
    func succeeded() {
        state.withLock { $0.serverFailuresInARow = 0 }
    }

    /// One failure for the steps that were not started, so the report lists what is left.
    func recordLeft(_ left: Int, what: String, ledger: RunLedger) {
        guard left > 0, let (failure, reason) = state.withLock({ state in state.cause.map { ($0, state.reason) } })
        else { return }
        let remote = failure.backend ?? "the remote"
        let error = GalleryError(
            failure.code,
            "Stopped with \(left) \(what) left: \(failure.backend ?? "a remote") \(reason)",
            backend: failure.backend,
            hint: "Check that \(remote) is reachable and working, then run the same command again; it resumes "
                + "with what is left.",
            isRetryable: true
        )
        ledger.fail(StepKey(.upload, gallery: GalleryID("-")), title: "(run)", item: nil, error: error)
    }
}
