import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes to stdout and stderr with `write(2)`, never through `FileHandle.write(_:)`, which traps on an error.
///
/// A closed stdout (`gallery-hub ls … | head`) ends the process the way Unix tools end: by SIGPIPE, quietly, with
/// no message and no backtrace (the shell shows status 141). Whatever the command was doing has nothing left to
/// tell anyone. Progress and logs go to stderr; a closed stderr only drops them.
enum StandardStreams {
    /// Writes `bytes` whole to stdout, or ends the process quietly when the reader has gone.
    static func writeOutput(_ bytes: some Collection<UInt8>) {
        if !write(Array(bytes), to: STDOUT_FILENO) { endQuietly() }
    }

    /// Writes `bytes` to stderr; a stderr that cannot be written is given up on.
    static func writeError(_ bytes: some Collection<UInt8>) {
        _ = write(Array(bytes), to: STDERR_FILENO)
    }

    static func writeError(_ text: String) { writeError(Array(text.utf8)) }

    /// `false` when the descriptor cannot take more (EPIPE, EBADF…).
    private static func write(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    return false
                }
                offset += written
            }
            return true
        }
    }

    /// Dies of SIGPIPE, as a program that never ignored it would have on its failed write.
    private static func endQuietly() -> Never {
        signal(SIGPIPE, SIG_DFL)
        raise(SIGPIPE)
        exit(141)
    }
}
