/// The outcome of a conformance run: one result per check.
public struct ConformanceReport: Sendable, CustomStringConvertible {
    public struct Result: Sendable {
        public var name: String
        public var passed: Bool
        /// Why it failed, or what it proved.
        public var detail: String
    }

    public var backend: String
    public var results: [Result]

    public var failures: [Result] { results.filter { !$0.passed } }
    public var checksRun: Int { results.count }

    public var description: String {
        var lines = ["conformance of \(backend): \(results.count - failures.count) passed, \(failures.count) failed"]
        for result in failures { lines.append("  FAIL \(result.name): \(result.detail)") }
        return lines.joined(separator: "\n")
    }
}

/// A check's failure, with what was expected.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
