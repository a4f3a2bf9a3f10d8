import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension ChildProcess {
    /// `gallery-hub sandbox --json ARGUMENTS…`, once it has announced itself: the child, and each emulator's entry
    /// of the ready document (`baseURL`, credentials). The caller stops the child.
    static func sandbox(_ arguments: [String], environment: [String: String] = [:]) async throws -> (
        child: ChildProcess, emulators: [String: [String: String]]
    ) {
        let child = try spawn(["sandbox", "--json"] + arguments, environment: environment)
        let deadline = Date().addingTimeInterval(60)
        while !child.stdout.hasSuffix("\n"), child.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        guard
            let document = try? JSONSerialization.jsonObject(with: Data(child.stdout.utf8)) as? [String: Any],
            let emulators = document["emulators"] as? [String: [String: String]]
        else {
            child.kill(signal: SIGKILL)
            _ = await child.wait(timeout: 10)
            throw SandboxNotReady(stderr: child.stderr)
        }
        return (child, emulators)
    }
}

/// The sandbox exited or never announced itself.
struct SandboxNotReady: Error, CustomStringConvertible {
    let stderr: String
    var description: String { "the sandbox did not start: \(stderr.suffix(600))" }
}
