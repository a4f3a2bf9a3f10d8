import ArgumentParser
import Foundation
import KonigleBackend

/// `gallery-hub bench konigle`: image uploads into a Konigle emulator over loopback, timed.
struct BenchKonigleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "konigle",
        abstract: "Time uploading images into a Konigle emulator over loopback (goal: 2,000 of 50–300 KB in < 10 s).",
        discussion: """
            Starts a Konigle emulator in-process (files kept on disk), uploads COUNT synthetic JPEG images of \
            50–300 KB into one gallery through the Konigle adapter in MODE (products: product images; tags: \
            tagged library images) with TRANSFERS in flight, and reports the wall time and this process's peak \
            RSS (VmHWM). Every item is then read back and checked by SHA-256. Exits 1 when the budget is missed \
            or an item does not verify.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Number of images.")
    var count = 2000

    @Option(help: "Uploads in flight.")
    var transfers = 8

    @Option(help: "products or tags.")
    var mode = KonigleBackend.Mode.products.rawValue

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
        guard transfers >= 1 else { throw ValidationError("--transfers must be at least 1.") }
        guard KonigleBackend.Mode(rawValue: mode) != nil else {
            throw ValidationError("--mode must be products or tags.")
        }
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let bench = KonigleBench(
                items: count, transfers: transfers, mode: KonigleBackend.Mode(rawValue: mode) ?? .products)
            let json = options.json
            let result = try await bench.run { line in
                if !json { StandardStreams.writeError(line + "\n") }
            }
            if options.json { try JSONOutput.print(result) } else { printLine(result.text) }
            let withinBudget = count < 2000 || result.seconds < KonigleBench.budgetSeconds
            guard withinBudget, result.verified == count, result.listed == count else { throw ExitCode.failure }
        }
    }
}
