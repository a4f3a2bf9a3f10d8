public import AsyncHTTPClient
import Foundation
import GalleryCore
public import Logging
import NIOCore
import NIOHTTP1

/// The one way GalleryHub backends talk HTTP: a shared `HTTPClient` plus one remote's policy (base URL, timeouts,
/// retries with backoff, 429 handling, pacing, redaction, typed errors).
///
/// Retries: a request is retried on 429 when its body can be sent again, and on transport errors and 5xx when it
/// is also idempotent. Waits come from `Retry-After`, else the ``Configuration/rateLimitParser``, else exponential
/// backoff with jitter; all time comes from the injected clock.
public struct RemoteHTTPClient: Sendable {
    public let configuration: Configuration
    public var logger: Logger
    /// Masks credentials in logs and errors; add the remote's password or token to it.
    public var redactor: Redactor
    let httpClient: HTTPClient
    let pacer: Pacer?
    let clock: ErasedClock

    /// - Parameters:
    ///   - httpClient: The process's one `HTTPClient`; its owner shuts it down.
    ///   - pacer: Spaces requests to this remote; share one per remote.
    ///   - clock: Time for backoff sleeps; tests pass a manual clock so they never sleep.
    public init<C: Clock>(
        httpClient: HTTPClient,
        configuration: Configuration,
        logger: Logger,
        redactor: Redactor = Redactor(),
        pacer: Pacer? = nil,
        clock: C
    ) where C.Duration == Duration {
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
        self.redactor = redactor
        self.pacer = pacer
        self.clock = ErasedClock(clock)
    }

    public init(
        httpClient: HTTPClient,
        configuration: Configuration,
        logger: Logger,
        redactor: Redactor = Redactor(),
        pacer: Pacer? = nil
    ) {
        self.init(
            httpClient: httpClient,
            configuration: configuration,
            logger: logger,
            redactor: redactor,
            pacer: pacer,
            clock: ContinuousClock()
        )
    }

    /// Sends a request and returns a 2xx answer with its body still streaming (downloads).
    /// - Throws: ``GalleryError`` for any other status (after retries) and for transport failures.
    public func send(_ request: RemoteRequest, timeout: Duration? = nil) async throws -> RemoteResponse {
        let deadline = timeout ?? configuration.transferTimeout
        return try await withRetries(request, timeout: deadline) { response in
            RemoteResponse(
                status: Int(response.status.code), headers: Self.headers(response.headers),
                body: streamedBody(response, endpoint: request.endpoint))
        }
    }

    /// Sends a request and reads the whole 2xx answer (bounded by ``Configuration/maxJSONBytes``). A cut in the
    /// middle of the body counts as a transport failure and is retried like one.
    public func data(_ request: RemoteRequest) async throws -> (
        status: Int, headers: [(name: String, value: String)], body: [UInt8]
    ) {
        try await withRetries(request, timeout: configuration.requestTimeout) { response in
            let body = try await collect(response.body, limit: configuration.maxJSONBytes, endpoint: request.endpoint)
            return (Int(response.status.code), Self.headers(response.headers), body)
        }
    }

    /// The URL a request goes to, unredacted (it is built from configuration, never logged as is).
    public func url(for request: RemoteRequest) -> String {
        let base = request.absoluteURL ?? (configuration.baseURL + request.path)
        guard !request.query.isEmpty, var components = URLComponents(string: base) else { return base }
        components.queryItems =
            (components.queryItems ?? []) + request.query.map { URLQueryItem(name: $0.name, value: $0.value) }
        return components.string ?? base
    }

    // MARK: - Retry loop

    private enum Failure: Error {
        case status(Int, HTTPHeaders, [UInt8])
        case transport(any Error)
    }

    private func withRetries<R: Sendable>(
        _ request: RemoteRequest,
        timeout: Duration,
        onSuccess: (HTTPClientResponse) async throws -> R
    ) async throws -> R {
        let policy = configuration.retry
        var attempt = 1
        while true {
            if Task.isCancelled {
                throw GalleryError(.cancelled, "Cancelled before \(request.endpoint)", backend: configuration.backend)
            }
            if let pacer { try await pacer.acquire() }
            let started = clock.elapsed()
            let failure: Failure
            do {
                let response = try await httpClient.execute(
                    try makeRequest(request), deadline: .now() + .nanoseconds(Self.nanoseconds(timeout)), logger: logger
                )
                let status = Int(response.status.code)
                log(request, attempt: attempt, status: status, started: started)
                if (200..<300).contains(status) {
                    do {
                        return try await onSuccess(response)
                    } catch let error as GalleryError where error.code == .transport {
                        failure = .transport(error)
                    }
                } else {
                    let excerpt =
                        (try? await collect(response.body, limit: 64 * 1024, endpoint: request.endpoint)) ?? []
                    failure = .status(status, response.headers, excerpt)
                }
            } catch let error as GalleryError {
                throw error
            } catch is CancellationError {
                throw GalleryError(.cancelled, "Cancelled during \(request.endpoint)", backend: configuration.backend)
            } catch {
                log(request, attempt: attempt, status: nil, started: started, error: error)
                failure = .transport(error)
            }

            let canRepeat = attempt < policy.maxAttempts && request.body.isReplayable
            switch failure {
            case .status(let status, let headers, let body):
                let headerList = Self.headers(headers)
                var wait = RetryAfter.parse(headers.first(name: "retry-after"))
                if status == 429, wait == nil, let parser = configuration.rateLimitParser {
                    wait = parser(RateLimitedAnswer(headers: headerList, body: body))
                }
                let error = GalleryError.http(
                    status: status, endpoint: request.endpoint, backend: configuration.backend,
                    serverMessage: BodyExcerpt.serverMessage(body, redactor: redactor), retryAfter: wait)
                let retryable = status == 429 || ((500...599).contains(status) && request.isIdempotent)
                guard canRepeat, retryable else { throw error }
                if let wait, wait > policy.maxRetryAfter { throw error }
                let delay = wait ?? policy.backoff(retry: attempt)
                if status == 429, let pacer {
                    // Everyone sharing the remote waits, not only this request; the pacer sleeps for us.
                    await pacer.pause(for: delay)
                } else {
                    try await sleep(delay, before: request)
                }
            case .transport(let underlying):
                let error = transportError(underlying, endpoint: request.endpoint)
                guard canRepeat, request.isIdempotent else { throw error }
                try await sleep(policy.backoff(retry: attempt), before: request)
            }
            attempt += 1
        }
    }

    private func sleep(_ delay: Duration, before request: RemoteRequest) async throws {
        logger.debug("retrying after backoff", metadata: ["endpoint": "\(request.endpoint)", "delay": "\(delay)"])
        do {
            try await clock.sleep(delay)
        } catch {
            throw GalleryError(
                .cancelled, "Cancelled while waiting to retry \(request.endpoint)", backend: configuration.backend)
        }
    }

    func transportError(_ error: any Error, endpoint: String) -> GalleryError {
        if let error = error as? GalleryError { return error }
        return GalleryError(
            .transport,
            "\(endpoint) failed before an answer arrived: \(redactor.text(String(describing: error)))",
            backend: configuration.backend,
            hint: "Check that \(configuration.backend) is reachable; the request is retried when that is safe."
        )
    }

    // MARK: - Building and reading

    private func makeRequest(_ request: RemoteRequest) throws -> HTTPClientRequest {
        var out = HTTPClientRequest(url: url(for: request))
        out.method = HTTPMethod(rawValue: request.method)
        for header in configuration.defaultHeaders { out.headers.replaceOrAdd(name: header.name, value: header.value) }
        for header in request.headers { out.headers.replaceOrAdd(name: header.name, value: header.value) }
        switch request.body {
        case .none:
            break
        case .bytes(let bytes, let contentType):
            out.headers.replaceOrAdd(name: "Content-Type", value: contentType)
            out.body = .bytes(ByteBuffer(bytes: bytes))
        case .stream(let stream, let contentType, _):
            out.headers.replaceOrAdd(name: "Content-Type", value: contentType)
            let length: HTTPClientRequest.Body.Length = stream.byteCount.map { .known($0) } ?? .unknown
            out.body = .stream(stream.map { ByteBuffer(bytes: $0) }, length: length)
        }
        return out
    }

    private func collect(_ body: HTTPClientResponse.Body, limit: Int, endpoint: String) async throws -> [UInt8] {
        var result: [UInt8] = []
        do {
            for try await buffer in body {
                guard result.count + buffer.readableBytes <= limit else {
                    throw GalleryError.corruptResponse(
                        endpoint: endpoint, backend: configuration.backend,
                        reason: "the answer is larger than \(limit) bytes",
                        excerpt: BodyExcerpt.make(result, redactor: redactor))
                }
                result.append(contentsOf: buffer.readableBytesView)
            }
        } catch let error as GalleryError {
            throw error
        } catch {
            throw transportError(error, endpoint: endpoint)
        }
        return result
    }

    private func streamedBody(_ response: HTTPClientResponse, endpoint: String) -> ByteStream {
        let length = response.headers.first(name: "content-length").flatMap { Int64($0) }
        let client = self
        return ByteStream(byteCount: length) {
            var iterator = response.body.makeAsyncIterator()
            return ByteStream.AsyncIterator {
                do {
                    return try await iterator.next().map { Array($0.readableBytesView) }
                } catch {
                    throw client.transportError(error, endpoint: endpoint)
                }
            }
        }
    }

    private func log(_ request: RemoteRequest, attempt: Int, status: Int?, started: Duration, error: (any Error)? = nil)
    {
        var metadata: Logger.Metadata = [
            "backend": "\(configuration.backend)",
            "method": "\(request.method)",
            "url": "\(redactor.url(url(for: request)))",
            "attempt": "\(attempt)",
            "elapsed": "\(clock.elapsed() - started)",
        ]
        if let status { metadata["status"] = "\(status)" }
        if let error { metadata["error"] = "\(redactor.text(String(describing: error)))" }
        logger.debug("http", metadata: metadata)
    }

    static func headers(_ headers: HTTPHeaders) -> [(name: String, value: String)] {
        headers.map { (name: $0.name.lowercased(), value: $0.value) }
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let parts = duration.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
