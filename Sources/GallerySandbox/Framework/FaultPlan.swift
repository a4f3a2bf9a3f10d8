import Foundation

/// Which faults an emulator injects, set by a CLI flag or the admin route `PUT /__sandbox/faults`.
///
/// Counted faults (`…Next`) hit the next N requests and are what tests use: deterministic and bounded. Rates hit
/// a fraction of requests, drawn from a seeded generator so a chaos run can be repeated.
public struct FaultPlan: Sendable, Codable, Equatable {
    /// Added before every answer.
    public var latencyMilliseconds: Int = 0
    /// The next N requests are answered with the platform's 429 (a burst).
    public var rateLimitNext: Int = 0
    /// The next N requests are answered with the platform's 5xx.
    public var serverErrorNext: Int = 0
    /// The next N answers are cut in the middle of their body (the connection closes).
    public var cutBodyNext: Int = 0
    /// The next N answers keep only the first half of their body and end cleanly, without a length: JSON no longer
    /// parses, and a downloaded file is short with nothing to tell (a proxy that truncates).
    public var malformedJSONNext: Int = 0
    /// Counted faults hit every N-th request instead of the next ones in a row (1): spread over a run, so each
    /// lands on a different request.
    public var countedEvery: Int = 1
    /// Fractions of requests (0…1) that get each fault.
    public var serverErrorRate: Double = 0
    public var rateLimitRate: Double = 0
    public var cutBodyRate: Double = 0
    public var malformedJSONRate: Double = 0
    /// Seeds the generator behind the rates.
    public var seed: UInt64 = 1
    /// When set, only requests whose path starts with this are faulted (e.g. `/uploads/` for downloads only).
    public var pathPrefix: String?

    public init() {}

    // Every field is optional in JSON, so `{"rateLimitNext": 3}` is a whole plan.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try container.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        rateLimitNext = try container.decodeIfPresent(Int.self, forKey: .rateLimitNext) ?? 0
        serverErrorNext = try container.decodeIfPresent(Int.self, forKey: .serverErrorNext) ?? 0
        cutBodyNext = try container.decodeIfPresent(Int.self, forKey: .cutBodyNext) ?? 0
        malformedJSONNext = try container.decodeIfPresent(Int.self, forKey: .malformedJSONNext) ?? 0
        countedEvery = try container.decodeIfPresent(Int.self, forKey: .countedEvery) ?? 1
        serverErrorRate = try container.decodeIfPresent(Double.self, forKey: .serverErrorRate) ?? 0
        rateLimitRate = try container.decodeIfPresent(Double.self, forKey: .rateLimitRate) ?? 0
        cutBodyRate = try container.decodeIfPresent(Double.self, forKey: .cutBodyRate) ?? 0
        malformedJSONRate = try container.decodeIfPresent(Double.self, forKey: .malformedJSONRate) ?? 0
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 1
        pathPrefix = try container.decodeIfPresent(String.self, forKey: .pathPrefix)
    }

    public var isEmpty: Bool { self == FaultPlan() }

    /// A bad network for a whole run: 10 % 5xx, and 3 429s, 5 cut and 5 malformed answers spread one every
    /// `every` requests from the first (a login) on.
    public static func badNetwork(every: Int, seed: UInt64) -> FaultPlan {
        var plan = FaultPlan()
        plan.countedEvery = every
        plan.rateLimitNext = 3
        plan.cutBodyNext = 5
        plan.malformedJSONNext = 5
        plan.serverErrorRate = 0.1
        plan.seed = seed
        return plan
    }

    /// Parses `latency=50,error-rate=0.1,rate-limit=3,cut=1,malformed=1,every=40,cut-rate=0.05,malformed-rate=0.05,seed=7,path=/uploads/`.
    public init(parsing spec: String) throws {
        for pair in spec.split(separator: ",") where !pair.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw FaultPlanError(message: "expected key=value, got '\(pair)'") }
            let key = parts[0]
            let value = parts[1]
            func int() throws -> Int {
                guard let number = Int(value), number >= 0 else {
                    throw FaultPlanError(message: "\(key) needs a count, got '\(value)'")
                }
                return number
            }
            func rate() throws -> Double {
                guard let number = Double(value), (0...1).contains(number) else {
                    throw FaultPlanError(message: "\(key) needs a fraction 0…1, got '\(value)'")
                }
                return number
            }
            switch key {
            case "latency": latencyMilliseconds = try int()
            case "rate-limit": rateLimitNext = try int()
            case "error": serverErrorNext = try int()
            case "cut": cutBodyNext = try int()
            case "malformed": malformedJSONNext = try int()
            case "every": countedEvery = max(1, try int())
            case "error-rate": serverErrorRate = try rate()
            case "rate-limit-rate": rateLimitRate = try rate()
            case "cut-rate": cutBodyRate = try rate()
            case "malformed-rate": malformedJSONRate = try rate()
            case "seed": seed = UInt64(try int())
            case "path": pathPrefix = value
            default: throw FaultPlanError(message: "unknown fault '\(key)'")
            }
        }
    }
}

/// A fault specification that cannot be read.
public struct FaultPlanError: Error, CustomStringConvertible {
    public var message: String
    public var description: String { "Bad fault specification: \(message)" }
}
