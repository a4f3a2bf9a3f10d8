import HTTPTypes
public import Hummingbird
import NIOCore

/// Injects the faults an emulator's ``FaultInjector`` decides on: latency, the platform's 429 and 5xx, bodies cut
/// mid-way, malformed JSON. Admin routes (`/__sandbox/…`) are never faulted.
public struct FaultInjectionMiddleware<Context: RequestContext>: RouterMiddleware {
    let injector: FaultInjector
    let emulator: any Emulator

    public init(injector: FaultInjector, emulator: any Emulator) {
        self.injector = injector
        self.emulator = emulator
    }

    public func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.uri.path.hasPrefix("/__sandbox/") { return try await next(request, context) }
        let decision = injector.decide(path: request.uri.path)
        if decision.latencyMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(decision.latencyMilliseconds))
        }
        if let fault = decision.replaceWith {
            // Drain the request body so the client sees an answer, not a reset, while it is still sending.
            for try await _ in request.body {}
            return emulator.faultResponse(fault)
        }
        var response = try await next(request, context)
        if decision.cutBody {
            let length = response.body.contentLength
            response.body = Self.cut(response.body, after: max(1, (length ?? 2) / 2), declaredLength: length)
        } else if decision.malformJSON {
            response = try await Self.malformed(response)
        }
        return response
    }

    /// A body that stops after `limit` bytes and then fails, which closes the connection mid-body.
    static func cut(_ body: ResponseBody, after limit: Int, declaredLength: Int?) -> ResponseBody {
        ResponseBody(contentLength: declaredLength) { writer in
            let cutter = CuttingWriter(parent: writer, remaining: limit)
            try await body.write(cutter)
        }
    }

    /// The same answer with its body cut in half and no length: JSON no longer parses, a file is short.
    static func malformed(_ response: Response) async throws -> Response {
        let box = BufferBox()
        try await response.body.write(CollectingWriter(box: box))
        var buffer = box.buffer
        let keep = max(1, buffer.readableBytes / 2)
        let truncated = buffer.readSlice(length: min(keep, buffer.readableBytes)) ?? ByteBuffer()
        var headers = response.headers
        headers[.contentLength] = nil
        return Response(status: response.status, headers: headers, body: .init(byteBuffer: truncated))
    }
}

/// The error that ends a deliberately cut body.
struct InjectedCut: Error {}

private struct CuttingWriter: ResponseBodyWriter {
    var parent: any ResponseBodyWriter
    var remaining: Int

    mutating func write(_ buffer: ByteBuffer) async throws {
        if buffer.readableBytes <= remaining {
            remaining -= buffer.readableBytes
            try await parent.write(buffer)
            return
        }
        var buffer = buffer
        if remaining > 0, let head = buffer.readSlice(length: remaining) {
            try await parent.write(head)
        }
        remaining = 0
        throw InjectedCut()
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {
        // A body shorter than the limit was not cut; end it normally.
        try await parent.finish(trailingHeaders)
    }
}

private final class BufferBox: @unchecked Sendable {
    // Used by one task only: the middleware writes the body into it and reads it back before returning.
    var buffer = ByteBuffer()
}

private struct CollectingWriter: ResponseBodyWriter {
    let box: BufferBox
    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        box.buffer.writeBuffer(&buffer)
    }
    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
