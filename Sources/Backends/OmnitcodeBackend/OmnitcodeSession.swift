import Foundation
import GalleryCore
import GalleryHTTP

/// How Omnitcode hands out credentials: `POST /auth/login` with email and password, then `POST /auth/refresh`
/// with the rotating refresh token (specs in Docs/omnitcode.md). GalleryHTTP's ``SessionCredentials`` decides
/// when to renew and makes concurrent renewals one; this says only how.
enum OmnitcodeSession {
    enum Credentials: Sendable {
        case password(email: String, password: String)
        case token(String)
    }

    /// The authorizer for these credentials: a configured token is used as is; a password logs in first.
    static func authorizer<C: Clock>(_ credentials: Credentials, clock: C) -> SessionCredentials
    where C.Duration == Duration {
        var initial: SessionCredentials.Session?
        if case .token(let token) = credentials { initial = .init(headerValue: "Bearer \(token)") }
        return SessionCredentials(initial: initial, clock: clock) { previous, client in
            try await renew(credentials, previous: previous, client: client)
        }
    }

    /// Refreshes when a refresh token is known, else (or when it was refused) logs in. Both are sent again on
    /// transport errors, 5xx and malformed answers: doing either twice is harmless (a refresh token already
    /// rotated is refused, and a login follows).
    static func renew(_ credentials: Credentials, previous: SessionCredentials.Session?, client: RemoteHTTPClient)
        async throws -> SessionCredentials.Session
    {
        if let refreshToken = previous?.refreshToken {
            do {
                return try await obtain(
                    RemoteRequest.json("POST", "/api/v1/auth/refresh", body: ["refresh_token": refreshToken]),
                    previous: previous, client: client)
            } catch let error as GalleryError where error.code == .auth {
                // Revoked or expired: a fresh login follows when there is a password.
            }
        }
        switch credentials {
        case .password(let email, let password):
            do {
                return try await obtain(
                    RemoteRequest.json("POST", "/api/v1/auth/login", body: ["email": email, "password": password]),
                    previous: previous, client: client)
            } catch let error as GalleryError where error.httpStatus == 422 && isFormLoginRefusal(error) {
                // A deployment built on FastAPI's OAuth2PasswordRequestForm (Docs/omnitcode.md, "Login"): the
                // same credentials as a form, the email as `username`.
                return try await obtain(
                    RemoteRequest.form(
                        "POST", "/api/v1/auth/login", fields: [("username", email), ("password", password)]),
                    previous: previous, client: client)
            }
        case .token:
            throw GalleryError(
                .auth, "The configured token was refused and there is no password to log in again",
                backend: client.configuration.backend,
                hint: "Set `email` and `password` (or a fresh `token`) for this remote in the remotes file.")
        }
    }

    /// A 422 whose validation items ask for `username`: the login wants a form, not JSON.
    static func isFormLoginRefusal(_ error: GalleryError) -> Bool {
        (error.serverMessage ?? error.message).contains("username")
    }

    private static func obtain(
        _ request: RemoteRequest, previous: SessionCredentials.Session?, client: RemoteHTTPClient
    ) async throws -> SessionCredentials.Session {
        var request = request
        request.isIdempotent = true
        request.sendsCredentials = false
        request.obtainsCredentials = true
        let tokens = try await client.json(request, as: OmnitcodeWire.AuthAnswer.self).tokens
        return SessionCredentials.Session(
            headerValue: "Bearer \(tokens.accessToken)",
            refreshToken: tokens.refreshToken ?? previous?.refreshToken,
            lifetime: tokens.expiresIn.map { .seconds($0) })
    }
}
