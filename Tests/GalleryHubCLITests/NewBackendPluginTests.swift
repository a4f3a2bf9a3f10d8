import Foundation
import Testing

/// `swift package new-backend`: a third party's package that depends on GalleryHub gets a backend module and a
/// conformance test, adds the targets the plugin prints, and both build and pass without editing GalleryHub.
@Suite struct NewBackendPluginTests {
    @Test(.timeLimit(.minutes(30)))
    func scaffoldsABackendThatBuildsAndPassesTheConformanceSuite() async throws {
        let package = URL(fileURLWithPath: NSTemporaryDirectory() + "gh-plugin-\(UUID().uuidString)/Flickr")
        defer { try? FileManager.default.removeItem(at: package.deletingLastPathComponent()) }
        try FileManager.default.createDirectory(at: package, withIntermediateDirectories: true)
        let manifest = """
            // swift-tools-version: 6.1
            import PackageDescription

            let package = Package(
                name: "Flickr",
                platforms: [.macOS(.v15)],
                dependencies: [.package(path: "\(CLIRunner.repositoryRoot.path)")],
                targets: [
                    // TARGETS
                ]
            )

            """
        try Data(manifest.utf8).write(to: package.appendingPathComponent("Package.swift"))

        let scaffold = try await Swift.run(
            ["package", "--allow-writing-to-package-directory", "new-backend", "Flickr"], in: package)
        #expect(scaffold.status == 0, "\(scaffold.output)")
        let begin = try #require(
            scaffold.output.range(of: "// --- new-backend targets ---\n"), "\(scaffold.output)")
        let end = try #require(scaffold.output.range(of: "// --- end of new-backend targets ---"))
        let targets = String(scaffold.output[begin.upperBound..<end.lowerBound])
        #expect(targets.contains("FlickrBackendTests"))
        try Data(manifest.replacingOccurrences(of: "// TARGETS", with: targets).utf8)
            .write(to: package.appendingPathComponent("Package.swift"))

        // Running it again refuses to overwrite what it wrote.
        let again = try await Swift.run(
            ["package", "--allow-writing-to-package-directory", "new-backend", "Flickr"], in: package)
        #expect(again.status != 0)
        #expect(again.output.contains("never overwrites"))

        let test = try await Swift.run(["test"], in: package)
        #expect(test.status == 0, "\(test.output.suffix(4_000))")
        #expect(test.output.contains("passesTheConformanceSuite() passed"), "\(test.output.suffix(4_000))")
    }
}

/// The `swift` driver of the toolchain running these tests, run to the end with its output in a file.
private enum Swift {
    static func run(_ arguments: [String], in folder: URL) async throws -> (status: Int32, output: String) {
        let log = folder.deletingLastPathComponent().appendingPathComponent("swift-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["swift"] + arguments
        process.currentDirectoryURL = folder
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        // Waiting through the termination handler keeps the build of minutes off the concurrency pool's few
        // threads, which the tests running beside this one need.
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            process.terminationHandler = { _ in continuation.resume() }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return (process.terminationStatus, (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }
}
