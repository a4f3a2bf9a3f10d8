import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import Synchronization

/// Counts hits per path so a route can answer differently on each attempt.
final class HitCounter: Sendable {
    private let counts = Mutex([String: Int]())
    /// Records a hit and returns its number (1 for the first).
    func hit(_ key: String) -> Int {
        counts.withLock {
            $0[key, default: 0] += 1
            return $0[key]!
        }
    }
    func count(_ key: String) -> Int { counts.withLock { $0[key, default: 0] } }
}

/// Runs `router` on 127.0.0.1 with an OS-assigned port for the duration of `body`, then shuts it down, whether
/// `body` returns or throws.
func withTestServer<R: Sendable>(
    _ router: Router<BasicRequestContext>,
    _ body: @Sendable (_ baseURL: String, _ client: HTTPClient) async throws -> R
) async throws -> R {
    let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(
        router: router,
        configuration: .init(address: .hostname("127.0.0.1", port: 0)),
        onServerRunning: { channel in
            portContinuation.yield(channel.localAddress?.port ?? 0)
            portContinuation.finish()
        },
        logger: Logger(label: "test-server")
    )
    return try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask {
            try await app.run()
            return nil
        }
        var ports = portStream.makeAsyncIterator()
        guard let port = await ports.next() else { throw CancellationError() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let result: Result<R, any Error>
        do {
            result = .success(try await body("http://127.0.0.1:\(port)", client))
        } catch {
            result = .failure(error)
        }
        try await client.shutdown()
        group.cancelAll()
        return try result.get()
    }
}
