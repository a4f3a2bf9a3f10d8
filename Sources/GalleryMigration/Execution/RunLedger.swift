import GalleryCore
import Synchronization

/// The run's shared tallies: counts, failures and the destination ids made so far. Transfer tasks write it
/// concurrently, so it lives behind one `Mutex`.
final class RunLedger: Sendable {
    private struct State {
        var summary = RunSummary()
        var failures: [RunFailure] = []
        var galleries: [GalleryID: GalleryID] = [:]
        var createdHere: Set<GalleryID> = []
        var items: [ItemRef: ItemID] = [:]
        var actions: [RunAction] = []
    }

    private let state = Mutex(State())
    /// Set when a remote stopped answering: no further step starts.
    let outage = RunOutage()

    init(losses: Int) {
        state.withLock { $0.summary.losses = losses }
    }

    func count(_ update: (inout RunSummary) -> Void) {
        state.withLock { update(&$0.summary) }
    }

    func fail(_ step: StepKey, title: String, item: String?, error: GalleryError) {
        state.withLock {
            $0.failures.append(RunFailure(step: step.kind, gallery: title, item: item, error: error))
            $0.summary.failures += 1
        }
    }

    func mapGallery(_ source: GalleryID, to destination: GalleryID) {
        state.withLock { $0.galleries[source] = destination }
    }

    /// Notes that this run's own `createGallery` made the destination gallery of `source` (not a journal replay).
    func noteCreatedHere(_ source: GalleryID) {
        state.withLock { _ = $0.createdHere.insert(source) }
    }

    /// Whether this run's own `createGallery` made the destination gallery of `source`: then it holds only what
    /// this run added.
    func wasCreatedHere(_ source: GalleryID) -> Bool {
        state.withLock { $0.createdHere.contains(source) }
    }

    func destinationGallery(_ source: GalleryID) -> GalleryID? {
        state.withLock { $0.galleries[source] }
    }

    func mapItem(_ source: ItemRef, to destination: ItemID) {
        state.withLock { $0.items[source] = destination }
    }

    func destinationItem(_ source: ItemRef) -> ItemID? {
        state.withLock { $0.items[source] }
    }

    func record(_ action: RunAction) {
        state.withLock { $0.actions.append(action) }
    }

    /// The item actions in a stable order (transfers finish in any order): by gallery title, id, file name.
    var actions: [RunAction] {
        state.withLock { $0.actions }.sorted {
            ($0.gallery.title, $0.gallery.id, $0.filename, $0.item)
                < ($1.gallery.title, $1.gallery.id, $1.filename, $1.item)
        }
    }

    var summary: RunSummary { state.withLock { $0.summary } }
    var failures: [RunFailure] { state.withLock { $0.failures } }
}
