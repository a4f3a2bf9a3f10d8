import Foundation
import GalleryCore
import GalleryMigration

/// The local→local benchmark: synthetic images, interleaved timed runs of each tool, medians and ratios.
struct LocalBench {
    let root: String
    let count: Int
    let runs: Int
    let transfers: Int
    let say: (String) -> Void

    struct Result: Encodable {
        var schema = "gallery-hub/bench-local"
        var schemaVersion = 1
        var images: Int
        var bytes: Int64
        var runs: Int
        var transfers: Int
        /// Median wall seconds per tool (`cp`, `gallery-hub`, `rclone`, and the no-op re-runs).
        var medians: [String: Double]
        /// Every run's wall seconds.
        var samples: [String: [Double]]
        /// Median CPU seconds (user + system) per tool: the work done, whatever else the machine was doing.
        var cpuMedians: [String: Double]
        /// Every run's CPU seconds.
        var cpuSamples: [String: [Double]]
        /// gallery-hub copy time / cp -r time (goal ≤ 1.25).
        var ratioToCp: Double
        /// gallery-hub copy time / rclone copy time (goal < 1); absent without rclone.
        var ratioToRclone: Double?
        /// gallery-hub no-op re-run / rclone no-op re-run (goal ≤ 1).
        var noOpRatioToRclone: Double?
        /// The median of each run's own ratio (gallery-hub / cp, / rclone, no-op / rclone no-op). Runs of one
        /// round are seconds apart, so a machine whose speed drifts over minutes moves both sides of a pair.
        var pairedRatios: [String: Double]
        /// Highest peak RSS of any gallery-hub copy run, in bytes.
        var peakRSS: Int64

        var text: String {
            func seconds(_ key: String) -> String {
                guard let wall = medians[key] else { return "n/a" }
                return String(format: "%.3f s  (CPU %.3f s)", wall, cpuMedians[key] ?? 0)
            }
            var lines = [
                "bench local: \(images) images, \(ByteFormat.string(bytes)), median of \(runs) runs, \(transfers) transfers",
                "  cp -r                      \(seconds("cp"))",
                "  gallery-hub copy           \(seconds("gallery-hub"))  (hashing every byte)",
                "  rclone copy                \(seconds("rclone"))",
                "  gallery-hub copy (no-op)   \(seconds("gallery-hub-noop"))",
                "  rclone copy (no-op)        \(seconds("rclone-noop"))",
                String(format: "  ratio to cp -r: %.2f× (goal ≤ 1.25×)", ratioToCp),
            ]
            if let ratioToRclone {
                lines.append(String(format: "  ratio to rclone copy: %.2f× (goal < 1×)", ratioToRclone))
            }
            if let noOpRatioToRclone {
                lines.append(String(format: "  no-op ratio to rclone: %.2f× (goal ≤ 1×)", noOpRatioToRclone))
            }
            let paired = ["cp", "rclone", "rclone-noop"].compactMap { key in
                pairedRatios[key].map { "\(key) " + String(format: "%.2f×", $0) }
            }
            lines.append("  median of per-run ratios: " + paired.joined(separator: ", "))
            if ratioToRclone == nil {
                lines.append("  rclone not on PATH: install it (apt-get install rclone) to compare")
            }
            lines.append("  gallery-hub peak RSS: \(ByteFormat.string(peakRSS))")
            return lines.joined(separator: "\n")
        }
    }

    func run() throws -> Result {
        let source = root + "/src"
        say("making \(count) images in \(source)…")
        let bytes = try makeImages(at: source)
        let me = TimedProcess.currentExecutable
        let rclone = TimedProcess.find("rclone")
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = root + "/home"
        environment["RCLONE_CONFIG"] = root + "/rclone.conf"
        _ = FileManager.default.createFile(atPath: root + "/rclone.conf", contents: Data())
        var samples: [String: [Double]] = [:]
        var cpuSamples: [String: [Double]] = [:]
        var peakRSS: Int64 = 0

        func timed(_ key: String, _ executable: String, _ arguments: [String]) throws {
            // Every tool starts alike: earlier writes on disk, the source in the page cache (a VM may evict
            // idle pages between runs, and whoever ran first would pay for reading them back).
            sync()
            try warm(source)
            let measurement = try TimedProcess.run(executable, arguments, environment: environment)
            guard measurement.status == 0 else {
                throw GalleryError(
                    .io, "\(key) exited with status \(measurement.status)",
                    hint: "Run it by hand: \(executable) \(arguments.joined(separator: " "))")
            }
            samples[key, default: []].append(measurement.seconds)
            cpuSamples[key, default: []].append(measurement.cpuSeconds)
            if key.hasPrefix("gallery-hub") { peakRSS = max(peakRSS, measurement.peakRSS) }
            say("  \(key) " + String(format: "%.3f s", measurement.seconds))
        }

        // Each run writes to fresh folders, removed only at the end: deleting thousands of files right before
        // a timed run makes the next file creations slow on some file systems (ext4 skips recently freed
        // inodes), which would time the clean-up rather than the tools. The tools' order rotates per run.
        for run in 1...runs {
            say("run \(run)/\(runs)")
            let copy = [
                "copy", source, "\(root)/dst-gh-\(run)", "--journal", "\(root)/journal-\(run).sqlite",
                "--transfers", "\(transfers)",
            ]
            var tools: [() throws -> Void] = [
                { try timed("cp", "/bin/cp", ["-r", source, "\(root)/dst-cp-\(run)"]) },
                { try timed("gallery-hub", me, copy) },
            ]
            if let rclone {
                tools.append { try timed("rclone", rclone, ["copy", source, "\(root)/dst-rclone-\(run)"]) }
            }
            for index in tools.indices { try tools[(index + run - 1) % tools.count]() }
            try timed("gallery-hub-noop", me, copy)
            if let rclone { try timed("rclone-noop", rclone, ["copy", source, "\(root)/dst-rclone-\(run)"]) }
        }
        for run in 1...runs {
            for folder in ["dst-cp-\(run)", "dst-gh-\(run)", "dst-rclone-\(run)"] {
                try? FileManager.default.removeItem(atPath: "\(root)/\(folder)")
            }
        }
        let medians = samples.mapValues(Self.median)
        let ours = medians["gallery-hub"] ?? 0
        return Result(
            images: count, bytes: bytes, runs: runs, transfers: transfers, medians: medians, samples: samples,
            cpuMedians: cpuSamples.mapValues(Self.median), cpuSamples: cpuSamples,
            ratioToCp: ours / max(medians["cp"] ?? 1, 1e-9),
            ratioToRclone: medians["rclone"].map { ours / max($0, 1e-9) },
            noOpRatioToRclone: medians["rclone-noop"].map { (medians["gallery-hub-noop"] ?? 0) / max($0, 1e-9) },
            pairedRatios: Self.pairedRatios(samples),
            peakRSS: peakRSS
        )
    }

    /// Ten galleries of images of 50–300 KB (``SyntheticFolder``). Returns the total size.
    func makeImages(at source: String) throws -> Int64 {
        try SyntheticFolder.write(at: source, count: count, galleries: 10, sizes: 50_000...300_000)
    }

    /// Reads every file under `folder` once, into one reused buffer.
    func warm(_ folder: String) throws {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while let relative = walker.nextObject() as? String {
            let descriptor = open(folder + "/" + relative, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { continue }
            defer { close(descriptor) }
            while buffer.withUnsafeMutableBytes({ read(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        }
    }

    /// For each other tool, the median over runs of gallery-hub's time divided by that tool's in the same run.
    static func pairedRatios(_ samples: [String: [Double]]) -> [String: Double] {
        let pairs = ["cp": "gallery-hub", "rclone": "gallery-hub", "rclone-noop": "gallery-hub-noop"]
        var result: [String: Double] = [:]
        for (other, ours) in pairs {
            guard let theirs = samples[other], let mine = samples[ours], theirs.count == mine.count else { continue }
            result[other] = median(zip(mine, theirs).map { $0 / max($1, 1e-9) })
        }
        return result
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted.count % 2 == 1
            ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}
