/// The outcome of a conformance run: one result per check, each passed, skipped or failed.
public struct ConformanceReport: Sendable, CustomStringConvertible {
    public enum Outcome: String, Sendable, Hashable {
        /// The check ran and what it checks holds (including "an undeclared capability is refused").
        case passed
        /// The check does not apply: a capability it needs is not declared (the reason says which).
        case skipped
        case failed
    }

    public struct Result: Sendable {
        public var name: String
        public var outcome: Outcome
        /// Why it failed or was skipped, or what it proved.
        public var detail: String

        public var passed: Bool { outcome == .passed }
    }

    public var backend: String
    public var results: [Result]

    public var failures: [Result] { results.filter { $0.outcome == .failed } }
    /// The names of the checks that passed.
    public var passed: Set<String> { Set(results.filter { $0.outcome == .passed }.map(\.name)) }
    /// The names of the checks that did not apply.
    public var skipped: Set<String> { Set(results.filter { $0.outcome == .skipped }.map(\.name)) }
    public var checksRun: Int { results.count }

    public var description: String {
        var lines = [
            "conformance of \(backend): \(passed.count) passed, \(skipped.count) skipped, \(failures.count) failed"
        ]
        for result in failures { lines.append("  FAIL \(result.name): \(result.detail)") }
        for result in results where result.outcome == .skipped {
            lines.append("  skip \(result.name): \(result.detail)")
        }
        return lines.joined(separator: "\n")
    }
}

/// A check's failure, with what was expected.
struct CheckFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A check that does not apply to this backend, and why: reported as skipped, never as passed.
struct CheckSkipped: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
