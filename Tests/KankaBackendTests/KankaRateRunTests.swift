import Foundation
import GalleryConformance
import GalleryCore
import GallerySandbox
import KankaBackend
import Testing

/// A copy-like run into Kanka at a short window (30 requests per 3 s, real time): the steady-state rate (from the
/// second window on) stays at ≥ 95 % of the limit with at most one 429 per window, and every item arrives byte
/// for byte.
@Suite struct KankaRateRunTests {
    static let items = 200
    static let window: Duration = .seconds(3)

    @Test(.timeLimit(.minutes(2)))
    func twoHundredItemsAtTheLimit() async throws {
        var options = KankaEmulator.Options()
        options.rateWindow = Self.window
        try await withKanka(options) { kanka in
            let folder = GalleryID(try await kanka.emulator.createFolder(name: "Copy"))
            let backend = kanka.backend(window: Self.window)
            let started = ContinuousClock.now
            try await Self.copy(into: backend, folder: folder)
            let gallery = try await backend.gallery(folder)
            let copySeconds = started.duration(to: .now)

            let windows = await kanka.emulator.throttleWindows()
            let rate = try #require(windows.sustainedRate(limit: 30, window: Self.window))
            let requests = windows.reduce(0) { $0 + $1.counted }
            print("kanka 200-item run: \(requests) requests in \(windows.count) windows, \(copySeconds), sustained rate \(Int(rate * 1000) / 10)% of the limit (\(Int((windows.rate(limit: 30, window: Self.window) ?? 0) * 1000) / 10)% from the first window), max 429s per window \(windows.maxThrottledPerWindow)")
            let detail = windows.map { "\($0.start): \($0.counted)/\($0.throttled)" }.joined(separator: ", ")
            #expect(rate >= 0.95, "sustained rate \(rate); windows \(detail)")
            #expect(rate <= 1.0001, "more than the limit got through: \(rate)")
            #expect(windows.maxThrottledPerWindow <= 1)

            // Verification by bytes: every item listed once, each original hashing to its source.
            #expect(gallery.items.count == Self.items)
            let byName = Dictionary(uniqueKeysWithValues: gallery.items.map { ($0.filename, $0) })
            for index in 0..<Self.items {
                let item = try #require(byName[Self.filename(index)])
                let read = try await SHA256Digester.digest(of: backend.openItem(ItemRef(gallery: folder, item: item.id)))
                #expect(read.sha256 == (try await SyntheticImage.sha256(byteCount: Self.size(index), seed: UInt64(index))))
                #expect(item.caption == Self.caption(index))
            }
        }
    }

    static func filename(_ index: Int) -> String { "item-\(index).jpg" }
    static func size(_ index: Int) -> Int64 { Int64(1_000 + (index * 37) % 3_000) }
    static func caption(_ index: Int) -> String? { index % 4 == 0 ? "Caption \(index)" : nil }

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
                            let spec = SyntheticImage.spec(filename(index), byteCount: size(index),
                                metadata: ItemMetadata(caption: caption(index)))
                            _ = try await backend.addItem(to: folder, spec: spec,
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
