public import AsyncHTTPClient
public import Foundation
import GalleryCore
public import Logging
import NIOCore
import NIOHTTP1

/// The one way GalleryHub backends talk HTTP: a shared `HTTPClient` plus one remote's request lifecycle.
///
/// Every request to the API runs the same steps, each a pluggable part:
/// 1. the ``RequestAuthorizer`` adds credentials (logging in first when needed);
/// 2. the ``AdmissionPolicy`` grants a slot under the remote's rate limit;
/// 3. the request is sent and its answer read (the whole body for JSON, the head for a download);
/// 4. the ``ResponseClassifier`` says what the answer means, and the loop acts on it: success is returned
///    (a JSON answer decoded); `unauthorized` renews once per credential generation and sends again;
///    `throttled` tells the admission policy, waits what it says and sends again; `retryable`, a transport
///    failure or a malformed answer back off and send again when the request is idempotent; `fatal` throws.
///
/// A request is sent at most ``RetryPolicy/maxAttempts`` times (the `--low-level-retries` budget), a login or
/// refresh ``RetryPolicy/credentialAttempts`` times; a renewal after a 401 does not count, and 429s have their own
/// bound (``RetryPolicy/maxThrottles``). An idempotent request whose last `maxAttempts` sends got no answer at all
/// (not even a status line) fails as a transport error that is *not* retryable: the remote is unreachable, and
/// the engine stops instead of multiplying waits. A body that cannot be read twice is never sent twice: its request fails with a
/// retryable error for the caller to repeat with fresh bytes. Requests with an ``RemoteRequest/absoluteURL``
/// go to a file origin (a CDN, a presigned upload URL): they carry no credentials and bypass admission.
/// All waiting uses the injected clock.
public struct RemoteHTTPClient: Sendable {
    public let configuration: Configuration
    public var logger: Logger
    /// Masks credentials in logs and errors; add the remote's password or token to it.
    public var redactor: Redactor
    public let authorizer: any RequestAuthorizer
    public let admission: any AdmissionPolicy
    public let classifier: any ResponseClassifier
    /// Counts what this remote's requests cost; shared by every copy of the client.
    public let meter: RequestMeter
    let httpClient: HTTPClient
    let clock: ErasedClock

    /// - Parameters:
    ///   - httpClient: The process's one `HTTPClient`; its owner shuts it down.
    ///   - authorizer: Adds credentials to API requests (none by default).
    ///   - admission: Spaces API requests; share one per remote account.
    ///   - classifier: Reads the platform's answers (HTTP's own meanings by default).
    ///   - meter: Counts the remote's requests; pass one to share it between clients of the same remote.
    ///   - clock: Time for waits; tests pass a manual clock so they never sleep.
    public init<C: Clock>(
        httpClient: HTTPClient,
        configuration: Configuration,
        logger: Logger,
        redactor: Redactor = Redactor(),
        authorizer: any RequestAuthorizer = NoCredentials(),
        admission: any AdmissionPolicy = UnlimitedAdmission(),
        classifier: any ResponseClassifier = StandardClassifier(),
        meter: RequestMeter? = nil,
        clock: C
    ) where C.Duration == Duration {
        self.httpClient = httpClient
        self.configuration = configuration
        self.logger = logger
        self.redactor = redactor
        self.authorizer = authorizer
        self.admission = admission
        self.classifier = classifier
        self.meter = meter ?? RequestMeter(clock: clock)
        self.clock = ErasedClock(clock)
    }

    public init(
        httpClient: HTTPClient,
        configuration: Configuration,
        logger: Logger,
        redactor: Redactor = Redactor(),
        authorizer: any RequestAuthorizer = NoCredentials(),
        admission: any AdmissionPolicy = UnlimitedAdmission(),
        classifier: any ResponseClassifier = StandardClassifier(),
        meter: RequestMeter? = nil
    ) {
        self.init(
            httpClient: httpClient, configuration: configuration, logger: logger, redactor: redactor,
            authorizer: authorizer, admission: admission, classifier: classifier, meter: meter,
            clock: ContinuousClock())
    }

    /// The logger AsyncHTTPClient is given: one level quieter than ours, so our debug lines (`-vv`) are not
    /// buried in its connection-pool internals, which show only at trace (`-vvv`).
    var transportLogger: Logger {
        var quieter = logger
        quieter.logLevel =
            switch logger.logLevel {
            case .trace: .trace
            case .debug: .info
            default: logger.logLevel
            }
        return quieter
    }

    /// Waits for a slot from ``admission`` for a request the caller sends later with `admitted:` (an upload
    /// that gathers files while it waits), counting the wait in ``meter``.
    public func admit() async throws -> AdmissionTicket {
        try await meter.waiting { try await admission.acquire() }
    }

    /// Sends a request and returns a 2xx answer with its body still streaming (downloads, uploads whose answer
    /// is read by the caller).
    /// - Parameter admitted: a slot the caller already acquired from ``admission`` (used by the first attempt).
    /// - Throws: ``GalleryError`` for any other outcome, after the retries the lifecycle allows.
    public func send(_ request: RemoteRequest, timeout: Duration? = nil, admitted: AdmissionTicket? = nil)
        async throws -> RemoteResponse
    {
        try await lifecycle(
            request, timeout: timeout ?? configuration.transferTimeout, readsBody: false, admitted: admitted
        ) { response, answer in
            RemoteResponse(
                status: answer.status, headers: answer.headers, body: streamedBody(response, endpoint: request.endpoint)
            )
        }
    }

    /// Sends a request and reads the whole 2xx answer (bounded by ``Configuration/maxJSONBytes``). A cut in the
    /// middle of the body counts as a transport failure and is retried like one.
    public func data(_ request: RemoteRequest, admitted: AdmissionTicket? = nil) async throws -> (
        status: Int, headers: [(name: String, value: String)], body: [UInt8]
    ) {
        try await lifecycle(request, timeout: configuration.requestTimeout, readsBody: true, admitted: admitted) {
            _, answer in
            (answer.status, answer.headers, answer.body ?? [])
        }
    }

    /// Sends a request and decodes its 2xx JSON answer. An answer that does not decode is malformed: retried
    /// like a transport failure when the request is idempotent.
    /// - Throws: ``GalleryError`` `corruptResponse` naming the endpoint and quoting the body when it does not
    ///   decode after the retries; the lifecycle's errors otherwise.
    public func json<T: Decodable>(
        _ request: RemoteRequest, as type: T.Type = T.self, decoder: JSONDecoder? = nil,
        admitted: AdmissionTicket? = nil
    ) async throws -> T {
        try await lifecycle(request, timeout: configuration.requestTimeout, readsBody: true, admitted: admitted) {
            _, answer in
            try decode(T.self, from: answer.body ?? [], endpoint: request.endpoint, decoder: decoder)
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

    // MARK: - The lifecycle

    private func lifecycle<R>(
        _ request: RemoteRequest,
        timeout: Duration,
        readsBody: Bool,
        admitted: AdmissionTicket?,
        accept: (HTTPClientResponse, RemoteAnswer) async throws -> R
    ) async throws -> R {
        let policy = configuration.retry
        let isAPI = request.absoluteURL == nil
        let admission: any AdmissionPolicy = isAPI ? self.admission : UnlimitedAdmission()
        let canResend = request.body.isReplayable
        let canRepeat = canResend && request.isIdempotent
        let budget = request.obtainsCredentials ? policy.credentialAttempts : policy.maxAttempts
        var pendingTicket = admitted
        var attempt = 1
        var unanswered = 0
        var renewed = false
        var throttles = 0

        /// Waits before the next attempt when one is allowed, else throws `error`.
        func again(_ error: GalleryError, allowed: Bool) async throws {
            guard allowed, attempt < budget else { throw error }
            var delay = policy.backoff(retry: attempt)
            if request.obtainsCredentials, delay > policy.credentialMaxDelay { delay = policy.credentialMaxDelay }
            try await sleep(delay, before: request, because: error.message)
            attempt += 1
        }

        while true {
            var outgoing = request
            var generation: Int?
            let ticket: AdmissionTicket
            do {
                if Task.isCancelled { throw CancellationError() }
                if isAPI, request.sendsCredentials {
                    let credentials = try await authorizer.credentials(client: self)
                    outgoing.headers += credentials.headers
                    generation = credentials.generation
                }
                if let pendingTicket {
                    ticket = pendingTicket
                } else if isAPI {
                    ticket = try await meter.waiting { try await admission.acquire() }
                } else {
                    ticket = try await admission.acquire()
                }
                pendingTicket = nil
            } catch {
                if let pendingTicket { await admission.release(pendingTicket) }
                if error is CancellationError || Task.isCancelled { throw cancelled(request) }
                throw GalleryError.wrapping(error, backend: configuration.backend)
            }

            let started = clock.elapsed()
            meter.sent(isAPI: isAPI)
            let response: HTTPClientResponse
            let answer: RemoteAnswer
            var headArrived = false
            do {
                response = try await httpClient.execute(
                    try makeRequest(outgoing), deadline: .now() + .nanoseconds(Self.nanoseconds(timeout)),
                    logger: transportLogger)
                headArrived = true
                unanswered = 0
                let status = Int(response.status.code)
                log(request, attempt: attempt, status: status, started: started)
                var body: [UInt8]?
                if !(200..<300).contains(status) {
                    body = (try? await collect(response.body, limit: 64 * 1024, endpoint: request.endpoint)) ?? []
                } else if readsBody {
                    body = try await collect(
                        response.body, limit: configuration.maxJSONBytes, endpoint: request.endpoint)
                }
                answer = RemoteAnswer(status: status, headers: Self.headers(response.headers), body: body)
            } catch {
                await admission.completed(ticket, answer: nil)
                if Task.isCancelled { throw cancelled(request) }
                if let error = error as? GalleryError, error.code != .transport { throw error }
                log(request, attempt: attempt, status: nil, started: started, error: error)
                var failure = transportError(error, endpoint: request.endpoint)
                if !headArrived { unanswered += 1 }
                if canRepeat, unanswered >= policy.maxAttempts {
                    // Sends in a row went without any answer: the remote is unreachable, and repeating the whole
                    // item (or sending a login further times) would only multiply the wait.
                    failure.isRetryable = false
                    failure.hint =
                        "\(configuration.backend) at \(Self.hostAndPort(of: configuration.baseURL)) did not answer "
                        + "\(unanswered) sends in a row; check that it is reachable, then run again (the run resumes)."
                    throw failure
                }
                try await again(failure, allowed: canRepeat)
                continue
            }

            let verdict = classifier.classify(answer)
            if case .throttled(let after) = verdict {
                throttles += 1
                meter.throttled()
                let wait = await admission.throttled(ticket, suggested: after ?? policy.backoff(retry: throttles))
                let error = httpError(answer, request, retryAfter: wait)
                // The server did not process a throttled request: any body that can be sent again may be. Being
                // throttled is waiting for admission, not a failure: it has its own bound.
                guard canResend, throttles < policy.maxThrottles, wait <= policy.maxRetryAfter else { throw error }
                try await meter.waiting {
                    try await sleep(
                        wait, before: request, because: "\(request.endpoint) was throttled (HTTP \(answer.status))",
                        reporting: true)
                }
                continue
            }
            await admission.completed(ticket, answer: answer)
            switch verdict {
            case .success, .throttled:
                do {
                    return try await accept(response, answer)
                } catch var error as GalleryError where error.code == .corruptResponse || error.code == .transport {
                    // A malformed answer may be a cut one: the caller may repeat the work, reconciling first.
                    error.isRetryable = true
                    try await again(error, allowed: canRepeat)
                }
            case .unauthorized:
                var error = httpError(answer, request)
                guard let generation, !renewed else { throw error }
                do {
                    try await authorizer.renew(after: generation, client: self)
                } catch let refusal as GalleryError where refusal.code == .auth && refusal.serverMessage == nil {
                    // Nothing could be renewed (a fixed token): the server's own refusal, with the authorizer's
                    // advice.
                    error.hint = refusal.hint ?? error.hint
                    throw error
                }
                renewed = true
                guard canResend else {
                    // The body is spent; the caller sends it again, with fresh bytes, on the fresh credentials.
                    error.isRetryable = true
                    error.hint = "The credentials had expired and were renewed; sending again will work."
                    throw error
                }
            case .retryable(let given):
                try await again(given.map(contextualized) ?? httpError(answer, request), allowed: canRepeat)
            case .fatal(let given):
                throw given.map(contextualized) ?? httpError(answer, request)
            }
        }
    }

    private func httpError(_ answer: RemoteAnswer, _ request: RemoteRequest, retryAfter: Duration? = nil)
        -> GalleryError
    {
        GalleryError.http(
            status: answer.status, endpoint: request.endpoint, backend: configuration.backend,
            serverMessage: answer.body.flatMap { BodyExcerpt.serverMessage($0, redactor: redactor) },
            retryAfter: retryAfter)
    }

    private func contextualized(_ error: GalleryError) -> GalleryError {
        var error = error.adding(backend: configuration.backend)
        error.serverMessage = error.serverMessage.map(redactor.text)
        return error
    }

    private func cancelled(_ request: RemoteRequest) -> GalleryError {
        GalleryError(.cancelled, "Cancelled during \(request.endpoint)", backend: configuration.backend)
    }

    /// - Parameters:
    ///   - reason: what the server answered, as the debug line tells a user.
    ///   - reporting: the wait is for a rate limit: ``RateLimitWait`` hears of it.
    private func sleep(
        _ delay: Duration, before request: RemoteRequest, because reason: String, reporting: Bool = false
    ) async throws {
        let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
        logger.debug("\(reason): retrying in \(String(format: "%.2f", seconds)) s")
        do {
            if reporting {
                try await RateLimitWait.sleep(delay, clock.sleep)
            } else {
                try await clock.sleep(delay)
            }
        } catch {
            throw GalleryError(
                .cancelled, "Cancelled while waiting to retry \(request.endpoint)", backend: configuration.backend)
        }
    }

    func transportError(_ error: any Error, endpoint: String) -> GalleryError {
        if let error = error as? GalleryError { return error }
        let host = Self.hostAndPort(of: configuration.baseURL)
        let cause = redactor.text(String(describing: error))
        return GalleryError(
            .transport,
            Self.isConnectionRefused(error)
                ? "Cannot connect to \(host): connection refused (\(endpoint))"
                : "\(endpoint) to \(host) failed before an answer arrived: \(cause)",
            backend: configuration.backend,
            hint:
                "Check that \(configuration.backend) at \(host) is reachable; the request is retried when that is safe."
        )
    }

    /// `host:port` of a base URL, as a user would check it (`127.0.0.1:8080`); never its user info.
    static func hostAndPort(of url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        return components.port.map { "\(host):\($0)" } ?? host
    }

    /// Whether a send failed because nothing listens at the address (ECONNREFUSED), however the client wraps it.
    static func isConnectionRefused(_ error: any Error) -> Bool {
        if let error = error as? IOError, error.errnoCode == ECONNREFUSED { return true }
        return String(describing: error).contains("Connection refused")
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
