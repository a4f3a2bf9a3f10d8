import Foundation
import Synchronization

/// Progress on stderr: a live bar redrawn in place on a terminal, plain lines otherwise.
///
/// Called per chunk from several tasks, so the hot path is a lock and a clock read; the screen is redrawn at
/// most ten times a second (a plain line at most every five seconds), never from a timer task.
public final class TerminalProgress: ProgressReporter {
    public enum Style: Sendable {
        /// One line redrawn with a carriage return: items, bytes, rate, ETA.
        case live
        /// A line now and then, for logs and pipes.
        case lines
    }

    private struct State {
        var totalItems = 0
        var totalBytes: Int64 = 0
        var items = 0
        var failed = 0
        var bytes: Int64 = 0
        var started = ContinuousClock.now
        var lastDraw: ContinuousClock.Instant?
        /// Until when requests are held back by a rate limit, as the last report of a wait said.
        var waitingUntil: ContinuousClock.Instant?
    }

    private let style: Style
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void

    /// - Parameter write: where text goes (stderr unless a test captures it).
    public init(style: Style, write: @escaping @Sendable (String) -> Void = TerminalProgress.standardError) {
        self.style = style
        self.write = write
    }

    /// The style that suits stderr: live on a terminal, lines otherwise.
    public static var styleForStandardError: Style { isatty(STDERR_FILENO) == 1 ? .live : .lines }

    /// Writes to stderr with `write(2)`: a closed or full stderr drops the text (`FileHandle.write` would trap).
    @Sendable public static func standardError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress!, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return }
            bytes = bytes.dropFirst(written)
        }
    }

    public func begin(items: Int, bytes: Int64) {
        state.withLock {
            $0 = State(totalItems: items, totalBytes: bytes)
        }
        if style == .lines, items > 0 { write("transferring \(items) items, \(ByteFormat.string(bytes))\n") }
    }

    public func transferred(bytes: Int) {
        let text = state.withLock { state -> String? in
            state.bytes += Int64(bytes)
            return render(&state, force: false)
        }
        if let text { write(text) }
    }

    public func itemFinished(_ name: String, failed: Bool) {
        let text = state.withLock { state -> String? in
            state.items += 1
            if failed { state.failed += 1 }
            return render(&state, force: state.items == state.totalItems)
        }
        if let text { write(text) }
    }

    /// Shows "waiting for the rate limit, N s" until the wait is over; each report (about once a second from
    /// the waiting task) redraws the line, so the count goes down with nothing else moving.
    public func waitingForRateLimit(_ remaining: Duration) {
        let text = state.withLock { state -> String? in
            state.waitingUntil = ContinuousClock.now + remaining
            return render(&state, force: false)
        }
        if let text { write(text) }
    }

    public func end() {
        let text = state.withLock { state -> String? in
            guard state.totalItems > 0 else { return nil }
            return style == .live ? "\r\u{1B}[2K" : nil
        }
        if let text { write(text) }
    }

    /// The text to draw now, or `nil` when the last draw is recent enough.
    private func render(_ state: inout State, force: Bool) -> String? {
        let now = ContinuousClock.now
        let interval: Duration = style == .live ? .milliseconds(100) : .seconds(5)
        if !force, let last = state.lastDraw, now - last < interval { return nil }
        state.lastDraw = now
        let elapsed = max(0.001, Self.seconds(now - state.started))
        let rate = Double(state.bytes) / elapsed
        let remaining = Double(max(0, state.totalBytes - state.bytes))
        let eta = rate > 0 ? Self.clock(remaining / rate) : "--:--"
        var text =
            "\(state.items)/\(state.totalItems) items  \(ByteFormat.string(state.bytes))/"
            + "\(ByteFormat.string(state.totalBytes))  \(ByteFormat.string(Int64(rate)))/s  ETA \(eta)"
        if state.failed > 0 { text += "  \(state.failed) failed" }
        if let until = state.waitingUntil, until - now >= .seconds(1) {
            text += "  waiting for the rate limit, \(Int(Self.seconds(until - now).rounded())) s"
        }
        switch style {
        case .live:
            let fraction = state.totalBytes > 0 ? Double(state.bytes) / Double(state.totalBytes) : 1
            let filled = Int((min(1, fraction) * 20).rounded())
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: 20 - filled)
            return "\r\u{1B}[2K[\(bar)] " + text
        case .lines:
            return text + "\n"
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%02d:%02d", total / 60, total % 60)
    }
}
