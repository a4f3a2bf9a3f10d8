import ArgumentParser
import Foundation

/// `gallery-hub bench kanka`: the Kanka governor against an emulator with a short throttle window.
struct BenchKankaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kanka",
        abstract: "Measure the request rate into Kanka as a fraction of its limit (goal ≥ 95 %, ≤ 1 429 per window).",
        discussion: """
            Starts a Kanka emulator in-process whose throttle allows LIMIT requests per WINDOW seconds (Kanka's own \
            rule with a shorter window), uploads COUNT synthetic images through the Kanka adapter with TRANSFERS in \
            flight (files enough to fill them; every CAPTION-EVERY-th with a caption, which costs a second request), reads every original back \
            by SHA-256, and reports the sustained rate and the 429s the emulator answered, per window.
            """
    )

    @OptionGroup var options: GlobalOptions

    @Option(help: "Number of images.")
    var count = 600

    @Option(help: "Upload requests in flight (each carries up to 20 files, as copy's --transfers).")
    var transfers = 4

    @Option(help: "Requests per window.")
    var limit = 30

    @Option(help: "Window length in seconds (Kanka: 60).")
    var window = 6.0

    @Option(help: "Caption every n-th image (0: none).")
    var captionEvery = 4

    func validate() throws {
        guard count >= 1 else { throw ValidationError("--count must be at least 1.") }
        guard transfers >= 1 else { throw ValidationError("--transfers must be at least 1.") }
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1.") }
        guard window >= 0.5, window <= 60 else { throw ValidationError("--window must be between 0.5 and 60 seconds.") }
        guard captionEvery >= 0 else { throw ValidationError("--caption-every must be 0 or more.") }
    }

    func run() async throws {
        try await runReportingErrors(json: options.json) {
            let bench = KankaBench(
                items: count, transfers: transfers, limit: limit, window: .milliseconds(Int(window * 1000)),
                captionEvery: captionEvery)
            let json = options.json
            let result = try await bench.run { line in
                if !json { StandardStreams.writeError(line + "\n") }
            }
            if options.json { try JSONOutput.print(result) } else { printLine(result.text) }
        }
    }
}
