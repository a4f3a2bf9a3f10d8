import AsyncHTTPClient
import GallerySandbox
import NIOHTTP1
import Testing

/// The emulator's auth endpoints, over real HTTP with a plain client, against Docs/omnitcode.md.
@Suite struct OmnitcodeAuthTests {
    @Test func loginAnswersUserAndTokensInTheDocumentedShape() async throws {
        try await withOmnitcode { _, anonymous, endpoint in
            let credentials = Dictionary(endpoint.credentials.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let (_, answer) = try await anonymous.loggedIn(
                email: credentials["email"]!, password: credentials["password"]!)
            #expect(answer.status == 200)
            let user = try #require(answer.object["user"] as? [String: Any])
            let tokens = try #require(answer.object["tokens"] as? [String: Any])
            #expect(user["email"] as? String == credentials["email"])
            #expect(user["is_active"] as? Bool == true)
            #expect(user.keys.contains("last_name") && user.keys.contains("updated_at"))
            #expect(tokens["token_type"] as? String == "bearer")
            #expect(tokens["expires_in"] as? Int == 900)
            #expect((tokens["access_token"] as? String)?.split(separator: ".").count == 3)
            #expect(tokens["refresh_token"] is String)
        }
    }

    @Test func wrongPasswordAndMissingBearerAre401WithDetail() async throws {
        try await withOmnitcode { _, anonymous, endpoint in
            let email = endpoint.credentials.first { $0.key == "email" }!.value
            let bad = try await anonymous.post("/api/v1/auth/login", ["email": email, "password": "wrong-password"])
            #expect(bad.status == 401)
            #expect(bad.detail == "Invalid email or password")
            let missing = try await anonymous.get("/api/v1/galleries")
            #expect(missing.status == 401)
            #expect(missing.detail == "Not authenticated")
            #expect(missing.headers.first(name: "www-authenticate") == "Bearer")
            var garbled = anonymous
            garbled.token = "not-a-jwt"
            let invalid = try await garbled.get("/api/v1/galleries")
            #expect(invalid.status == 401)
        }
    }

    @Test func missingBearerIs403InTheOlderFastAPIMode() async throws {
        try await withOmnitcode(.init(missingBearerStatus: 403)) { _, anonymous, _ in
            let missing = try await anonymous.get("/api/v1/galleries")
            #expect(missing.status == 403)
            #expect(missing.detail == "Not authenticated")
        }
    }

    @Test func refreshRotatesAndAUsedRefreshTokenIsRevoked() async throws {
        try await withOmnitcode { _, anonymous, endpoint in
            let credentials = Dictionary(endpoint.credentials.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let (_, login) = try await anonymous.loggedIn(
                email: credentials["email"]!, password: credentials["password"]!)
            let first = try #require((login.object["tokens"] as? [String: Any])?["refresh_token"] as? String)
            let rotated = try await anonymous.post("/api/v1/auth/refresh", ["refresh_token": first])
            #expect(rotated.status == 200)
            let second = try #require(rotated.object["refresh_token"] as? String)
            #expect(second != first)
            #expect(rotated.object["access_token"] is String)
            let reused = try await anonymous.post("/api/v1/auth/refresh", ["refresh_token": first])
            #expect(reused.status == 401)
            #expect(reused.detail == "Token has been revoked")
            // Logout revokes the current one too.
            #expect(try await anonymous.post("/api/v1/auth/logout", ["refresh_token": second]).status == 204)
            #expect(try await anonymous.post("/api/v1/auth/refresh", ["refresh_token": second]).status == 401)
        }
    }

    @Test func expiredAccessTokensAre401UntilRefreshed() async throws {
        try await withOmnitcode { admin, anonymous, _ in
            #expect(try await admin.get("/api/v1/galleries").status == 200)
            #expect(try await anonymous.send(.POST, "/__sandbox/omnitcode/expire-tokens").status == 200)
            let expired = try await admin.get("/api/v1/galleries")
            #expect(expired.status == 401)
            #expect(expired.detail == "Token has expired")
        }
    }

    @Test func logoutAllKillsEveryOutstandingToken() async throws {
        try await withOmnitcode { admin, anonymous, endpoint in
            let credentials = Dictionary(endpoint.credentials.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let (other, login) = try await anonymous.loggedIn(
                email: credentials["email"]!, password: credentials["password"]!)
            let refresh = try #require((login.object["tokens"] as? [String: Any])?["refresh_token"] as? String)
            #expect(try await other.send(.POST, "/api/v1/auth/logout-all").status == 204)
            let revoked = try await admin.get("/api/v1/galleries")
            #expect(revoked.status == 401)
            #expect(revoked.detail == "Token has been revoked")
            #expect(try await anonymous.post("/api/v1/auth/refresh", ["refresh_token": refresh]).status == 401)
        }
    }

    @Test func registerGivesNoPermissionsAndValidatesLikeFastAPI() async throws {
        try await withOmnitcode { _, anonymous, _ in
            let created = try await anonymous.post(
                "/api/v1/auth/register", ["email": "new@example.org", "password": "long-enough-1", "first_name": "Ana"])
            #expect(created.status == 201)
            #expect((created.object["user"] as? [String: Any])?["roles"] as? [Any] != nil)
            #expect(((created.object["user"] as? [String: Any])?["roles"] as? [Any])?.isEmpty == true)
            var user = anonymous
            user.token = (created.object["tokens"] as? [String: Any])?["access_token"] as? String
            let forbidden = try await user.get("/api/v1/galleries")
            #expect(forbidden.status == 403)

            let again = try await anonymous.post(
                "/api/v1/auth/register", ["email": "new@example.org", "password": "long-enough-1"])
            #expect(again.status == 409)
            #expect(again.detail == "Email already registered")

            let short = try await anonymous.post(
                "/api/v1/auth/register", ["email": "x@example.org", "password": "short"])
            #expect(short.status == 422)
            let item = try #require(short.validation.first)
            #expect(item["type"] as? String == "string_too_short")
            #expect(item["loc"] as? [String] == ["body", "password"])
            #expect(item["msg"] is String)

            let missing = try await anonymous.post("/api/v1/auth/register", ["password": "long-enough-1"])
            #expect(missing.status == 422)
            #expect(missing.validation.first?["type"] as? String == "missing")
            #expect(missing.validation.first?["loc"] as? [String] == ["body", "email"])
        }
    }

    @Test func languagesAreSeededWithTheInferredShape() async throws {
        try await withOmnitcode { admin, _, _ in
            let answer = try await admin.get("/api/v1/languages")
            #expect(answer.status == 200)
            let codes = answer.array.compactMap { $0["code"] as? String }
            #expect(Set(codes) == ["en", "sr"])
            let english = try #require(answer.array.first { $0["code"] as? String == "en" })
            #expect(english["is_default"] as? Bool == true)
            #expect(english["is_active"] as? Bool == true)
            #expect(english["id"] is String && english["name"] is String && english.keys.contains("updated_at"))
        }
    }
}
