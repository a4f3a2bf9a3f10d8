import AsyncHTTPClient
import GalleryCore
import GalleryTestSupport
import Hummingbird
import Logging
import Testing

@testable import GalleryHTTP

/// Retries, backoff and 429 handling, against a scripted server, with a clock that never sleeps.
@Suite struct RetryTests {
    static let policy = RetryPolicy(
        maxAttempts: 4, baseDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: { 1 })

    func client(
        _ base: String, _ http: HTTPClient, _ clock: ManualClock, admission: any AdmissionPolicy = UnlimitedAdmission()
    ) -> RemoteHTTPClient {
        RemoteHTTPClient(
            httpClient: http, configuration: .init(backend: "test", baseURL: base, retry: Self.policy),
            logger: Logger(label: "test"), admission: admission, clock: clock)
    }

    @Test func retriesIdempotentRequestOn5xxWithExponentialBackoff() async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/flaky") { _, _ -> Response in
            hits.hit("flaky") <= 3
                ? Response(status: .serviceUnavailable)
                : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"ok":true}"#)))
        }
        let clock = ManualClock()
        struct OK: Decodable { var ok: Bool }
        let answer = try await withTestServer(router) { base, http in
            try await client(base, http, clock).json(RemoteRequest("GET", "/flaky"), as: OK.self)
        }
        #expect(answer.ok)
        #expect(hits.count("flaky") == 4)
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test func givesUpAfterMaxAttemptsWithServerError() async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/down") { _, _ -> Response in
            _ = hits.hit("down")
            return Response(
                status: .badGateway, body: .init(byteBuffer: ByteBuffer(string: #"{"detail":"upstream gone"}"#)))
        }
        let clock = ManualClock()
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(router) { base, http in
                try await client(base, http, clock).perform(RemoteRequest("GET", "/down"))
            }
        }
        #expect(error?.code == .server)
        #expect(error?.httpStatus == 502)
        #expect(error?.serverMessage == "upstream gone")
        #expect(error?.backend == "test")
        #expect(error?.message.contains("GET /down") == true)
        #expect(hits.count("down") == 4)
        #expect(clock.sleeps.count == 3)
    }

    @Test func doesNotRetryNonIdempotentPostOn5xx() async throws {
        let hits = HitCounter()
        let router = Router()
        router.post("/create") { _, _ -> Response in
            _ = hits.hit("create")
            return Response(status: .internalServerError)
        }
        let clock = ManualClock()
        await #expect(throws: GalleryError.self) {
            try await withTestServer(router) { base, http in
                try await client(base, http, clock).perform(
                    RemoteRequest("POST", "/create", body: .bytes(Array("{}".utf8), contentType: "application/json")))
            }
        }
        #expect(hits.count("create") == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func honoursRetryAfterSecondsOn429() async throws {
        let hits = HitCounter()
        let router = Router()
        router.post("/limited") { _, _ -> Response in
            hits.hit("limited") == 1
                ? Response(status: .tooManyRequests, headers: [.retryAfter: "3"])
                : Response(status: .created)
        }
        let clock = ManualClock()
        try await withTestServer(router) { base, http in
            // A POST is retried on 429: the server did not process it.
            try await client(base, http, clock).perform(
                RemoteRequest("POST", "/limited", body: .bytes([1], contentType: "application/octet-stream")))
        }
        #expect(hits.count("limited") == 2)
        #expect(clock.sleeps == [.seconds(3)])
    }

    /// Kanka's 429: no header at all, a bare JSON array for body. The window governor knows how long to wait.
    @Test func aHeaderless429WaitsWhatTheWindowGovernorSays() async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/kanka-like") { _, _ -> Response in
            hits.hit("k") == 1
                ? Response(
                    status: .tooManyRequests, body: .init(byteBuffer: ByteBuffer(string: #"["Too Many Attempts."]"#)))
                : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "[]")))
        }
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(60), margin: .seconds(1), clock: clock)
        let items = try await withTestServer(router) { base, http in
            try await client(base, http, clock, admission: governor).json(
                RemoteRequest("GET", "/kanka-like"), as: [String].self)
        }
        #expect(items.isEmpty)
        #expect(hits.count("k") == 2)
        #expect(await governor.stats.throttled == 1)
        // Nothing came back before the 429: a full window and its margin from then.
        #expect(clock.sleeps.count == 1)
        #expect(clock.sleeps[0] > .seconds(60) && clock.sleeps[0] <= .seconds(61))
    }

    @Test func backsOffExponentiallyWhen429HasNoHintAtAll() async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/bare") { _, _ -> Response in
            hits.hit("b") <= 2 ? Response(status: .tooManyRequests) : Response(status: .noContent)
        }
        let clock = ManualClock()
        try await withTestServer(router) { base, http in
            try await client(base, http, clock).perform(RemoteRequest("GET", "/bare"))
        }
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1)])
    }

    @Test func retryAfterBeyondTheCapFailsAsRateLimited() async throws {
        let router = Router()
        router.get("/long") { _, _ -> Response in Response(status: .tooManyRequests, headers: [.retryAfter: "3600"]) }
        let clock = ManualClock()
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(router) { base, http in
                try await client(base, http, clock).perform(RemoteRequest("GET", "/long"))
            }
        }
        #expect(error?.code == .rateLimited)
        #expect(error?.retryAfter == .seconds(3600))
        #expect(error?.isRetryable == true)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func retriesTransportFailuresOfIdempotentRequests() async throws {
        // A port bound but never listened on refuses every connection, and no other test's server can be
        // given it while we hold it (a shut-down server's port could be reused by a test running in parallel).
        let refusing = try RefusingPort()
        defer { refusing.close() }
        let closedBase = "http://127.0.0.1:\(refusing.port)"
        let clock = ManualClock()
        // AHC keeps retrying a refused connection until its connect timeout: keep that short here.
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(200))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let error = await #expect(throws: GalleryError.self) {
            try await client(closedBase, http, clock).perform(RemoteRequest("GET", "/anything"))
        }
        try await http.shutdown()
        #expect(error?.code == .transport)
        #expect(error?.isRetryable == true)
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1), .seconds(2)])
    }

    @Test func a429WithAPacerPausesEveryoneInsteadOfSleepingAlone() async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/paced") { _, _ -> Response in
            hits.hit("p") == 1
                ? Response(status: .tooManyRequests, headers: [.retryAfter: "5"]) : Response(status: .noContent)
        }
        let clock = ManualClock()
        let pacer = Pacer(rate: 100, burst: 10, clock: clock)
        try await withTestServer(router) { base, http in
            try await client(base, http, clock, admission: pacer).perform(RemoteRequest("GET", "/paced"))
        }
        #expect(hits.count("p") == 2)
        // The request waited the five seconds once; the pacer's pause then held back nobody further.
        #expect(clock.sleeps == [.seconds(5)])
    }
}
