import Foundation
import GalleryCore
import GalleryHTTP

/// The adapter's login state: the current access token and the rotating refresh token.
///
/// Renewals are serialized: a refresh token works once, so two tasks refreshing at once would lock each other out
/// (the loser gets 401 "revoked"). The first task to see a 401 renews; tasks that saw the same token wait for it
/// and reuse the new one. Each token carries a generation number so a late 401 never triggers a second renewal.
actor OmnitcodeSession {
    enum Credentials: Sendable {
        case password(email: String, password: String)
        case token(String)
    }

    private let client: RemoteHTTPClient
    private let credentials: Credentials
    private var accessToken: String?
    private var refreshToken: String?
    private var expiresAt: Date?
    private var generation = 0
    private var isRenewing = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(client: RemoteHTTPClient, credentials: Credentials) {
        self.client = client
        self.credentials = credentials
        if case .token(let token) = credentials { accessToken = token }
    }

    /// A usable access token and its generation, logging in (or renewing one about to expire) first if needed.
    func current() async throws -> (token: String, generation: Int) {
        if let accessToken, !isAboutToExpire {
            return (accessToken, generation)
        }
        try await renew(seen: generation)
        guard let accessToken else { throw authError("No access token after login", status: nil) }
        return (accessToken, generation)
    }

    private var isAboutToExpire: Bool {
        guard let expiresAt else { return false }
        return expiresAt.timeIntervalSinceNow < 30
    }

    /// Gets a new access token unless one newer than generation `seen` exists already.
    func renew(seen: Int) async throws {
        while isRenewing { await withCheckedContinuation { waiters.append($0) } }
        if generation != seen, accessToken != nil { return }
        isRenewing = true
        defer {
            isRenewing = false
            let waiting = waiters
            waiters = []
            for waiter in waiting { waiter.resume() }
        }
        try await performRenewal()
    }

    private func performRenewal() async throws {
        if let refreshToken {
            do {
                let answer = try await client.json(
                    try RemoteRequest.json("POST", "/api/v1/auth/refresh", body: ["refresh_token": refreshToken]),
                    as: OmnitcodeWire.AuthAnswer.self)
                adopt(answer.tokens)
                return
            } catch let error as GalleryError where error.code == .auth {
                // Revoked or expired: fall through to a fresh login when we can.
                self.refreshToken = nil
            }
        }
        switch credentials {
        case .password(let email, let password):
            let answer = try await client.json(
                try RemoteRequest.json("POST", "/api/v1/auth/login", body: ["email": email, "password": password]),
                as: OmnitcodeWire.AuthAnswer.self)
            adopt(answer.tokens)
        case .token:
            throw authError("The configured token was refused and there is no password to log in again", status: 401)
        }
    }

    private func adopt(_ tokens: OmnitcodeWire.Tokens) {
        accessToken = tokens.accessToken
        if let refresh = tokens.refreshToken { refreshToken = refresh }
        expiresAt = tokens.expiresIn.map { Date().addingTimeInterval(TimeInterval($0)) }
        generation += 1
    }

    private func authError(_ message: String, status: Int?) -> GalleryError {
        GalleryError(
            .auth, message, backend: client.configuration.backend, httpStatus: status,
            hint: "Set `email` and `password` (or a fresh `token`) for this remote in the remotes file.")
    }
}
