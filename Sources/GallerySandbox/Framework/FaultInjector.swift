import Synchronization

/// Holds one emulator's ``FaultPlan`` and decides, request by request, which fault (if any) to inject.
public final class FaultInjector: Sendable {
    /// What to do with one request.
    public struct Decision: Sendable, Equatable {
        public var latencyMilliseconds = 0
        public var replaceWith: InjectedFault?
        public var cutBody = false
        public var malformJSON = false
    }

    private struct State {
        var plan: FaultPlan
        var generator: SplitMix64
        var injected: [String: Int] = [:]
        /// Requests seen since the plan was set, for ``FaultPlan/countedEvery``.
        var requests = 0
    }
    private let state: Mutex<State>

    public init(_ plan: FaultPlan = FaultPlan()) {
        state = Mutex(State(plan: plan, generator: SplitMix64(seed: plan.seed)))
    }

    public var plan: FaultPlan { state.withLock { $0.plan } }

    /// How many faults of each kind were injected so far (for tests and the admin route).
    public var injectedCounts: [String: Int] { state.withLock { $0.injected } }

    public func set(_ plan: FaultPlan) {
        state.withLock {
            $0.plan = plan
            $0.generator = SplitMix64(seed: plan.seed)
            $0.requests = 0
        }
    }

    /// Draws the decision for a request to `path`, consuming counted faults first.
    public func decide(path: String = "/") -> Decision {
        state.withLock { state in
            var decision = Decision(latencyMilliseconds: state.plan.latencyMilliseconds)
            if let prefix = state.plan.pathPrefix, !path.hasPrefix(prefix) { return Decision() }
            let countedTurn = state.requests % max(1, state.plan.countedEvery) == 0
            state.requests += 1
            func take(_ count: inout Int, _ rate: Double, _ name: String) -> Bool {
                if count > 0, countedTurn {
                    count -= 1
                } else if rate > 0, state.generator.nextUnit() < rate {
                    // drawn
                } else {
                    return false
                }
                state.injected[name, default: 0] += 1
                return true
            }
            if take(&state.plan.rateLimitNext, state.plan.rateLimitRate, "rateLimited") {
                decision.replaceWith = .rateLimited
            } else if take(&state.plan.serverErrorNext, state.plan.serverErrorRate, "serverError") {
                decision.replaceWith = .serverError
            } else if take(&state.plan.cutBodyNext, state.plan.cutBodyRate, "cutBody") {
                decision.cutBody = true
            } else if take(&state.plan.malformedJSONNext, state.plan.malformedJSONRate, "malformedJSON") {
                decision.malformJSON = true
            }
            return decision
        }
    }
}

/// A small, seedable generator so fault rates repeat from run to run.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
