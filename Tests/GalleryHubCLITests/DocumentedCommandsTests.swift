import Foundation
import Testing

/// Every `sh` block in README.md and Docs/ runs, as a user would paste it, with the built `gallery-hub` on the
/// PATH, in a fresh folder holding a copy of Examples/ and with a HOME of its own. A block is a promise: if the
/// code changes under it, this test fails. Blocks of syntax (with placeholders) are fenced as `text`, not `sh`.
///
/// Not run here, and said so in the output: `swift build` and `swift test` (CI runs them, and they cannot run
/// inside `swift test`), and `swift package` (``NewBackendPluginTests`` runs the scaffold in a package of its own).
@Suite struct DocumentedCommandsTests {
    @Test(arguments: DocumentedBlock.all())
    func runsAsWritten(_ block: DocumentedBlock) async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory() + "gh-docs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let work = folder.appendingPathComponent("work")
        let bin = folder.appendingPathComponent("bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: CLIRunner.repositoryRoot.appendingPathComponent("Examples"), to: work.appendingPathComponent("Examples")
        )
        try FileManager.default.createSymbolicLink(
            at: bin.appendingPathComponent("gallery-hub"), withDestinationURL: CLIRunner.binary)
        // `swift run gallery-hub …` runs the built binary; the other `swift` verbs are reported, not run.
        let shim = """
            #!/usr/bin/env bash
            if [ "$1" = run ]; then shift; exec "$@"; fi
            echo "docs test: not run here: swift $*" >&2
            """
        let swift = bin.appendingPathComponent("swift")
        try Data(shim.utf8).write(to: swift)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: swift.path)

        let script = """
            set -euo pipefail
            trap 'kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true' EXIT
            \(block.text)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", script]
        process.currentDirectoryURL = work
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = bin.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["HOME"] = folder.appendingPathComponent("home").path
        environment["GALLERY_HUB_CONFIG"] = nil
        process.environment = environment
        let log = folder.appendingPathComponent("output.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(180)
        while process.isRunning, Date() < deadline { try await Task.sleep(for: .microseconds(50_000)) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try handle.close()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(
            process.terminationStatus == 0,
            "\(block.place) exited \(process.terminationStatus):\n\(output.suffix(3_000))")
    }
}

/// One fenced `sh` block of the documentation.
struct DocumentedBlock: Sendable, CustomTestStringConvertible {
    /// `README.md:33`: the file and the line of the opening fence.
    var place: String
    var text: String

    var testDescription: String { place }

    /// Every `sh` block of README.md and Docs/*.md.
    static func all() -> [DocumentedBlock] {
        let root = CLIRunner.repositoryRoot
        let docs =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Docs").path)) ?? []
        let files = ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "Docs/" + $0 }
        var blocks: [DocumentedBlock] = []
        for file in files {
            guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else {
                continue
            }
            var current: (line: Int, lines: [String])?
            for (index, line) in text.components(separatedBy: "\n").enumerated() {
                if current == nil, line.trimmingCharacters(in: .whitespaces) == "```sh" {
                    current = (index + 1, [])
                } else if let open = current, line.trimmingCharacters(in: .whitespaces) == "```" {
                    let body = open.lines.joined(separator: "\n")
                    if !body.contains("swift package") {
                        blocks.append(DocumentedBlock(place: "\(file):\(open.line)", text: body))
                    }
                    current = nil
                } else if current != nil {
                    current?.lines.append(line)
                }
            }
        }
        return blocks
    }
}
