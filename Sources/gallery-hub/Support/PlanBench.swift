import Foundation
import GalleryCore
import GalleryMigration

#if canImport(Glibc)
    import Glibc
#endif

/// The planning benchmark (Docs/cli.md, "Benchmarks": a 100,000-item no-op migration plans in under 2 s of CPU and 200 MB):
/// two in-memory snapshots that already agree, journal mappings for every item, and the pure planner.
struct PlanBench {
    let count: Int

    struct Result: Encodable {
        var schema = "gallery-hub/bench-plan"
        var schemaVersion = 1
        var items: Int
        var galleries: Int
        /// CPU (user + system) spent planning, in seconds.
        var cpuSeconds: Double
        var wallSeconds: Double
        /// The process's peak RSS after planning (VmHWM), in bytes: snapshots included.
        var peakRSS: Int64
        var isNoOp: Bool

        var text: String {
            [
                "bench plan: \(items) items in \(galleries) galleries, nothing to do: \(isNoOp)",
                String(format: "  CPU %.3f s (goal < 2 s), wall %.3f s", cpuSeconds, wallSeconds),
                "  peak RSS \(ByteFormat.string(peakRSS)) (goal < 200 MB)",
            ].joined(separator: "\n")
        }
    }

    func run() -> Result {
        let perGallery = 1000
        let galleryCount = max(1, (count + perGallery - 1) / perGallery)
        var source: [Gallery] = []
        var destination: [Gallery] = []
        var mappings = JournalMappings()
        var made = 0
        for g in 0..<galleryCount {
            let sourceID = GalleryID("s\(g)")
            let destinationID = GalleryID("d\(g)")
            mappings.galleries[sourceID] = destinationID
            var sourceItems: [Item] = []
            var destinationItems: [Item] = []
            while sourceItems.count < perGallery, made < count {
                let digest = Digest.sha256(SHA256Digester.hex(of: Array("\(made)".utf8)))
                let caption = "Caption \(made)"
                let source = Item(
                    id: ItemID("i\(made)"), filename: "photo-\(made).jpg", mimeType: "image/jpeg",
                    byteCount: Int64(50_000 + made % 250_000), digest: digest, caption: caption)
                var copy = source
                copy.id = ItemID("c\(made)")
                sourceItems.append(source)
                destinationItems.append(copy)
                mappings.items[ItemRef(gallery: sourceID, item: source.id)] = ItemRef(
                    gallery: destinationID, item: copy.id)
                made += 1
            }
            source.append(
                Gallery(id: sourceID, title: "Gallery \(g)", items: sourceItems, cover: .item(sourceItems[0].id)))
            destination.append(
                Gallery(
                    id: destinationID, title: "Gallery \(g)", items: destinationItems,
                    cover: .item(destinationItems[0].id)))
        }
        let sourceSnapshot = BackendSnapshot(name: "source", capabilities: .lossless, galleries: source)
        let destinationSnapshot = BackendSnapshot(name: "destination", capabilities: .lossless, galleries: destination)

        let cpuBefore = Self.cpuSeconds()
        let start = ContinuousClock.now
        let plan = Planner(source: sourceSnapshot, destination: destinationSnapshot, mappings: mappings).plan()
        let elapsed = ContinuousClock.now - start
        let cpu = Self.cpuSeconds() - cpuBefore
        return Result(
            items: count, galleries: galleryCount, cpuSeconds: cpu,
            wallSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18,
            peakRSS: Self.peakRSS(), isNoOp: plan.isNoOp
        )
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// VmHWM from /proc/self/status, in bytes.
    static func peakRSS() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        let kilobytes = line.split(separator: " ").compactMap { Int64($0) }.first ?? 0
        return kilobytes * 1024
    }
}
