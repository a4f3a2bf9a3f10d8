/// Where a write that takes several requests records the server ids it obtains, so that a retry, or a run
/// resumed after a kill, continues it instead of starting over and leaving the first requests' results behind
/// as orphans (an uploaded file never linked to its gallery).
///
/// The engine hands each item write its own checkpoint, backed by the run's journal: what one attempt records,
/// every later attempt of the same step sees, in this run or the next. A backend whose writes are one request
/// ignores it.
public protocol WriteCheckpoint: Sendable {
    /// What earlier attempts of this write recorded, by name.
    func recorded() async throws -> [String: String]
    /// Records `value` under `name`, durably before it returns: a process killed right after still finds it.
    func record(_ name: String, _ value: String) async throws
}

/// A checkpoint that keeps nothing: for callers outside the engine, and tests.
public struct NoCheckpoint: WriteCheckpoint {
    public init() {}
    public func recorded() async throws -> [String: String] { [:] }
    public func record(_ name: String, _ value: String) async throws {}
}
