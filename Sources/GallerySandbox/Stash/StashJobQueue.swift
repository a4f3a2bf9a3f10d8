import Foundation

/// Stash's job manager (Docs/stash.md, "Scan jobs"): one job at a time in FIFO order, ids counting from 1, statuses
/// READY → RUNNING → FINISHED (or CANCELLED after `stopJob`), and a graveyard of the last ten finished jobs that
/// `findJob` still answers for.
final class StashJobQueue: @unchecked Sendable {
    private let lock = NSLock()
    private var tail: Task<Void, Never>?
    let store: StashStore
    let scanner: StashScanner
    let delay: Duration

    init(store: StashStore, scanner: StashScanner, delay: Duration) {
        self.store = store
        self.scanner = scanner
        self.delay = delay
    }

    /// Queues a scan of `paths` (all libraries when empty) and returns its job id.
    func enqueueScan(paths: [String], rescan: Bool) -> Int {
        let now = Date()
        let job = store.write { state -> StashJob in
            let job = StashJob(
                id: state.makeID("job"), description: "Scanning...", addTime: now, paths: paths, rescan: rescan)
            state.jobs.append(job)
            return job
        }
        let delay = self.delay
        lock.withLock {
            let previous = tail
            tail = Task.detached { [self] in
                await previous?.value
                if delay > .zero { try? await Task.sleep(for: delay) }
                guard start(job.id) else { return }
                scanner.run(job)
                finish(job.id)
            }
        }
        return job.id
    }

    /// Waits until every queued job has finished (tests and benchmarks).
    func drain() async {
        let last = lock.withLock { tail }
        await last?.value
    }

    /// Stops a job: a waiting one is cancelled at once, a running one when its walk ends.
    func stop(_ id: Int) -> Bool {
        store.write { state in
            guard let at = state.jobs.firstIndex(where: { $0.id == id }) else { return false }
            if state.jobs[at].status == .ready {
                state.jobs[at].status = .cancelled
                state.jobs[at].endTime = Date()
                Self.bury(at, in: &state)
            } else {
                state.jobs[at].status = .stopping
            }
            return true
        }
    }

    private func start(_ id: Int) -> Bool {
        store.write { state in
            guard let at = state.jobs.firstIndex(where: { $0.id == id }), state.jobs[at].status == .ready else {
                return false
            }
            state.jobs[at].status = .running
            state.jobs[at].startTime = Date()
            state.jobs[at].progress = 0
            return true
        }
    }

    private func finish(_ id: Int) {
        store.write { state in
            guard let at = state.jobs.firstIndex(where: { $0.id == id }) else { return }
            state.jobs[at].status = state.jobs[at].status == .stopping ? .cancelled : .finished
            state.jobs[at].endTime = Date()
            state.jobs[at].progress = 1
            state.scansFinished += 1
            Self.bury(at, in: &state)
        }
    }

    /// Moves a finished job to the graveyard, which keeps the last ten; its sub-tasks are cleared.
    private static func bury(_ at: Int, in state: inout StashState) {
        var job = state.jobs.remove(at: at)
        job.subTasks = []
        state.graveyard.append(job)
        if state.graveyard.count > 10 { state.graveyard.removeFirst(state.graveyard.count - 10) }
    }
}
