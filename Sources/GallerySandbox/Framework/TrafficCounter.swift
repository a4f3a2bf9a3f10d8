import HTTPTypes
public import Hummingbird
import NIOCore
import Synchronization

/// Bytes of request and response bodies an emulator exchanged on its platform routes (admin routes aside): what a
/// client really sent and received, so a test can compare a resumed run's traffic with the bytes still missing.
public final class TrafficCounter: Sendable {
    private let received = Atomic<Int>(0)
    private let sent = Atomic<Int>(0)

    public init() {}

    /// Request body bytes read so far.
    public var requestBytes: Int { received.load(ordering: .relaxed) }
    /// Response body bytes written so far (a cut body counts what left before the cut).
    public var responseBytes: Int { sent.load(ordering: .relaxed) }

    func countReceived(_ count: Int) { received.add(count, ordering: .relaxed) }
    func countSent(_ count: Int) { sent.add(count, ordering: .relaxed) }
}

/// Counts body bytes into a ``TrafficCounter``. Outermost in the frame, so it sees what the fault injector let
/// through: a drained upload counts, the half of a cut answer that never left does not.
struct TrafficCountingMiddleware<Context: RequestContext>: RouterMiddleware {
    let counter: TrafficCounter

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path.hasPrefix("/__sandbox/") { return try await next(request, context) }
        let counter = self.counter
        var request = request
        request.body = RequestBody(
            asyncSequence: request.body.map { buffer in
                counter.countReceived(buffer.readableBytes)
                return buffer
            })
        var response = try await next(request, context)
        let body = response.body
        response.body = ResponseBody(contentLength: body.contentLength) { writer in
            try await body.write(CountingWriter(parent: writer, counter: counter))
        }
        return response
    }
}

private struct CountingWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    let counter: TrafficCounter

    mutating func write(_ buffer: ByteBuffer) async throws {
        try await parent.write(buffer)
        counter.countSent(buffer.readableBytes)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        try await parent.finish(trailingHeaders)
    }
}
