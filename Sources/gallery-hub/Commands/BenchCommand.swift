import ArgumentParser
import Foundation
import GalleryCore
import GalleryMigration

/// `gallery-hub bench`: measures the engine against the usual tools, as ratios in one run (Docs/cli.md, "Benchmarks and their goals").
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure gallery-hub against standard tools on this machine.",
        subcommands: [
            LocalBenchCommand.self, PlanBenchCommand.self, BenchKankaCommand.self, BenchKonigleCommand.self,
            BenchStashCommand.self, BenchRequestsCommand.self,
        ]
    )
}

/// `gallery-hub bench local`: `copy` local→local against `cp -r` and `rclone copy`, plus no-op re-runs.
struct LocalBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Time `gallery-hub copy` local→local against `cp -r` and `rclone copy` (when on PATH).",
        discussion: """
            Makes COUNT synthetic images of 50–300 KB in a temporary folder, then runs each tool RUNS times, \
            interleaved, and reports median wall times, the ratios and gallery-hub's peak RSS (VmHWM of each \
            child). gallery-hub hashes every byte it copies; cp does not, rclone copy compares sizes \
            and times only.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Number of images.")
    var count = 2000

    @Option(help: "Timed runs per tool; medians are reported.")
    var runs = 3

    @Option(help: "Transfers for gallery-hub copy.")
    var transfers = 4

    @Option(help: "Working folder (default: a new temporary folder, removed afterwards).")
    var workdir: String?

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
        guard (1...20).contains(runs) else { throw ValidationError("--runs must be between 1 and 20.") }
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let root = workdir ?? NSTemporaryDirectory() + "gallery-hub-bench-\(UUID().uuidString)"
            defer { if workdir == nil { try? FileManager.default.removeItem(atPath: root) } }
            let bench = LocalBench(root: root, count: count, runs: runs, transfers: transfers) { line in
                if !options.json { StandardStreams.writeError(line + "\n") }
            }
            let result = try bench.run()
            if options.json { try JSONOutput.print(result) } else { printLine(result.text) }
        }
    }
}

/// `gallery-hub bench plan`: the pure planner on a large no-op migration.
struct PlanBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Time planning a migration with nothing to do (in memory; goal: 100,000 items < 2 s CPU, < 200 MB)."
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Number of items.")
    var count = 100_000

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let result = PlanBench(count: max(1, count)).run()
            if options.json { try JSONOutput.print(result) } else { printLine(result.text) }
        }
    }
}
