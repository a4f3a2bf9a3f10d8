import Dispatch
import Foundation

/// Runs `body`, cancelling it on the first SIGINT or SIGTERM: the engine finishes or abandons the transfers
/// in flight, every journal change being already committed, and `body` throws `cancelled`. A second signal
/// ends the process at once (exit 130); the journal is consistent after every transaction, so even that
/// resumes cleanly.
func withSignalCancellation<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let (signals, continuation) = AsyncStream<Int32>.makeStream()
    let sources = [SIGINT, SIGTERM].map { number -> any DispatchSourceSignal in
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
        source.setEventHandler { continuation.yield(number) }
        source.resume()
        return source
    }
    defer {
        for source in sources { source.cancel() }
        continuation.finish()
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }

    return try await withThrowingTaskGroup(of: SignalOutcome<T>.self) { group in
        group.addTask { .finished(try await body()) }
        group.addTask {
            // `next()` returns nil when the group is cancelled because the body finished.
            var iterator = signals.makeAsyncIterator()
            return await iterator.next() == nil ? .quiet : .signalled
        }
        while let outcome = try await group.next() {
            switch outcome {
            case .finished(let value):
                group.cancelAll()
                return value
            case .signalled:
                StandardStreams.writeError(
                    ("\nStopping: finishing transfers in flight; press Ctrl-C again to quit now.\n".utf8))
                group.cancelAll()
                group.addTask {
                    var iterator = signals.makeAsyncIterator()
                    if await iterator.next() != nil { exit(130) }
                    return .quiet
                }
            case .quiet:
                continue
            }
        }
        throw CancellationError()
    }
}

/// What a child of ``withSignalCancellation(_:)`` ended with.
private enum SignalOutcome<T: Sendable>: Sendable {
    case finished(T)
    case signalled
    case quiet
}
