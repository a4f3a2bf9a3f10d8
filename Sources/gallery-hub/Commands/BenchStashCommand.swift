import ArgumentParser
import Foundation

/// `gallery-hub bench stash`: scans, wall time and peak RSS of a copy into the Stash emulator.
struct BenchStashCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stash",
        abstract: "Copy COUNT images into a Stash emulator: library scans taken (goal: 1 per gallery), time, peak RSS.",
        discussion: """
            Makes COUNT synthetic images of 50–300 KB in ten galleries in a temporary folder, starts a Stash \
            emulator in-process with its library in the same folder, runs `gallery-hub copy` into it as a child \
            process, and reports the scans the emulator ran, the copy's wall time and its peak RSS (VmHWM).
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Number of images.")
    var count = 2000

    @Option(help: "Transfers for gallery-hub copy.")
    var transfers = 4

    @Option(help: "Working folder (default: a new temporary folder, removed afterwards).")
    var workdir: String?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
        guard transfers >= 1 else { throw ValidationError("--transfers must be at least 1.") }
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let root = workdir ?? NSTemporaryDirectory() + "gallery-hub-bench-stash-\(UUID().uuidString)"
            defer { if workdir == nil { try? FileManager.default.removeItem(atPath: root) } }
            let json = options.json
            let bench = StashBench(root: root, count: count, transfers: transfers) { line in
                if !json { StandardStreams.writeError(line + "\n") }
            }
            let result = try await bench.run()
            if options.json { try JSONOutput.print(result) } else { printLine(result.text) }
        }
    }
}
