import AsyncHTTPClient
import Foundation
import GalleryCore
import GalleryMigration
import GallerySandbox
import KonigleBackend
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `gallery-hub bench konigle`: uploads synthetic images of 50–300 KB into an in-process Konigle emulator over
/// loopback through the real adapter, in one gallery of the chosen mode, and reports the wall time and this
/// process's peak RSS (budget: 2,000 images in under 10 s). The emulator keeps the files on disk, so the RSS is
/// the adapter's and the server's working memory, not the stored bytes. Every item is then read back and checked
/// by SHA-256, outside the timed part.
struct KonigleBench {
    struct Result: Encodable {
        var mode: String
        var items: Int
        var transfers: Int
        var bytes: Int64
        var seconds: Double
        var itemsPerSecond: Double
        var megabytesPerSecond: Double
        var peakRSS: Int64
        var listed: Int
        var verified: Int
        var budgetSeconds: Double

        var text: String {
            """
            konigle (\(mode)): \(items) items, \(ByteFormat.string(bytes)), \(transfers) transfers
              upload        \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", itemsPerSecond)) items/s, \
            \(String(format: "%.1f", megabytesPerSecond)) MB/s); budget < \(String(format: "%.0f", budgetSeconds)) s: \
            \(seconds < budgetSeconds ? "met" : "NOT met")
              peak RSS      \(ByteFormat.string(peakRSS)) (this process: adapter and emulator)
              read back     \(listed) listed, \(verified)/\(items) verified by SHA-256
            """
        }
    }

    var items: Int
    var transfers: Int
    var mode: KonigleBackend.Mode
    static let budgetSeconds = 10.0

    func run(progress: @escaping @Sendable (String) -> Void) async throws -> Result {
        let files = NSTemporaryDirectory() + "gallery-hub-bench-konigle-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: files) }
        let emulator = try KonigleEmulator(options: .init(fileDirectory: files))
        var serverLogger = Logger(label: "bench.konigle.sandbox")
        serverLogger.logLevel = .warning
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await withSandbox([emulator], logger: serverLogger) { sandbox in
                let backend = try KonigleBackend(
                    name: "bench-konigle",
                    configuration: .init(url: sandbox["konigle"]!.baseURL, apiKey: emulator.options.apiKey, mode: mode),
                    httpClient: http, logger: Logger(label: "bench.konigle"))
                return try await measure(backend, progress: progress)
            }
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    private func measure(_ backend: KonigleBackend, progress: @escaping @Sendable (String) -> Void) async throws
        -> Result
    {
        let gallery = try await backend.createGallery(GallerySpec(title: "Bench \(mode.rawValue)"))
        _ = Self.pool.count  // made before the clock starts
        let started = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            var done = 0
            func add() {
                let index = next
                next += 1
                group.addTask {
                    let spec = ItemSpec(
                        filename: "bench-\(index).jpg", mimeType: "image/jpeg", byteCount: Self.size(index))
                    _ = try await backend.addItem(to: gallery, spec: spec, bytes: Self.image(index))
                }
            }
            for _ in 0..<min(transfers, items) { add() }
            while try await group.next() != nil {
                done += 1
                if done % 250 == 0 { progress("\(done)/\(items) uploaded") }
                if next < items { add() }
            }
        }
        let seconds = Self.seconds(started.duration(to: .now))
        let peak = Self.peakRSS()
        progress("reading every item back")
        let read = try await backend.gallery(gallery)
        let verified = try await verify(backend, read)
        let bytes = (0..<items).reduce(Int64(0)) { $0 + Self.size($1) }
        return Result(
            mode: mode.rawValue, items: items, transfers: transfers, bytes: bytes, seconds: seconds,
            itemsPerSecond: Double(items) / max(seconds, 0.001),
            megabytesPerSecond: Double(bytes) / 1e6 / max(seconds, 0.001), peakRSS: peak, listed: read.items.count,
            verified: verified, budgetSeconds: Self.budgetSeconds)
    }

    /// Reads each listed item back, eight at a time, and counts those whose bytes are the ones sent.
    private func verify(_ backend: KonigleBackend, _ gallery: Gallery) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var pending = gallery.items.makeIterator()
            func start() {
                guard let item = pending.next() else { return }
                group.addTask {
                    guard item.filename.hasPrefix("bench-"),
                        let index = Int(item.filename.dropFirst(6).prefix { $0.isNumber })
                    else { return false }
                    let read = try await SHA256Digester.digest(
                        of: backend.openItem(ItemRef(gallery: gallery.id, item: item.id)))
                    return read == (try await SHA256Digester.digest(of: Self.image(index)))
                }
            }
            for _ in 0..<8 { start() }
            var verified = 0
            while let ok = try await group.next() {
                if ok { verified += 1 }
                start()
            }
            return verified
        }
    }

    /// 50–300 KB, spread evenly and deterministically over the items.
    static func size(_ index: Int) -> Int64 { Int64(50_000 + (index * 7_919) % 250_001) }

    /// Random bytes the images are cut from, made once: generating every byte of 350 MB would cost the bench
    /// more time than the uploads it measures.
    static let pool: [UInt8] = {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 512 * 1024)
        bytes.withUnsafeMutableBytes { raw in
            for index in stride(from: 0, to: raw.count, by: 8) {
                raw.storeBytes(of: generator.next() as UInt64, toByteOffset: index, as: UInt64.self)
            }
        }
        return bytes
    }()

    /// A JPEG-signed body for item `index`: the pool from an offset of its own, in chunks of 64 KB.
    static func image(_ index: Int) -> ByteStream {
        let total = Int(size(index))
        let start = (index * 104_729) % (pool.count - total)
        var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
        bytes += pool[(start + 4)..<(start + total)]
        return .bytes(bytes)
    }

    static func peakRSS() -> Int64 { TimedProcess.highWaterMark(of: getpid()) }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
