import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A `gallery-hub` child started with `posix_spawn`, so a test can kill it at any instant and read its own
/// peak resident memory from `wait4` (Foundation's `Process` gives neither).
struct ChildProcess {
    let pid: pid_t
    let stdoutPath: String
    let stderrPath: String

    struct Exit {
        var status: Int32
        var signal: Int32?
        /// Peak resident set size of this child alone, in bytes: the highest `VmHWM` read from
        /// `/proc/<pid>/status` while it ran. Not `ru_maxrss`: `posix_spawn` starts the child with
        /// `CLONE_VM|CLONE_VFORK`, and at `exec` Linux folds the shared (parent's) high-water mark into the child's
        /// `ru_maxrss`, so it would report the test runner's own peak.
        var peakRSS: Int64
    }

    static func spawn(_ arguments: [String], environment: [String: String] = [:]) throws -> ChildProcess {
        let folder = NSTemporaryDirectory() + "gh-child-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let stdoutPath = folder + "/stdout"
        let stderrPath = folder + "/stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        var env = ProcessInfo.processInfo.environment
        env["GALLERY_HUB_CONFIG"] = NSTemporaryDirectory() + "gallery-hub-no-such-remotes.toml"
        env.merge(environment) { _, new in new }
        let binary = CLIRunner.binary.path
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return ChildProcess(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// Whether the child is still running (not yet reaped).
    var isRunning: Bool { Glibc.kill(pid, 0) == 0 }

    func kill(signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Waits for the child, killing it after `timeout` seconds.
    func wait(timeout: Double = 300) -> Exit {
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var usage = rusage()
        var peak: Int64 = 0
        while true {
            peak = max(peak, highWaterMark() ?? 0)
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if Date() > deadline { _ = Glibc.kill(pid, SIGKILL) }
            usleep(10_000)
        }
        let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
        return Exit(
            status: signalled ? -1 : (status >> 8) & 0xff,
            signal: signalled ? status & 0x7f : nil,
            peakRSS: peak
        )
    }

    /// The child's `VmHWM` (peak RSS of its own address space) in bytes, while it is alive.
    private func highWaterMark() -> Int64? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kib = Int64(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        else { return nil }
        return kib * 1024
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Runs to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 300) throws
        -> (exit: Exit, stdout: String, stderr: String)
    {
        let child = try spawn(arguments, environment: environment)
        let exit = child.wait(timeout: timeout)
        return (exit, child.stdout, child.stderr)
    }
}
