/// A value loaded once and shared: every caller that asks while the load runs waits for that same load, and
/// later callers get its result. A failed load is forgotten, so the next caller tries again.
///
/// For lookups many concurrent writes need (a library listing, a table read once per run): without it, each
/// write would send the same requests, or two writes could each settle on a different answer.
public actor SharedLoad<Value: Sendable> {
    private var task: Task<Value, any Error>?

    public init() {}

    public func value(_ load: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = self.task ?? Task { try await load() }
        self.task = task
        do {
            return try await task.value
        } catch {
            self.task = nil
            throw error
        }
    }
}
