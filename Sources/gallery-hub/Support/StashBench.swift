import Foundation
import GalleryCore
import GallerySandbox
import Logging

/// `gallery-hub bench stash`: copies COUNT synthetic images in ten galleries from a local folder into an
/// in-process Stash emulator with `gallery-hub copy`, run as a child process so its wall time and peak RSS are its
/// own, and reads from the emulator how many library scans the copy took (Docs/cli.md, "Benchmarks": one per gallery batch) and
/// how many images and galleries arrived.
struct StashBench {
    struct Result: Encodable {
        var schema = "gallery-hub/bench-stash"
        var schemaVersion = 1
        var images: Int
        var bytes: Int64
        var galleries: Int
        var transfers: Int
        var scans: Int
        var scansPerGallery: Double
        var seconds: Double
        var imagesPerSecond: Double
        var peakRSS: Int64
        var imagesInStash: Int
        var galleriesInStash: Int
        /// `gallery-hub verify` of the copy (bytes by SHA-256, order, cover) exited 0; the bench fails otherwise.
        var verified: Bool

        var text: String {
            """
            stash: \(images) images (\(bytes / 1_000_000) MB) in \(galleries) galleries, \(transfers) transfers
              scans         \(scans) (\(String(format: "%.1f", scansPerGallery)) per gallery; goal: 1 per gallery batch)
              wall time     \(String(format: "%.2f", seconds)) s (\(String(format: "%.0f", imagesPerSecond)) images/s)
              peak RSS      \(peakRSS / 1_048_576) MiB (gallery-hub copy)
              in Stash      \(imagesInStash) images, \(galleriesInStash) galleries
              verify        \(verified ? "OK (bytes, order and covers match the source)" : "FAILED")
            """
        }
    }

    var root: String
    var count: Int
    var transfers: Int
    var say: (String) -> Void

    func run() async throws -> Result {
        let source = root + "/src"
        let library = root + "/library"
        try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
        say("making \(count) images in \(source)…")
        let bytes = try LocalBench(root: root, count: count, runs: 1, transfers: transfers, say: say)
            .makeImages(at: source)
        let galleries = min(10, count)
        let emulator = try StashEmulator(options: .init(libraryDirectories: [library]))
        return try await withSandbox([emulator], logger: Logger(label: "bench.stash.sandbox")) { sandbox in
            guard let endpoint = sandbox["stash"] else { throw GalleryError(.io, "the Stash emulator did not start") }
            let remotes = root + "/remotes.toml"
            let text = """
                [bench-stash]
                type = "stash"
                url = "\(endpoint.baseURL)"
                apiKey = "\(emulator.options.apiKey)"
                libraryDir = "\(library)"

                """
            guard
                FileManager.default.createFile(
                    atPath: remotes, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
            else { throw GalleryError(.io, "Cannot write \(remotes)") }
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = root + "/home"
            let arguments = [
                "copy", source, "bench-stash:", "--config", remotes, "--journal", root + "/journal.sqlite",
                "--transfers", String(transfers),
            ]
            say("gallery-hub \(arguments.joined(separator: " "))")
            let measurement = try TimedProcess.run(TimedProcess.currentExecutable, arguments, environment: environment)
            guard measurement.status == 0 else {
                throw GalleryError(
                    .io, "gallery-hub copy into Stash exited with status \(measurement.status)",
                    hint: "Run it by hand: gallery-hub \(arguments.joined(separator: " "))")
            }
            await emulator.waitForScans()
            let (images, stored) = emulator.contents()
            let scans = emulator.scansFinished()
            say("verifying with gallery-hub verify")
            let verify = try TimedProcess.run(
                TimedProcess.currentExecutable,
                ["verify", source, "bench-stash:", "--config", remotes, "--journal", root + "/journal.sqlite"],
                environment: environment)
            guard verify.status == 0 else {
                throw GalleryError(
                    .integrity, "gallery-hub verify found the copy into Stash incomplete (status \(verify.status))",
                    hint: "Run it by hand with --workdir to keep the files: gallery-hub bench stash --workdir DIR")
            }
            return Result(
                images: count, bytes: bytes, galleries: galleries, transfers: transfers, scans: scans,
                scansPerGallery: Double(scans) / Double(max(1, galleries)), seconds: measurement.seconds,
                imagesPerSecond: Double(count) / max(measurement.seconds, 0.001), peakRSS: measurement.peakRSS,
                imagesInStash: images, galleriesInStash: stored, verified: verify.status == 0)
        }
    }
}
