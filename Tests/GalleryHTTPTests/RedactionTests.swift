import AsyncHTTPClient
import GalleryCore
import GalleryTestSupport
import Hummingbird
import InMemoryLogging
import Logging
import Testing

@testable import GalleryHTTP

/// No credential reaches a log line or an error.
@Suite struct RedactionTests {
    @Test(arguments: ["Authorization", "authorization", "Token", "ApiKey", "X-Api-Key", "Cookie"])
    func credentialHeadersAreMasked(name: String) {
        #expect(Redactor().header(name: name, value: "Bearer abc.def.ghi") == Redactor.mask)
    }

    @Test func ordinaryHeadersAreKept() {
        #expect(Redactor().header(name: "Content-Type", value: "image/png") == "image/png")
    }

    @Test func queryTokensAndUserInfoAreMasked() {
        let url = Redactor().url("https://user:hunter22@example.org/api?page=2&api_key=SEKRET123&access_token=xyz789")
        #expect(!url.contains("SEKRET123"))
        #expect(!url.contains("xyz789"))
        #expect(!url.contains("hunter22"))
        #expect(url.contains("page=2"))
    }

    @Test func jsonFieldsBearerTokensAndKnownSecretsAreMaskedInText() {
        let redactor = Redactor(secrets: ["correct horse battery"])
        let text = redactor.text(
            #"{"access_token": "eyJhbGciOi.payload.sig", "refresh_token":"r-123456", "password": "p\"w", "token_type": "bearer"} "#
                + "Authorization: Bearer eyJabc.def.ghi; echo: correct horse battery; form password=pa55word&x=1")
        for secret in ["eyJhbGciOi", "r-123456", #"p\"w"#, "eyJabc", "correct horse", "pa55word"] {
            #expect(!text.contains(secret), "\(secret) leaked in \(text)")
        }
        #expect(text.contains(#""token_type": "bearer""#))
        #expect(text.contains("x=1"))
    }

    /// An error quotes a cut excerpt of a login answer: the token's value has no closing quote, or sits under a
    /// field name that is not on the list.
    @Test func tokensInACutExcerptOrUnderUnknownFieldsAreMasked() {
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NSJ9.c2lnbmF0dXJlLXZhbHVl"
        let cut = Redactor().text(#"{"user":{"id":"7"},"tokens":{"access_token":"\#(jwt.prefix(50))…"#)
        #expect(!cut.contains("eyJhbGci"), "\(cut)")
        #expect(cut.contains(#""user":{"id":"7"}"#))
        let unknown = Redactor().text(#"{"jwt": "\#(jwt)", "session": {"value": "\#(jwt.prefix(30))"}}"#)
        #expect(!unknown.contains("eyJhbGci"), "\(unknown)")
        #expect(Redactor().text("id eyJ-not-a-token") == "id eyJ-not-a-token")
    }

    @Test func errorsAndLogsOfAFailedRequestCarryNoSecret() async throws {
        let router = Router()
        router.get("/echo") { request, _ -> Response in
            // A careless server that echoes the credential it was sent.
            let auth = request.headers[.authorization] ?? ""
            return Response(
                status: .unauthorized,
                body: .init(
                    byteBuffer: ByteBuffer(
                        string: #"{"detail":"token \#(auth) expired","access_token":"fresh-token-999"}"#)))
        }
        let logs = InMemoryLogHandler()
        let logger = {
            var logger = Logger(label: "test") { _ in logs }
            logger.logLevel = .trace
            return logger
        }()
        let error = await #expect(throws: GalleryError.self) {
            try await withTestServer(router) { base, http in
                let client = RemoteHTTPClient(
                    httpClient: http, configuration: .init(backend: "echo", baseURL: base, retry: .none),
                    logger: logger, redactor: Redactor(secrets: ["s3cr3t-token-value"]), clock: ManualClock())
                try await client.perform(
                    RemoteRequest(
                        "GET", "/echo", query: [("token", "query-secret-42")],
                        headers: [("Authorization", "Bearer s3cr3t-token-value")]))
            }
        }
        let caught = try #require(error)
        #expect(caught.code == .auth)
        #expect(caught.httpStatus == 401)
        let everything =
            "\(caught) \(caught.serverMessage ?? "") \(caught.hint ?? "") "
            + logs.entries.map { "\($0.message) \($0.metadata)" }.joined(separator: "\n")
        #expect(!logs.entries.isEmpty)
        for secret in ["s3cr3t-token-value", "query-secret-42", "fresh-token-999"] {
            #expect(!everything.contains(secret), "\(secret) leaked: \(everything)")
        }
    }
}
