import Foundation
import GalleryCore
import GallerySandbox
import Logging

/// `gallery-hub bench requests`: one migration of the same local folder into every HTTP emulator, each by
/// `gallery-hub copy` with its default flags (a child process, as a user runs it), and the API requests each
/// copy reported against the floor of that API: the fewest requests its documented limits allow for the same
/// migration (``RequestFloor``). Every copy is then checked with `gallery-hub verify`.
struct RequestsBench {
    struct Row: Encodable {
        var remote: String
        var images: Int
        var requests: Int
        var floor: Int
        /// `requests ÷ floor` (goal ≤ 1.1).
        var ratio: Double
        var requestsPerImage: Double
        var floorPerImage: Double
        /// Requests to other origins (CDN, storage): outside the API's limits and the floor.
        var fileRequests: Int
        var throttled: Int
        var rateLimitWaitSeconds: Double
        var seconds: Double
        var verified: Bool
        /// How the floor is made up, as Docs/<platform>.md states it.
        var floorRule: String
    }

    struct Result: Encodable {
        var schema = "gallery-hub/bench-requests"
        var schemaVersion = 1
        var images: Int
        var galleries: Int
        var bytes: Int64
        var kankaRule: String
        var rows: [Row]

        var withinGoal: Bool { rows.allSatisfy { $0.ratio <= RequestsBench.goal && $0.verified } }

        var text: String {
            var lines = [
                "requests: \(images) images (\(bytes / 1_000) kB) in \(galleries) galleries, copy's default flags; "
                    + "Kanka at \(kankaRule)",
                "  remote                 requests  per image  floor  per image  ratio  429s  wait s  wall s  verify",
            ]
            for row in rows {
                lines.append(
                    "  "
                        + [
                            row.remote.padding(toLength: 21, withPad: " ", startingAt: 0),
                            String(row.requests).leftPadded(9),
                            String(format: "%.3f", row.requestsPerImage).leftPadded(10),
                            String(row.floor).leftPadded(6), String(format: "%.3f", row.floorPerImage).leftPadded(10),
                            String(format: "%.2f", row.ratio).leftPadded(6), String(row.throttled).leftPadded(5),
                            String(format: "%.1f", row.rateLimitWaitSeconds).leftPadded(7),
                            String(format: "%.1f", row.seconds).leftPadded(7), row.verified ? "  OK" : "  FAILED",
                        ].joined(separator: " "))
            }
            lines.append("  floors:")
            for row in rows { lines.append("    \(row.remote): \(row.floorRule)") }
            lines.append(
                withinGoal
                    ? "  every ratio ≤ \(RequestsBench.goal), every copy verified"
                    : "  GOAL MISSED: a ratio is above \(RequestsBench.goal) or a copy did not verify")
            return lines.joined(separator: "\n")
        }
    }

    static let goal = 1.1

    var root: String
    var images: Int
    var galleries: Int
    /// Kanka's throttle in the emulator: its real 30 requests, over a shortened window.
    var kankaWindowSeconds: Double
    var say: (String) -> Void

    func run() async throws -> Result {
        let source = root + "/src"
        say("making \(images) images in \(galleries) galleries in \(source)…")
        let bytes = try SyntheticFolder.write(at: source, count: images, galleries: galleries, sizes: 2_000...6_000)
        let library = root + "/stash-library"
        try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
        let kanka = try KankaEmulator(
            options: .init(seed: .empty, rateLimit: 30, rateWindow: .milliseconds(Int(kankaWindowSeconds * 1000))))
        let emulators: [any Emulator] = [
            kanka, try OmnitcodeEmulator(options: .init(seed: .empty)), try KonigleEmulator(),
            try StashEmulator(options: .init(libraryDirectories: [library])),
        ]
        return try await withSandbox(emulators, logger: Logger(label: "bench.requests.sandbox")) { sandbox in
            // Kanka's API cannot create folders: they are made first, as a user makes them in the web UI.
            let names = try FileManager.default.contentsOfDirectory(atPath: source).sorted()
            for name in names { try await kanka.createFolder(name: name) }
            let remotes = root + "/remotes.toml"
            try SandboxLauncher.writeRemotesFile(sandbox, to: remotes)
            var rows: [Row] = []
            for (remote, platform) in [
                ("sandbox-kanka", "kanka"), ("sandbox-omnitcode", "omnitcode"), ("sandbox-konigle", "konigle"),
                ("sandbox-konigle-tags", "konigle-tags"), ("sandbox-stash", "stash"),
            ] {
                rows.append(try copy(source, into: remote, platform: platform, remotes: remotes))
            }
            return Result(
                images: images, galleries: names.count, bytes: bytes,
                kankaRule: "30 requests per \(String(format: "%g", kankaWindowSeconds)) s", rows: rows)
        }
    }

    /// The copy's own `--json` report gives the requests; `verify` then reads everything back.
    private func copy(_ source: String, into remote: String, platform: String, remotes: String) throws -> Row {
        let folder = root + "/" + remote
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = folder
        let common = ["--config", remotes, "--journal", folder + "/journal.sqlite"]
        // Losses (captions Konigle's products drop, Kanka's size in KiB) are the pair's, not the bench's concern.
        let arguments = ["copy", source, remote + ":", "--json", "--accept-losses"] + common
        say("gallery-hub \(arguments.joined(separator: " "))")
        let run = try TimedProcess.run(
            TimedProcess.currentExecutable, arguments, environment: environment, stdout: folder + "/copy.json",
            stderr: folder + "/copy.log")
        let report = try? JSONDecoder().decode(
            CopyReport.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/copy.json")))
        guard run.status == 0, let report else {
            throw GalleryError(
                .io, "gallery-hub copy into \(remote) exited with status \(run.status)",
                hint: "Its output is in \(folder)/copy.log; run again with --workdir DIR to keep it.")
        }
        guard report.summary.itemsUploaded == images, report.summary.failures == 0 else {
            throw GalleryError(
                .io,
                "gallery-hub copy into \(remote) uploaded \(report.summary.itemsUploaded) of \(images) images, "
                    + "\(report.summary.failures) failures",
                hint: "Its report is in \(folder)/copy.json; run again with --workdir DIR to keep it.")
        }
        let spent = report.requests?.first { $0.role == "destination" }
        let verify = try TimedProcess.run(
            TimedProcess.currentExecutable, ["verify", source, remote + ":"] + common, environment: environment,
            stderr: folder + "/verify.log")
        let floor = RequestFloor.of(platform, images: images, galleries: galleries)
        let requests = spent?.requests ?? 0
        return Row(
            remote: remote, images: images, requests: requests, floor: floor.requests,
            ratio: Double(requests) / Double(max(1, floor.requests)),
            requestsPerImage: Double(requests) / Double(max(1, images)),
            floorPerImage: Double(floor.requests) / Double(max(1, images)), fileRequests: spent?.fileRequests ?? 0,
            throttled: spent?.throttled ?? 0, rateLimitWaitSeconds: spent?.rateLimitWaitSeconds ?? 0,
            seconds: run.seconds, verified: verify.status == 0, floorRule: floor.rule)
    }

    /// The parts of `copy --json` (Docs/report-schema.md, `gallery-hub/copy`) the bench reads.
    private struct CopyReport: Decodable {
        struct Summary: Decodable {
            var itemsUploaded: Int
            var failures: Int
        }
        struct Requests: Decodable {
            var role: String
            var requests: Int
            var fileRequests: Int
            var throttled: Int
            var rateLimitWaitSeconds: Double
        }
        var summary: Summary
        var requests: [Requests]?
    }
}

/// The fewest API requests each service's documented limits allow for copying `images` new images in
/// `galleries` new galleries into an empty account (whose Kanka folders exist already, since its API cannot
/// make them): each rule is stated, with its reasons, in Docs/<platform>.md under "Requests".
enum RequestFloor {
    static func of(_ platform: String, images: Int, galleries: Int) -> (requests: Int, rule: String) {
        func pages(_ rows: Int, _ size: Int) -> Int { max(1, (rows + size - 1) / size) }
        switch platform {
        case "kanka":
            // 20 files per upload; the plan reads the campaign's list (its folders) 45 rows a page.
            return (
                (images + 19) / 20 + pages(galleries, 45),
                "ceil(images / 20) uploads + ceil(folders / 45) list pages"
            )
        case "omnitcode":
            // A login, one page of galleries; per gallery its creation; per image an upload and a link.
            return (1 + 1 + galleries + 2 * images, "1 login + 1 list page + 1 per gallery + 2 per image")
        case "konigle":
            // One page of products; per gallery a product; per image one multipart upload with its position.
            return (1 + galleries + images, "1 list page + 1 product per gallery + 1 upload per image")
        case "konigle-tags":
            // One page of assets; per image one upload carrying its tags and position; galleries cost nothing.
            return (1 + images, "1 list page + 1 upload per image")
        case "stash":
            // One page of galleries; per gallery: create it, scan its folder, see the scan end, find its images,
            // add them. Files arrive by disk, not by request.
            return (1 + 5 * galleries, "1 list page + 5 per gallery (create, scan, job, find, add)")
        default:
            return (1, "unknown platform")
        }
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}
