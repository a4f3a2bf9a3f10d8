import ArgumentParser
import Foundation
import GalleryCore
import GallerySandbox
import Logging

/// `gallery-hub demo`: a real cross-platform migration on this machine, with no credentials and no network.
///
/// It starts the sandbox's Omnitcode emulator in-process (a new site: an admin account and languages), writes a remotes file for them, and then runs the same
/// commands a user would type (`plan`, `copy`, `verify`), printing each one first: a folder into a headless CMS
/// (with the losses the plan declares), then a lossless Local backup of that CMS. Everything it writes stays in
/// `--dir`.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Walk through a real migration against local emulators: plan, copy, verify, and a Local backup.",
        discussion: """
            Needs no account and no network: the emulators run in this process on 127.0.0.1 and stop when the \
            demo ends. Everything is written under --dir (remotes file, journals, reports, the backup); running \
            the demo again replaces what an earlier demo wrote there.
            """
    )

    @Option(help: "The folder to migrate into the CMS: a plain or GalleryHub folder.", completion: .directory)
    var source = "Examples"

    @Option(help: "Where the demo writes its remotes file, journals, reports and backup.", completion: .directory)
    var dir = "demo-output"

    @Flag(name: .shortAndLong, help: "Log more (repeat for debug logs).")
    var verbose: Int

    /// Marks a folder as the demo's own, so a later demo may replace it and nothing else is ever removed.
    static let markerName = ".gallery-hub-demo"

    func run() async throws {
        try await runReportingErrors(json: false) {
            let workspace = try DemoWorkspace(path: dir, source: source)
            var logger = Logger(label: "gallery-hub.demo") { StreamLogHandler.standardError(label: $0) }
            logger.logLevel = verbose == 0 ? .warning : .info
            let emulator = try SandboxPlatform.makeEmulator("omnitcode", options: .init(seed: .empty))
            try await withSandbox([emulator], logger: logger) { sandbox in
                try SandboxLauncher.writeRemotesFile(sandbox, to: workspace.remotesFile)
                let cms = sandbox.endpoints["omnitcode"]?.baseURL ?? "?"
                say(
                    """
                    GalleryHub demo. An Omnitcode CMS emulator is running at \(cms): a new site, with an admin account \
                    and its languages (English, German, French, Serbian) but no galleries yet.
                    Its login is in \(workspace.remotesFile) as the remote `sandbox-omnitcode:`.
                    """)
                try await migrate(
                    title: "1. Migrate the folder \(source) into the CMS", from: source, to: "sandbox-omnitcode:",
                    journal: workspace.journal("folder-to-cms"), report: workspace.report("folder-to-cms"),
                    acceptLosses: true, workspace: workspace)
                try await migrate(
                    title: "2. Back the CMS up into a Local folder, losslessly", from: "sandbox-omnitcode:",
                    to: "local:\(workspace.backup)", journal: workspace.journal("cms-to-backup"),
                    report: workspace.report("cms-to-backup"), acceptLosses: false, workspace: workspace)
                say(
                    """

                    Done. What the demo wrote, all under \(workspace.root):
                      remotes file   \(workspace.remotesFile)
                      plan reports   \(workspace.report("folder-to-cms")), \(workspace.report("cms-to-backup"))
                      journals       \(workspace.journal("folder-to-cms")), \(workspace.journal("cms-to-backup"))
                      backup         \(workspace.backup) (open its gallery.json files to see what was kept)
                    The emulator stops now; its content was in memory. Try the same commands against the sandbox \
                    yourself with `gallery-hub sandbox --remotes-file sandbox.toml`.
                    """)
            }
        }
    }

    /// Plans, copies and verifies one pair, printing each command as a user would type it.
    private func migrate(
        title: String, from source: String, to destination: String, journal: String, report: String,
        acceptLosses: Bool, workspace: DemoWorkspace
    ) async throws {
        say("\n== \(title)")
        let common = ["--config", workspace.remotesFile, "--journal", journal]
        try await step(PlanCommand.self, ["plan", source, destination] + common)
        try await step(
            PlanCommand.self, ["plan", source, destination, "--format", "markdown", "--output", report] + common)
        say("(the same plan, as Markdown, is now in \(report))")
        var copy = ["copy", source, destination] + common
        if acceptLosses {
            say("The plan lists what the CMS cannot hold; the demo accepts those losses, as you would with:")
            copy.append("--accept-losses")
        }
        try await step(CopyCommand.self, copy)
        try await step(VerifyCommand.self, ["verify", source, destination] + common)
        if !acceptLosses {
            say("\nA second copy finds everything in place and writes nothing:")
            try await step(CopyCommand.self, copy)
        }
    }

    /// Runs one of the CLI's own commands in this process, after showing its command line.
    private func step<Command: AsyncParsableCommand>(_ type: Command.Type, _ arguments: [String]) async throws {
        say("\n$ gallery-hub " + arguments.map(Self.shellQuoted).joined(separator: " "))
        var command = try type.parse(Array(arguments.dropFirst()))
        try await command.run()
    }

    private func say(_ text: String) { printLine(text) }

    /// A word as a POSIX shell would need it to be typed.
    static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./:=@".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// The demo's folder: created fresh, or replaced when an earlier demo made it; never anyone else's folder.
struct DemoWorkspace {
    let root: String

    init(path: String, source: String) throws {
        let manager = FileManager.default
        root = URL(fileURLWithPath: path).standardizedFileURL.path
        var isFolder: ObjCBool = false
        guard manager.fileExists(atPath: source, isDirectory: &isFolder), isFolder.boolValue else {
            throw GalleryError(
                .notFound, "The demo's source folder \(source) does not exist",
                hint: "Run the demo from the repository's root (it uses Examples/), or pass --source FOLDER.")
        }
        if manager.fileExists(atPath: root) {
            let contents = (try? manager.contentsOfDirectory(atPath: root)) ?? []
            guard contents.isEmpty || contents.contains(DemoCommand.markerName) else {
                throw GalleryError(
                    .conflict, "\(root) exists and was not written by the demo",
                    hint: "Pass --dir with a new or empty folder; the demo never overwrites other files.")
            }
            try manager.removeItem(atPath: root)
        }
        try manager.createDirectory(atPath: root, withIntermediateDirectories: true)
        manager.createFile(atPath: root + "/" + DemoCommand.markerName, contents: Data())
    }

    var remotesFile: String { root + "/remotes.toml" }
    var backup: String { root + "/backup" }
    func journal(_ name: String) -> String { root + "/journal-\(name).sqlite" }
    func report(_ name: String) -> String { root + "/plan-\(name).md" }
}
