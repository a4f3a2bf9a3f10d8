import Foundation
import GalleryCore

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a program and measures it alone: wall time (2 ms resolution), and its own peak RSS (`VmHWM`, sampled
/// every 2 ms while it runs; not `getrusage(RUSAGE_CHILDREN)`, the maximum over every child ever waited for).
enum TimedProcess {
    struct Measurement: Sendable, Codable {
        var status: Int32
        var seconds: Double
        /// User plus system CPU seconds (`wait4`): less disturbed than wall time by a noisy machine.
        var cpuSeconds: Double
        /// Peak resident set size in bytes (`VmHWM`).
        var peakRSS: Int64
    }

    /// Runs `executable` to the end; its stdout and stderr go to the files named (or nowhere).
    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, stdout: String? = nil,
        stderr: String? = nil
    ) throws -> Measurement {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr ?? "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let env = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        let start = ContinuousClock.now
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw GalleryError(.io, "Cannot start \(executable): \(String(cString: strerror(spawned)))")
        }
        // Poll rather than block: the peak RSS must be sampled while the child runs (see below).
        var status: Int32 = 0
        var peak: Int64 = 0
        var usage = rusage()
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0, errno != EINTR { throw GalleryError(.io, "waitpid failed for \(executable)") }
            peak = max(peak, highWaterMark(of: pid))
            usleep(2_000)
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func total(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return Measurement(
            status: (status >> 8) & 0xff, seconds: seconds,
            cpuSeconds: total(usage.ru_utime) + total(usage.ru_stime), peakRSS: peak)
    }

    /// `VmHWM` of a running process, in bytes: the high-water mark of its program since `exec`.
    /// `ru_maxrss` from `wait4` is no substitute: `posix_spawn` uses `vfork`, and Linux counts the spawning
    /// process's memory, shared until `exec`, in the child's `ru_maxrss`.
    static func highWaterMark(of pid: pid_t) -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
        else { return 0 }
        return (line.split(separator: " ").compactMap { Int64($0) }.first ?? 0) * 1024
    }

    /// The first executable named `name` on PATH.
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// This program's own executable.
    static var currentExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
