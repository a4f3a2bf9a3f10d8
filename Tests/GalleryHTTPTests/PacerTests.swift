import GalleryTestSupport
import Testing

@testable import GalleryHTTP

/// The token bucket, on a clock that never sleeps.
@Suite struct PacerTests {
    @Test func burstPassesThenRequestsAreSpacedByTheRate() async throws {
        let clock = ManualClock()
        let pacer = Pacer(rate: 2, burst: 3, clock: clock)
        for _ in 0..<5 { try await pacer.acquire() }
        // Three tokens in the bucket, then one every half second.
        #expect(clock.sleeps == [.milliseconds(500), .milliseconds(500)])
        #expect(clock.now.offset == .seconds(1))
    }

    @Test func idleTimeRefillsTheBucketUpToBurstOnly() async throws {
        let clock = ManualClock()
        let pacer = Pacer(requestsPerMinute: 30, burst: 2, clock: clock)
        try await pacer.acquire()
        try await pacer.acquire()
        clock.advance(by: .seconds(600))
        try await pacer.acquire()
        try await pacer.acquire()
        #expect(clock.sleeps.isEmpty)
        try await pacer.acquire()
        #expect(clock.sleeps == [.seconds(2)])
    }

    @Test func concurrentCallersQueueWithoutOvertaking() async throws {
        let clock = ManualClock()
        let pacer = Pacer(rate: 10, burst: 1, clock: clock)
        // Reservations are made synchronously inside the actor: ten callers get 0, 0.1, …, 0.9 s waits.
        var waits: [Duration] = []
        for _ in 0..<10 { waits.append(await pacer.reserve()) }
        #expect(waits == (0..<10).map { .milliseconds(100 * $0) })
    }

    @Test func pauseHoldsBackTheNextCaller() async throws {
        let clock = ManualClock()
        let pacer = Pacer(rate: 100, burst: 5, clock: clock)
        await pacer.pause(for: .seconds(7))
        try await pacer.acquire()
        #expect(clock.sleeps == [.seconds(7)])
    }
}
