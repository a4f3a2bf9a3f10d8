import GalleryHTTP
import GalleryTestSupport
import Synchronization
import Testing

/// The governor on a manual clock: every wait is a jump in time, never a real sleep.
@Suite struct WindowGovernorTests {
    @Test func grantsTheWholeBudgetThenWaitsForTheWindowToRoll() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(60), clock: clock)
        let start = clock.now
        // The probe came back 200 ms after it left: the server's window opened before that.
        let probe = try await governor.acquire()
        clock.advance(by: .milliseconds(200))
        await governor.completed(probe, remaining: 29, limit: 30)
        var tickets: [WindowGovernor.Ticket] = []
        for _ in 1..<30 { tickets.append(try await governor.acquire()) }
        #expect(start.duration(to: clock.now) == .milliseconds(200))
        for (index, ticket) in tickets.enumerated() {
            await governor.completed(ticket, remaining: 28 - index, limit: 30)
        }
        _ = try await governor.acquire()
        let waited = start.duration(to: clock.now)
        // Window end = the probe's answer + 60 s + the 1 s margin for Laravel's whole seconds.
        #expect(waited == .milliseconds(200) + .seconds(61))
        #expect(await governor.stats.windows == 2)
    }

    @Test func learnsFromRemainingAndLimitHeaders() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 90, window: .seconds(60), clock: clock)
        let first = try await governor.acquire()
        // The server says this user has 30 per minute and someone else already spent 26 of them.
        await governor.completed(first, remaining: 3, limit: 30)
        #expect(await governor.limit == 30)
        for _ in 0..<3 {
            let ticket = try await governor.acquire()
            await governor.completed(ticket, remaining: nil, limit: nil)
        }
        #expect(clock.now.offset == .zero)
        _ = try await governor.acquire()
        #expect(clock.now.offset == .seconds(61))
    }

    /// Until the window's first request answers, nobody else is let through: its answer tells what is left.
    @Test func theRestOfAWindowWaitsForItsProbe() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(60), clock: clock)
        let probe = try await governor.acquire()
        try await Self.expectAcquireHeldBack(
            by: governor, "a second request went out before the probe answered"
        ) {
            // The server counted 25 requests already (someone else's): five are left, one of them ours now.
            await governor.completed(probe, remaining: 5, limit: 30)
        }
        #expect(await governor.stats.granted == 2)
    }

    /// A request of the old window still in flight when it rolls would be counted in the new one: the new window
    /// opens only once it is back.
    @Test func aNewWindowOpensOnlyWhenTheOldOnesRequestsAreBack() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 2, window: .seconds(10), clock: clock)
        let probe = try await governor.acquire()
        await governor.completed(probe, remaining: 1, limit: 2)
        let straggler = try await governor.acquire()
        try await Self.expectAcquireHeldBack(
            by: governor, "a new window opened with a request of the old one in flight"
        ) {
            // The window has rolled on the clock, but the straggler is still out.
            #expect(clock.now.offset >= .seconds(10))
            await governor.completed(straggler, remaining: nil, limit: nil)
        }
        #expect(await governor.stats.windows == 2)
    }

    /// A refused probe is the window's only 429: nothing else was sent, and everyone waits for the roll.
    @Test func aRefusedProbeHoldsEveryoneBack() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(10), clock: clock)
        let probe = try await governor.acquire()
        let wait = await governor.throttled(probe)
        #expect(wait == .seconds(10) + governor.margin)
        let next = try await governor.acquire()
        #expect(clock.now.offset == .seconds(10) + governor.margin)
        await governor.completed(next, remaining: 29, limit: 30)
        #expect(await governor.stats.throttled == 1)
        #expect(await governor.stats.windows == 2)
    }

    @Test func aHeaderless429MakesEveryoneWaitForTheWindow() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(60), clock: clock)
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
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 30, window: .seconds(10), clock: clock)
        let ticket = try await governor.acquire()
        // Refused before anything completed: someone else holds the window, which ends within one window.
        let wait = await governor.throttled(ticket)
        #expect(wait == .seconds(10) + governor.margin)
    }

    @Test func aReleasedSlotCanBeUsedAgain() async throws {
        let clock = ManualClock()
        let governor = WindowGovernor(limit: 2, window: .seconds(60), clock: clock)
        let first = try await governor.acquire()
        await governor.completed(first, remaining: 1, limit: 2)
        let spare = try await governor.acquire()
        await governor.release(spare)
        _ = try await governor.acquire()
        #expect(clock.now.offset == .zero)
        #expect(await governor.stats.granted == 2)
    }
}

extension WindowGovernorTests {
    /// Starts an `acquire` in the background, requires it to be still waiting once the scheduler has run, lets
    /// `release` hand something back, and requires the `acquire` to finish then.
    static func expectAcquireHeldBack(
        by governor: WindowGovernor,
        _ failure: Comment,
        until release: () async -> Void
    ) async throws {
        let granted = Flag()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await governor.acquire()
                granted.set()
            }
            for _ in 0..<50 { await Task.yield() }
            #expect(!granted.isSet, failure)
            await release()
            try await group.waitForAll()
        }
        #expect(granted.isSet)
    }
}

/// A flag a child task sets and the test reads.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
}
