import KankaBackend
import Testing

/// The governor on a manual clock: every wait is a jump in time, never a real sleep.
@Suite struct KankaRateGovernorTests {
    @Test func grantsTheWholeBudgetThenWaitsForTheWindowToRoll() async throws {
        let clock = KankaTestClock()
        let governor = KankaRateGovernor(limit: 30, window: .seconds(60), clock: clock)
        let start = clock.now
        var first: KankaRateGovernor.Ticket?
        for index in 0..<30 {
            let ticket = try await governor.acquire()
            if index == 0 { first = ticket }
        }
        #expect(start.duration(to: clock.now) == .zero)
        // The first request came back 200 ms after it left: the server's window opened before that.
        clock.advance(by: .milliseconds(200))
        await governor.completed(try #require(first), remaining: 29, limit: 30)
        _ = try await governor.acquire()
        let waited = start.duration(to: clock.now)
        // Window end = first completion + 60 s + the 1 s margin for Laravel's whole seconds.
        #expect(waited == .milliseconds(200) + .seconds(61))
        #expect(await governor.stats.windows == 2)
    }

    @Test func learnsFromRemainingAndLimitHeaders() async throws {
        let clock = KankaTestClock()
        let governor = KankaRateGovernor(limit: 90, window: .seconds(60), clock: clock)
        let first = try await governor.acquire()
        // The server says this user has 30 per minute and someone else already spent 26 of them.
        await governor.completed(first, remaining: 3, limit: 30)
        #expect(await governor.limit == 30)
        for _ in 0..<3 { _ = try await governor.acquire() }
        #expect(clock.now.offset == .zero)
        _ = try await governor.acquire()
        #expect(clock.now.offset == .seconds(61))
    }

    @Test func aHeaderless429MakesEveryoneWaitForTheWindow() async throws {
        let clock = KankaTestClock()
        let governor = KankaRateGovernor(limit: 30, window: .seconds(60), clock: clock)
        let first = try await governor.acquire()
        clock.advance(by: .milliseconds(100))
        await governor.completed(first, remaining: nil, limit: nil)
        let second = try await governor.acquire()
        clock.advance(by: .seconds(5))
        let wait = await governor.throttled(second)
        #expect(wait == .seconds(56))
        _ = try await governor.acquire()
        #expect(clock.now.offset == .seconds(61) + .milliseconds(100))
        #expect(await governor.stats.throttled == 1)
    }

    @Test func a429WithNoKnownWindowWaitsAFullWindow() async throws {
        let clock = KankaTestClock()
        let governor = KankaRateGovernor(limit: 30, window: .seconds(10), clock: clock)
        let ticket = try await governor.acquire()
        // Refused before anything completed: someone else holds the window, which ends within one window.
        let wait = await governor.throttled(ticket)
        #expect(wait == .seconds(10) + governor.margin)
    }

    @Test func aReleasedSlotCanBeUsedAgain() async throws {
        let clock = KankaTestClock()
        let governor = KankaRateGovernor(limit: 2, window: .seconds(60), clock: clock)
        let first = try await governor.acquire()
        await governor.completed(first, remaining: 1, limit: 2)
        let spare = try await governor.acquire()
        await governor.release(spare)
        _ = try await governor.acquire()
        #expect(clock.now.offset == .zero)
        #expect(await governor.stats.granted == 2)
    }
}
