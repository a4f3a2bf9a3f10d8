import AsyncHTTPClient
import Foundation
import GalleryCore
import GalleryTestSupport
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Testing

@testable import GalleryHTTP

/// The request lifecycle's three parts (authorizer, admission, classifier) against scripted servers, on a
/// clock that never sleeps.
@Suite struct LifecycleTests {
    static let policy = RetryPolicy(
        maxAttempts: 4, baseDelay: .milliseconds(500), maxDelay: .seconds(30), jitter: { 1 })

    func client(
        _ base: String, _ http: HTTPClient, _ clock: ManualClock,
        authorizer: any RequestAuthorizer = NoCredentials(),
        admission: any AdmissionPolicy = UnlimitedAdmission(),
        classifier: any ResponseClassifier = StandardClassifier()
    ) -> RemoteHTTPClient {
        RemoteHTTPClient(
            httpClient: http, configuration: .init(backend: "test", baseURL: base, retry: Self.policy),
            logger: Logger(label: "test"), authorizer: authorizer, admission: admission, classifier: classifier,
            clock: clock)
    }

    struct Token: Codable { var token: String }

    /// A session whose renewal logs in at `POST /login` (counted by the server), as Omnitcode's does.
    static func session(
        _ clock: ManualClock, initial: String? = nil, lifetime: Duration? = nil, obtains: Bool = false
    ) -> SessionCredentials {
        SessionCredentials(
            initial: initial.map { .init(headerValue: "Bearer \($0)") }, clock: clock
        ) { _, client in
            var login = RemoteRequest(
                "POST", "/login", body: .bytes(Array("{}".utf8), contentType: "application/json"),
                isIdempotent: true, sendsCredentials: false)
            login.obtainsCredentials = obtains
            let answer = try await client.json(login, as: Token.self)
            return .init(headerValue: "Bearer \(answer.token)", lifetime: lifetime)
        }
    }

    /// `POST /login` hands out `t1`, `t2`, …; `GET /thing` takes only the newest token.
    static func loginRouter(_ hits: HitCounter) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("/login") { _, _ -> Response in
            let number = hits.hit("login")
            return Response(
                status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"token":"t\#(number)"}"#)))
        }
        router.on("/thing", method: .get) { request, _ -> Response in
            _ = hits.hit("thing")
            let wanted = "Bearer t\(hits.count("login"))"
            return request.headers[.authorization] == wanted
                ? Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "{}")))
                : Response(status: .unauthorized, body: .init(byteBuffer: ByteBuffer(string: #"{"detail":"expired"}"#)))
        }
        router.post("/upload") { request, _ -> Response in
            _ = hits.hit("upload")
            for try await _ in request.body {}
            return Response(status: .unauthorized)
        }
        return router
    }

    struct Empty: Decodable {}

    // MARK: Authorizer

    @Test func a401RenewsOnceAndSendsAgain() async throws {
        let hits = HitCounter()
        let clock = ManualClock()
        // The session holds a token the server no longer takes.
        let session = Self.session(clock, initial: "stale")
        try await withTestServer(Self.loginRouter(hits)) { base, http in
            _ = try await client(base, http, clock, authorizer: session).json(
                RemoteRequest("GET", "/thing"), as: Empty.self)
        }
        #expect(hits.count("login") == 1)
        #expect(hits.count("thing") == 2)
        #expect(await session.renewals == 1)
        #expect(clock.sleeps.isEmpty)
    }

    @Test func concurrentRefusalsShareOneRenewal() async throws {
        let hits = HitCounter()
        let clock = ManualClock()
        let session = Self.session(clock, initial: "stale")
        try await withTestServer(Self.loginRouter(hits)) { base, http in
            let api = client(base, http, clock, authorizer: session)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { _ = try await api.json(RemoteRequest("GET", "/thing"), as: Empty.self) }
                }
                try await group.waitForAll()
            }
        }
        #expect(hits.count("login") == 1)
        #expect(hits.count("thing") == 16)
    }

    @Test func aStreamedBodyIsNotSentTwiceAfterA401() async throws {
        let hits = HitCounter()
        let clock = ManualClock()
        let session = Self.session(clock, initial: "stale")
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(Self.loginRouter(hits)) { base, http in
                let stream = ByteStream.bytes(Array(repeating: 7, count: 1000))
                try await client(base, http, clock, authorizer: session).perform(
                    RemoteRequest(
                        "POST", "/upload", body: .stream(stream, contentType: "image/png", isReplayable: false)))
            }
        }
        #expect(error?.code == .auth)
        // Renewed for the caller's next attempt with fresh bytes.
        #expect(error?.isRetryable == true)
        #expect(hits.count("upload") == 1)
        #expect(hits.count("login") == 1)
    }

    @Test func aRefusedStaticTokenFailsAtOnce() async throws {
        let hits = HitCounter()
        let clock = ManualClock()
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(Self.loginRouter(hits)) { base, http in
                try await client(base, http, clock, authorizer: StaticCredentials(value: "Token abc123"))
                    .perform(RemoteRequest("GET", "/thing"))
            }
        }
        #expect(error?.code == .auth)
        #expect(error?.isRetryable == false)
        #expect(hits.count("thing") == 1)
    }

    @Test func credentialsAboutToExpireAreRenewedBeforeTheyAreSent() async throws {
        let hits = HitCounter()
        let clock = ManualClock()
        let session = Self.session(clock, lifetime: .seconds(60))
        try await withTestServer(Self.loginRouter(hits)) { base, http in
            let api = client(base, http, clock, authorizer: session)
            try await api.perform(RemoteRequest("GET", "/thing"))
            clock.advance(by: .seconds(45))
            try await api.perform(RemoteRequest("GET", "/thing"))
        }
        // A login for the first request, a second one ahead of expiry: never a 401.
        #expect(hits.count("login") == 2)
        #expect(hits.count("thing") == 2)
    }

    /// Logging in twice is harmless: a login answered with a 5xx, cut or malformed is sent again.
    @Test func aLoginIsRetriedOn5xxAndMalformedAnswers() async throws {
        let hits = HitCounter()
        let router = Router()
        router.post("/login") { _, _ -> Response in
            switch hits.hit("login") {
            case 1: return Response(status: .badGateway)
            case 2: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"tok"#)))
            default: return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"token":"t"}"#)))
            }
        }
        router.get("/thing") { request, _ -> Response in
            request.headers[.authorization] == "Bearer t"
                ? Response(status: .noContent) : Response(status: .unauthorized)
        }
        let clock = ManualClock()
        try await withTestServer(router) { base, http in
            try await client(base, http, clock, authorizer: Self.session(clock)).perform(RemoteRequest("GET", "/thing"))
        }
        #expect(hits.count("login") == 3)
        #expect(clock.sleeps == [.milliseconds(500), .seconds(1)])
    }

    /// Every request waits on the login, so it gets a whole item's sends (4 × `maxAttempts`), closer together.
    @Test func aLoginGetsAWholeItemsWorthOfSendsAtMostFourSecondsApart() async throws {
        let hits = HitCounter()
        let router = Router()
        router.post("/login") { _, _ -> Response in
            hits.hit("login") <= 15
                ? Response(status: .badGateway)
                : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"token":"t"}"#)))
        }
        router.get("/thing") { _, _ -> Response in Response(status: .noContent) }
        let clock = ManualClock()
        try await withTestServer(router) { base, http in
            try await client(base, http, clock, authorizer: Self.session(clock, obtains: true))
                .perform(RemoteRequest("GET", "/thing"))
        }
        #expect(hits.count("login") == 16)
        #expect(clock.sleeps.count == 15)
        #expect(clock.sleeps.max() == .seconds(4))

        // A 17th failure is one too many: the login fails with the server's answer.
        let failing = Router()
        failing.post("/login") { _, _ -> Response in
            _ = hits.hit("refused")
            return Response(status: .badGateway)
        }
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(failing) { base, http in
                try await client(base, http, ManualClock(), authorizer: Self.session(ManualClock(), obtains: true))
                    .perform(RemoteRequest("GET", "/thing"))
            }
        }
        #expect(error?.httpStatus == 502)
        #expect(hits.count("refused") == 16)
    }

    /// A login that gets no answer at all stops at `maxAttempts` sends: the server is gone.
    @Test func aLoginToAServerThatIsGoneStopsAtTheLowLevelBudget() async throws {
        let refusing = try RefusingPort()
        defer { refusing.close() }
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .milliseconds(200))
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let clock = ManualClock()
        let error = await #expect(throws: GalleryError.self) {
            try await client("http://127.0.0.1:\(refusing.port)", http, clock, authorizer: Self.session(clock, obtains: true))
                .perform(RemoteRequest("GET", "/thing"))
        }
        try await http.shutdown()
        #expect(error?.code == .transport)
        #expect(error?.isRetryable == false)
        #expect(error?.hint?.contains("did not answer 4 sends") == true)
        #expect(clock.sleeps.count == 3)
    }

    // MARK: Classifier

    @Test func aMalformedAnswerIsRetriedForAGetButNotForAPost() async throws {
        let hits = HitCounter()
        let router = Router()
        router.get("/list") { _, _ -> Response in
            hits.hit("list") == 1
                ? Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "[1,")))
                : Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "[1]")))
        }
        router.post("/create") { _, _ -> Response in
            _ = hits.hit("create")
            return Response(status: .created, body: .init(byteBuffer: ByteBuffer(string: #"{"id""#)))
        }
        let clock = ManualClock()
        let (list, error) = try await withTestServer(router) { base, http in
            let api = client(base, http, clock)
            let list = try await api.json(RemoteRequest("GET", "/list"), as: [Int].self)
            let error = await #expect(throws: GalleryError.self) {
                try await api.json(try RemoteRequest.json("POST", "/create", body: ["a": 1]), as: [String: String].self)
            }
            return (list, error)
        }
        #expect(list == [1])
        #expect(hits.count("list") == 2)
        // The server acted on the POST; only the caller can tell whether to repeat it.
        #expect(error?.code == .corruptResponse)
        #expect(hits.count("create") == 1)
    }

    /// GraphQL reports failures inside a 200: a classifier that reads the body turns them into verdicts.
    @Test func aClassifierFindsErrorsInsideA200Body() async throws {
        let hits = HitCounter()
        let router = Router()
        router.post("/graphql") { _, _ -> Response in
            let body =
                switch hits.hit("graphql") {
                case 1: #"{"errors":[{"message":"database is locked"}],"data":null}"#
                case 2: #"{"data":{"ok":true}}"#
                default: #"{"errors":[{"message":"Cannot query field \"nope\""}]}"#
                }
            return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        struct GraphQLErrors: Decodable {
            struct Message: Decodable { var message: String }
            var errors: [Message]?
        }
        let classifier = StandardClassifier(inspectSuccess: { answer in
            guard let body = answer.body,
                let errors = try? JSONDecoder().decode(GraphQLErrors.self, from: Data(body)).errors, !errors.isEmpty
            else { return nil }
            let message = errors.map(\.message).joined(separator: "; ")
            let failure = GalleryError(.server, "GraphQL: \(message)", serverMessage: message)
            return message.contains("locked") ? .retryable(failure) : .fatal(failure)
        })
        struct Answer: Decodable {
            struct Data: Decodable { var ok: Bool }
            var data: Data
        }
        let clock = ManualClock()
        let query = RemoteRequest(
            "POST", "/graphql", body: .bytes(Array(#"{"query":"{ok}"}"#.utf8), contentType: "application/json"),
            isIdempotent: true)
        let (answer, error) = try await withTestServer(router) { base, http in
            let api = client(base, http, clock, classifier: classifier)
            let answer = try await api.json(query, as: Answer.self)
            let error = await #expect(throws: GalleryError.self) { try await api.json(query, as: Answer.self) }
            return (answer, error)
        }
        #expect(answer.data.ok)
        #expect(hits.count("graphql") == 3)
        #expect(error?.message.contains("Cannot query field") == true)
        #expect(error?.backend == "test")
        #expect(clock.sleeps == [.milliseconds(500)])
    }

    // MARK: Admission

    @Test func admissionLearnsTheServersCountAndUsesAPreAcquiredTicket() async throws {
        let router = Router()
        router.get("/limited") { _, _ -> Response in
            Response(status: .noContent, headers: [HTTPField.Name("X-RateLimit-Limit")!: "30"])
        }
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 90, window: .seconds(60), clock: clock)
        try await withTestServer(router) { base, http in
            let api = client(base, http, clock, admission: governor)
            let ticket = try await governor.acquire()
            try await api.perform(RemoteRequest("GET", "/limited"), admitted: ticket)
        }
        #expect(await governor.limit == 30)
        #expect(await governor.stats.granted == 1)
    }

    /// A file origin (a CDN, a presigned upload URL) gets neither the API's credentials nor its rate budget.
    @Test func aRequestToAFileOriginCarriesNoCredentialsAndSpendsNoBudget() async throws {
        let seen = HitCounter()
        let router = Router()
        router.put("/bucket/object") { request, _ -> Response in
            _ = seen.hit(request.headers[.authorization] ?? "none")
            for try await _ in request.body {}
            return Response(status: .ok)
        }
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(60), clock: clock)
        try await withTestServer(router) { base, http in
            let api = client(
                base + "/api", http, clock, authorizer: StaticCredentials(value: "Token secret-key"),
                admission: governor)
            try await api.perform(
                RemoteRequest(
                    "PUT", "/object", body: .bytes([1, 2, 3], contentType: "image/png"),
                    absoluteURL: base + "/bucket/object?X-Amz-Signature=abc"))
        }
        #expect(seen.count("none") == 1)
        #expect(await governor.stats.granted == 0)
    }
}
