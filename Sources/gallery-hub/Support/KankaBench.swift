import AsyncHTTPClient
import Foundation
import GalleryCore
import GallerySandbox
import KankaBackend
import Logging

/// `gallery-hub bench kanka`: uploads synthetic images into an in-process Kanka emulator whose throttle has a
/// short window, through the real adapter, and reads the emulator's throttle windows to measure how close the
/// governor keeps the request rate to the limit (Docs/cli.md, "Benchmarks": ≥ 95 % with at most one 429 per window).
struct KankaBench {
    struct Result: Encodable {
        var items: Int
        var transfers: Int
        var limit: Int
        var windowSeconds: Double
        var requests: Int
        var windows: Int
        /// Requests from the second window to the last ÷ (that time × limit ÷ window): the steady state.
        var sustainedRate: Double?
        /// The same from the very first window, warm-up included.
        var overallRate: Double?
        /// Over the windows the run used up: how soon each next window started once the limit bound.
        var limitBoundRate: Double?
        var throttled: Int
        var maxThrottledPerWindow: Int
        var seconds: Double
        var itemsPerSecond: Double
        var verified: Int

        var text: String {
            let bound = limitBoundRate.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a"
            let overall = overallRate.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a"
            let rate = sustainedRate.map { String(format: "%.1f %%", $0 * 100) } ?? "n/a (too few windows)"
            return """
                kanka: \(items) items (\(transfers) transfers) at \(limit) requests / \(windowSeconds) s
                  requests      \(requests) in \(windows) windows, \(String(format: "%.1f", seconds)) s (\(String(format: "%.1f", itemsPerSecond)) items/s)
                  sustained     \(rate) of the limit (goal ≥ 95 %); \(overall) including the first window
                  limit-bound   \(bound) over the windows the run used up
                  429s          \(throttled) in all, at most \(maxThrottledPerWindow) per window (goal ≤ 1)
                  verified      \(verified)/\(items) by SHA-256 of the originals
                """
        }
    }

    var items: Int
    var transfers: Int
    var limit: Int
    var window: Duration
    /// Every n-th item gets a caption (one more request each); 0 for none.
    var captionEvery: Int

    func run(progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        var options = KankaEmulator.Options()
        options.rateLimit = limit
        options.rateWindow = window
        let emulator = try KankaEmulator(options: options)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await withSandbox([emulator], logger: Logger(label: "bench.kanka.sandbox")) { sandbox in
                try await measure(emulator: emulator, endpoint: sandbox["kanka"]!, http: http, progress: progress)
            }
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func measure(
        emulator: KankaEmulator, endpoint: Sandbox.Endpoint, http: HTTPClient,
        progress: @escaping @Sendable (String) -> Void
    ) async throws -> Result {
        let folder = GalleryID(try await emulator.createFolder(name: "Bench"))
        let configuration = KankaBackend.Configuration(
            name: "bench-kanka", baseURL: endpoint.baseURL, token: emulator.options.token,
            campaign: String(emulator.options.campaignID), cdnURL: KankaEmulator.cdnPath, requestsPerMinute: limit,
            // The emulator's throttle keeps exact time: no whole-second slack as on the real service.
            window: window, windowMargin: .milliseconds(10))
        let backend = KankaBackend.make(configuration, httpClient: http, logger: Logger(label: "bench.kanka"))
        let started = ContinuousClock.now
        try await upload(into: backend, folder: folder, progress: progress)
        let seconds = Self.seconds(started.duration(to: .now))
        progress("verifying by reading every original back")
        let verified = try await verify(backend, folder: folder)
        let windows = await emulator.throttleWindows()
        return Result(
            items: items, transfers: transfers, limit: limit, windowSeconds: Self.seconds(window),
            requests: windows.reduce(0) { $0 + $1.counted }, windows: windows.count,
            sustainedRate: windows.sustainedRate(limit: limit, window: window),
            overallRate: windows.rate(limit: limit, window: window),
            limitBoundRate: windows.limitBoundRate(limit: limit, window: window)?.rate,
            throttled: windows.reduce(0) { $0 + $1.throttled }, maxThrottledPerWindow: windows.maxThrottledPerWindow,
            seconds: seconds, itemsPerSecond: Double(items) / max(seconds, 0.001), verified: verified)
    }

    /// `transfers` upload requests' worth of files in flight (as the engine keeps them, so batches fill); a
    /// retryable failure (a 429 on an upload) is tried again, as the engine does.
    private func upload(into backend: KankaBackend, folder: GalleryID, progress: @escaping @Sendable (String) -> Void)
        async throws
    {
        let captionEvery = captionEvery
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            var done = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let size = Self.size(index)
                    let caption = captionEvery > 0 && index % captionEvery == 0 ? "Bench image \(index)" : nil
                    for attempt in 1...4 {
                        do {
                            let spec = ItemSpec(
                                filename: "bench-\(index).jpg", mimeType: "image/jpeg", byteCount: size,
                                metadata: ItemMetadata(caption: caption))
                            _ = try await backend.addItem(to: folder, spec: spec, bytes: Self.image(index))
                            return
                        } catch let error as GalleryError where error.isRetryable && attempt < 4 {
                            continue
                        }
                    }
                }
            }
            let inFlight = transfers * backend.capabilities.itemsPerRequest
            for _ in 0..<min(inFlight, items) { add() }
            while try await group.next() != nil {
                done += 1
                if done % 25 == 0 { progress("\(done)/\(items) uploaded") }
                if next < items { add() }
            }
        }
    }

    private func verify(_ backend: KankaBackend, folder: GalleryID) async throws -> Int {
        let gallery = try await backend.gallery(folder)
        var verified = 0
        for item in gallery.items {
            guard item.filename.hasPrefix("bench-"), let index = Int(item.filename.dropFirst(6).prefix { $0.isNumber })
            else { continue }
            let read = try await SHA256Digester.digest(of: backend.openItem(ItemRef(gallery: folder, item: item.id)))
            let want = try await SHA256Digester.digest(of: Self.image(index))
            if read == want { verified += 1 }
        }
        return verified
    }

    static func size(_ index: Int) -> Int64 { Int64(2_000 + (index * 7_919) % 40_000) }

    /// A deterministic JPEG-signed body for item `index`.
    static func image(_ index: Int) -> ByteStream {
        let body = ByteStream.pattern(count: size(index) - 4, seed: UInt64(index + 1))
        return ByteStream(byteCount: size(index)) {
            var sentHeader = false
            var iterator = body.makeAsyncIterator()
            return ByteStream.AsyncIterator {
                if !sentHeader {
                    sentHeader = true
                    return [0xFF, 0xD8, 0xFF, 0xE0]
                }
                return try await iterator.next()
            }
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
