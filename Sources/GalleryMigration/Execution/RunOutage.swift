import GalleryCore
import Synchronization

/// Stops a run whose remote stopped answering: once a step fails with a transport error that is not retryable
/// (every send of one request went unanswered, see GalleryHTTP's lifecycle), no further step starts. The steps
/// never started stay pending (or in intent) in the journal, and the next run resumes them.
///
/// Without it, a dead server would cost every remaining item its whole retry budget: minutes, not seconds.
final class RunOutage: Sendable {
    private let cause = Mutex<GalleryError?>(nil)

    /// Whether the run stopped starting steps.
    var isTripped: Bool { cause.withLock { $0 != nil } }

    /// Records `failure` when it says the remote is unreachable; returns whether the run stops.
    @discardableResult
    func note(_ failure: GalleryError) -> Bool {
        guard failure.code == .transport, !failure.isRetryable else { return false }
        cause.withLock { if $0 == nil { $0 = failure } }
        return true
    }

    /// One failure for the steps that were not started, so the report lists what is left.
    func recordLeft(_ left: Int, what: String, ledger: RunLedger) {
        guard left > 0, let failure = cause.withLock({ $0 }) else { return }
        let error = GalleryError(
            .transport,
            "Stopped with \(left) \(what) left: \(failure.backend ?? "a remote") stopped answering",
            backend: failure.backend,
            hint: "Check that \(failure.backend ?? "the remote") is reachable, then run the same command again; "
                + "it resumes with what is left.",
            isRetryable: true
        )
        ledger.fail(StepKey(.upload, gallery: GalleryID("-")), title: "(run)", item: nil, error: error)
    }
}
