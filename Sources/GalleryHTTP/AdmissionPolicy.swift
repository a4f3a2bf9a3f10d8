/// A request slot an ``AdmissionPolicy`` granted. Every ticket goes back exactly once: through
/// ``AdmissionPolicy/completed(_:answer:)``, ``AdmissionPolicy/throttled(_:suggested:)`` or
/// ``AdmissionPolicy/release(_:)``.
public struct AdmissionTicket: Sendable, Hashable {
    /// Which of the policy's windows granted it (policies without windows use 0).
    public let window: Int

    public init(window: Int = 0) { self.window = window }
}

/// Decides when a request to one remote may be sent, shared by every task that talks to that remote.
///
/// The lifecycle acquires a ticket before each send, then reports what became of it: an answer (whose
/// `X-RateLimit-*` and `Retry-After` headers the policy may learn from), a failure without answer (`nil`), or a
/// 429. After a 429 the policy says how long every caller now waits; the lifecycle waits that long before the
/// request's next attempt, and the policy's ``acquire()`` holds back everyone else.
public protocol AdmissionPolicy: Sendable {
    /// Waits until a request may be sent and counts it.
    func acquire() async throws -> AdmissionTicket
    /// The request got an answer other than a 429 (`answer`), or failed before one arrived (`nil`).
    func completed(_ ticket: AdmissionTicket, answer: RemoteAnswer?) async
    /// The request was refused as over the limit. `suggested` is the server's `Retry-After`, else the retry
    /// backoff. Returns how long every caller now waits.
    func throttled(_ ticket: AdmissionTicket, suggested: Duration) async -> Duration
    /// Hands back a ticket that was not used for a request.
    func release(_ ticket: AdmissionTicket) async
}

/// Sends every request at once: for remotes without a rate limit, and origins other than the API's.
public struct UnlimitedAdmission: AdmissionPolicy {
    public init() {}
    public func acquire() async throws -> AdmissionTicket { AdmissionTicket() }
    public func completed(_ ticket: AdmissionTicket, answer: RemoteAnswer?) async {}
    public func throttled(_ ticket: AdmissionTicket, suggested: Duration) async -> Duration { suggested }
    public func release(_ ticket: AdmissionTicket) async {}
}
