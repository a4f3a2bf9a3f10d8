import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A `gallery-hub` child started with `posix_spawn`, so a test can kill it at any instant and read its own
/// peak resident memory (Foundation's `Process` gives neither).
struct ChildProcess {
    let pid: pid_t
    var spawned = Date()
    let stdoutPath: String
    let stderrPath: String

    struct Exit {
        var status: Int32
        var signal: Int32?
        /// Peak resident set size of this child's program alone, in bytes (see ``wait(timeout:)``).
        var peakRSS: Int64
        /// From the spawn to the reap, measured on the waiting thread: the child's own wall time, untouched by
        /// how long the test's task then waits for a thread to resume on.
        var seconds: Double = 0
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
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard result == 0 else { throw POSIXError(POSIXErrorCode(rawValue: result) ?? .EIO) }
        return ChildProcess(pid: pid, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// Whether the child is still running (not yet reaped).
    /// A child that has exited but is not yet reaped is a zombie: it still answers `kill(pid, 0)`.
    var isRunning: Bool {
        guard Glibc.kill(pid, 0) == 0 else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return !(stat.range(of: ") ").map { stat[$0.upperBound...].hasPrefix("Z") } ?? false)
    }

    func kill(signal: Int32) { _ = Glibc.kill(pid, signal) }

    /// Sends `signal` once `reached()` holds, `delay` microseconds later (or at once if the child exits first, or
    /// when `timeout` seconds pass). The polling runs on a thread of its own: a kill point is an instant, and the
    /// concurrency pool, shared with every test running beside this one, could let it slip by many items.
    func kill(
        signal: Int32, once reached: @escaping @Sendable () -> Bool, delay: UInt32 = 0, pollEvery interval: UInt32,
        timeout: Double
    ) async {
        let child = self
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                while child.isRunning, !reached(), Date() < deadline { usleep(interval) }
                usleep(delay)
                child.kill(signal: signal)
                continuation.resume()
            }.start()
        }
    }

    /// Signals the child and reaps it, blocking, for `defer` blocks (which cannot await): a signalled child is
    /// gone within a moment, and one that ignores the signal is killed after `timeout` seconds.
    func stop(signal: Int32 = SIGTERM, timeout: Double = 30) {
        _ = Glibc.kill(pid, signal)
        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        while waitpid(pid, &status, WNOHANG) != pid {
            if Date() > deadline { _ = Glibc.kill(pid, SIGKILL) }
            usleep(2_000)
        }
    }

    /// Waits for the child, killing it after `timeout` seconds, and samples its peak RSS every 2 ms.
    ///
    /// The peak is the child's own `VmHWM` (from `/proc/PID/status`), the kernel's high-water mark of the
    /// program's address space since `exec`. `ru_maxrss` from `wait4` would not do: `posix_spawn` starts the
    /// child with `vfork`, sharing this (large) test process's memory until `exec`, and Linux keeps that
    /// memory's high-water mark in the child's `ru_maxrss`. Only growth in the last 2 ms before exit escapes.
    ///
    /// The wait runs on a thread of its own: the concurrency pool (one thread per core, shared by every test
    /// running at once) is neither held for the child's lifetime nor woken every 2 ms, and the exit is seen at
    /// once however busy the pool is.
    func wait(timeout: Double = 300) async -> Exit {
        let pid = pid
        let spawned = spawned
        return await withCheckedContinuation { (continuation: CheckedContinuation<Exit, Never>) in
            Thread {
                let deadline = Date().addingTimeInterval(timeout)
                var status: Int32 = 0
                var peak: Int64 = 0
                while waitpid(pid, &status, WNOHANG) != pid {
                    peak = max(peak, Self.highWaterMark(of: pid))
                    if Date() > deadline { _ = Glibc.kill(pid, SIGKILL) }
                    usleep(2_000)
                }
                let signalled = (status & 0x7f) != 0 && (status & 0x7f) != 0x7f
                continuation.resume(
                    returning: Exit(
                        status: signalled ? -1 : (status >> 8) & 0xff, signal: signalled ? status & 0x7f : nil,
                        peakRSS: peak, seconds: Date().timeIntervalSince(spawned)))
            }.start()
        }
    }

    /// `VmHWM` of a running process, in bytes; 0 once it has exited.
    static func highWaterMark(of pid: pid_t) -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (line.split(separator: " ").compactMap { Int64($0) }.first ?? 0) * 1024
    }

    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// Runs to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:], timeout: Double = 300) async throws
        -> (exit: Exit, stdout: String, stderr: String)
    {
        let child = try spawn(arguments, environment: environment)
        let exit = await child.wait(timeout: timeout)
        return (exit, child.stdout, child.stderr)
    }
}
