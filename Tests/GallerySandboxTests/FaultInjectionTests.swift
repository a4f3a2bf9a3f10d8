import AsyncHTTPClient
import Foundation
import GallerySandbox
import NIOHTTP1
import Testing

/// Faults in the platform's own shape, set by the admin route or in code; counted, so each test is bounded.
@Suite struct FaultInjectionTests {
    @Test func rateLimitBurstThenNormalService() async throws {
        try await withOmnitcode { admin, anonymous, _ in
            let set = try await anonymous.send(.PUT, "/__sandbox/faults", json: ["rateLimitNext": 2])
            #expect(set.status == 200)
            let first = try await admin.get("/api/v1/galleries")
            #expect(first.status == 429)
            #expect(first.object["error"] as? String == "Rate limit exceeded: 60 per 1 minute")
            #expect(try await admin.get("/api/v1/galleries").status == 429)
            #expect(try await admin.get("/api/v1/galleries").status == 200)
            let state = try await anonymous.get("/__sandbox/faults")
            #expect((state.object["injected"] as? [String: Any])?["rateLimited"] as? Int == 2)
        }
    }

    @Test func serverErrorsMalformedJSONAndLatency() async throws {
        try await withOmnitcode { admin, anonymous, endpoint in
            var plan = FaultPlan()
            plan.serverErrorNext = 1
            plan.malformedJSONNext = 1
            endpoint.faults.set(plan)
            let failed = try await admin.get("/api/v1/languages")
            #expect(failed.status == 500)
            #expect(String(decoding: failed.bytes, as: UTF8.self) == "Internal Server Error")
            let malformed = try await admin.get("/api/v1/languages")
            #expect(malformed.status == 200)
            #expect(!malformed.bytes.isEmpty)
            #expect(malformed.json == nil)
            #expect(try await admin.get("/api/v1/languages").json != nil)

            #expect(
                try await anonymous.send(.PUT, "/__sandbox/faults", json: ["latencyMilliseconds": 150]).status == 200)
            let started = ContinuousClock.now
            #expect(try await admin.get("/api/v1/languages").status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(150))
            #expect(try await anonymous.send(.DELETE, "/__sandbox/faults").status == 204)
        }
    }

    @Test func aCutBodyEndsTheConnectionMidway() async throws {
        try await withOmnitcode(.init(seed: .demo)) { admin, anonymous, endpoint in
            let media = try await admin.get("/api/v1/media").array
            let path = try #require(media.first?["path"] as? String)
            var plan = FaultPlan()
            plan.cutBodyNext = 1
            endpoint.faults.set(plan)
            await #expect(throws: (any Error).self) {
                _ = try await anonymous.get("/\(path)")
            }
            #expect(try await anonymous.get("/\(path)").status == 200)
        }
    }

    @Test func specsParseAndRejectNonsense() throws {
        let plan = try FaultPlan(parsing: "latency=20,error=1,rate-limit=3,cut-rate=0.5,seed=9")
        #expect(plan.latencyMilliseconds == 20)
        #expect(plan.serverErrorNext == 1)
        #expect(plan.rateLimitNext == 3)
        #expect(plan.cutBodyRate == 0.5)
        #expect(plan.seed == 9)
        #expect(throws: FaultPlanError.self) { try FaultPlan(parsing: "error-rate=2") }
        #expect(throws: FaultPlanError.self) { try FaultPlan(parsing: "explode=1") }
    }

    @Test func ratesAreRepeatableFromTheirSeed() {
        var plan = FaultPlan()
        plan.serverErrorRate = 0.3
        plan.seed = 42
        let first = FaultInjector(plan)
        let second = FaultInjector(plan)
        let a = (0..<200).map { _ in first.decide().replaceWith }
        let b = (0..<200).map { _ in second.decide().replaceWith }
        #expect(a == b)
        let hits = a.filter { $0 == .serverError }.count
        #expect(hits > 30 && hits < 90)
    }
}
