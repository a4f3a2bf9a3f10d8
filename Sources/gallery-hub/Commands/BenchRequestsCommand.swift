import ArgumentParser
import Foundation
import GalleryCore

/// `gallery-hub bench requests`: the requests a migration into each HTTP service spends, against its API's floor.
struct BenchRequestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests",
        abstract: "Measure the API requests a copy spends per image on each HTTP backend, against the API's floor "
            + "(goal: ≤ 1.1×).",
        discussion: """
            Starts every emulator in-process (Kanka at its real 30 requests, over a window of WINDOW seconds \
            instead of 60), makes IMAGES small images in GALLERIES folders, and runs `gallery-hub copy` with its \
            default flags into each remote, then `gallery-hub verify`. Prints per remote the requests the copy \
            reported, the floor (the fewest requests the API's documented limits allow: see each Docs/<platform>.md, \
            "Requests"), their ratio, the 429s, the rate-limit wait and the wall time. Exits 1 when a ratio is above \
            1.1 or a copy does not verify.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Number of images.")
    var images = 2000

    @Option(help: "Number of galleries the images are dealt into.")
    var galleries = 20

    @Option(help: "Kanka's rate window in the emulator, in seconds (Kanka: 60).")
    var kankaWindow = 2.0

    @Option(help: "Working folder (default: a new temporary folder, removed afterwards).")
    var workdir: String?

    func validate() throws {
        guard images >= 1 else { throw ValidationError("--images must be at least 1.") }
        guard (1...images).contains(galleries) else {
            throw ValidationError("--galleries must be between 1 and the number of images.")
        }
        guard kankaWindow >= 0.5, kankaWindow <= 60 else {
            throw ValidationError("--kanka-window must be between 0.5 and 60 seconds.")
        }
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let root = workdir ?? NSTemporaryDirectory() + "gallery-hub-bench-requests-\(UUID().uuidString)"
            defer { if workdir == nil { try? FileManager.default.removeItem(atPath: root) } }
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
            let json = options.json
            let bench = RequestsBench(
                root: root, images: images, galleries: galleries, kankaWindowSeconds: kankaWindow
            ) { line in
                if !json { StandardStreams.writeError(line + "\n") }
            }
            let result = try await bench.run()
            if options.json { try JSONOutput.print(result) } else { printLine(result.text) }
            guard result.withinGoal else { throw ExitCode.failure }
        }
    }
}
