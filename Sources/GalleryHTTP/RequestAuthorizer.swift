import GalleryCore

/// The credential headers of one request, and which generation of credentials they are.
public struct Credentials: Sendable {
    public var headers: [(name: String, value: String)]
    /// Grows by one with every renewal, so a late 401 for old credentials never renews twice.
    public var generation: Int

    public init(headers: [(name: String, value: String)], generation: Int = 0) {
        self.headers = headers
        self.generation = generation
    }
}

/// Adds credentials to every request a ``RemoteHTTPClient`` sends to its API, and renews them when the server
/// refuses them.
///
/// The lifecycle asks for ``credentials(client:)`` before each attempt. When the answer is ``ResponseVerdict``
/// `.unauthorized`, it calls ``renew(after:client:)`` once for that request with the generation it sent, then
/// sends the request again if its body can be sent again; a spent stream fails as a retryable `auth` error
/// instead, for the caller to send with fresh bytes on the fresh credentials. Requests the authorizer itself
/// sends (a login) go through `client` with ``RemoteRequest/sendsCredentials`` false.
public protocol RequestAuthorizer: Sendable {
    /// The credentials to send now, obtained through `client` first when there are none yet (or they are about
    /// to expire).
    func credentials(client: RemoteHTTPClient) async throws -> Credentials
    /// Renews the credentials unless a generation newer than `seen` exists already. Concurrent callers that saw
    /// the same generation share one renewal. Throws `auth` when the credentials cannot be renewed: without a
    /// server message, the request fails with the server's refusal and this error's hint.
    func renew(after seen: Int, client: RemoteHTTPClient) async throws
}

/// Sends no credentials: public origins (a CDN, a presigned upload URL).
public struct NoCredentials: RequestAuthorizer {
    public init() {}

    public func credentials(client: RemoteHTTPClient) async throws -> Credentials { Credentials(headers: []) }

    public func renew(after seen: Int, client: RemoteHTTPClient) async throws {
        throw GalleryError(
            .auth, "The server asks for credentials this request does not carry",
            backend: client.configuration.backend,
            hint: "Check the remote's URL options: this origin was expected to be public.")
    }
}

/// One fixed header, such as `Authorization: Token <key>` or `Authorization: Bearer <personal token>`. A refused
/// key cannot be renewed: the request fails as `auth` with the given hint.
public struct StaticCredentials: RequestAuthorizer {
    public var name: String
    public var value: String
    public var hint: String

    public init(
        name: String = "Authorization",
        value: String,
        hint: String = "Check the remote's token (it may have been revoked or mistyped)."
    ) {
        self.name = name
        self.value = value
        self.hint = hint
    }

    public func credentials(client: RemoteHTTPClient) async throws -> Credentials {
        Credentials(headers: [(name, value)])
    }

    public func renew(after seen: Int, client: RemoteHTTPClient) async throws {
        throw GalleryError(
            .auth, "The server refused the configured credentials", backend: client.configuration.backend, hint: hint)
    }
}

/// Credentials a service hands out and takes back: a login, then an access token that expires and a refresh
/// token that may rotate.
///
/// Renewals are serialised: the first caller to see a refusal runs `renew`; callers that saw the same
/// generation meanwhile wait for that renewal and use its result (a refresh token that works only once would
/// otherwise lock the losers out). Credentials about to expire are renewed before they are sent.
public actor SessionCredentials: RequestAuthorizer {
    /// What a login or refresh obtained.
    public struct Session: Sendable {
        /// The credential header's value (`Bearer eyJ…`).
        public var headerValue: String
        /// Whatever the next renewal needs (a refresh token); `nil` when it must log in afresh.
        public var refreshToken: String?
        /// How long the credentials are good for, when the service said.
        public var lifetime: Duration?

        public init(headerValue: String, refreshToken: String? = nil, lifetime: Duration? = nil) {
            self.headerValue = headerValue
            self.refreshToken = refreshToken
            self.lifetime = lifetime
        }
    }

    /// Obtains a session, given the last one (`nil` before the first). It sends its requests through `client`
    /// with ``RemoteRequest/sendsCredentials`` false.
    public typealias Renewal = @Sendable (_ previous: Session?, _ client: RemoteHTTPClient) async throws -> Session

    private let headerName: String
    private let renewAhead: Duration
    private let clock: ErasedClock
    private let renewal: Renewal
    private var session: Session?
    private var expiresAt: Duration?
    private var generation = 0
    private var running: Task<Void, any Error>?

    /// - Parameters:
    ///   - initial: Credentials known up front (a configured access token).
    ///   - renewAhead: How long before its expiry a session is renewed rather than sent.
    public init<C: Clock>(
        headerName: String = "Authorization",
        initial: Session? = nil,
        renewAhead: Duration = .seconds(30),
        clock: C,
        renew: @escaping Renewal
    ) where C.Duration == Duration {
        self.headerName = headerName
        self.renewAhead = renewAhead
        let erased = ErasedClock(clock)
        self.clock = erased
        self.renewal = renew
        self.session = initial
        self.expiresAt = initial?.lifetime.map { erased.elapsed() + $0 }
    }

    public func credentials(client: RemoteHTTPClient) async throws -> Credentials {
        if session == nil || isAboutToExpire { try await renew(after: generation, client: client) }
        guard let session else {
            throw GalleryError(.auth, "No credentials after logging in", backend: client.configuration.backend)
        }
        return Credentials(headers: [(headerName, session.headerValue)], generation: generation)
    }

    public func renew(after seen: Int, client: RemoteHTTPClient) async throws {
        if let running {
            try await running.value
            return
        }
        if generation > seen, session != nil, !isAboutToExpire { return }
        let previous = session
        let renewal = self.renewal
        // Runs on this actor: the new session is adopted before anyone awaiting the task resumes.
        let task = Task {
            defer { self.running = nil }
            let fresh = try await renewal(previous, client)
            self.adopt(fresh)
        }
        running = task
        try await task.value
    }

    /// How many times credentials were obtained (for tests and logs).
    public var renewals: Int { generation }

    private func adopt(_ fresh: Session) {
        session = fresh
        expiresAt = fresh.lifetime.map { clock.elapsed() + $0 }
        generation += 1
    }

    private var isAboutToExpire: Bool {
        guard let expiresAt else { return false }
        return expiresAt - clock.elapsed() < renewAhead
    }
}
