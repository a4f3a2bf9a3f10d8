import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Progress on stderr: a live bar redrawn in place on a terminal, plain lines otherwise.
///
/// It shows the transfer (items, bytes, rate, ETA, elapsed time, the file in flight when there is room) and the
/// phases around it (listing each side, planning, verifying), and counts a rate-limit wait down. Called per chunk
/// from several tasks, so the hot path is a lock and a clock read; the screen is redrawn at most ten times a
/// second (a plain line at most every five seconds), never from a timer task. A live line never wraps: it is cut
/// to the terminal's width, the least useful parts left out first.
public final class TerminalProgress: ProgressReporter {
    public enum Style: Sendable {
        /// One line redrawn with a carriage return: items, bytes, rate, ETA, elapsed time.
        case live
        /// A line now and then, for logs and pipes.
        case lines
    }

    private struct Transfer {
        var totalItems = 0
        var totalBytes: Int64 = 0
        var items = 0
        var failed = 0
        var bytes: Int64 = 0
        var started: ContinuousClock.Instant
        /// Names of the items in flight, oldest first.
        var inFlight: [String] = []
    }

    private struct RunningPhase {
        var phase: ProgressPhase
        var started: ContinuousClock.Instant
        /// When this phase last printed a plain line (``Style/lines``).
        var lastLine: ContinuousClock.Instant
    }

    private struct State {
        /// When the display was made: the command's elapsed time counts from here.
        var created = ContinuousClock.now
        var transfer: Transfer?
        var phases: [RunningPhase] = []
        var lastDraw: ContinuousClock.Instant?
        /// Until when requests are held back by a rate limit, as the last report of a wait said.
        var waitingUntil: ContinuousClock.Instant?
        /// A live line is on the screen, to clear when the work it shows is over.
        var isShowing = false
    }

    private let style: Style
    private let state = Mutex(State())
    private let write: @Sendable (String) -> Void
    private let width: @Sendable () -> Int

    /// - Parameters:
    ///   - write: where text goes (stderr unless a test captures it).
    ///   - width: the terminal's width in columns, asked before each live redraw (so a resize is followed).
    public init(
        style: Style, write: @escaping @Sendable (String) -> Void = TerminalProgress.standardError,
        width: @escaping @Sendable () -> Int = { TerminalProgress.standardErrorWidth() }
    ) {
        self.style = style
        self.write = write
        self.width = width
    }

    /// The style that suits stderr: live on a terminal, lines otherwise.
    public static var styleForStandardError: Style { isatty(STDERR_FILENO) == 1 ? .live : .lines }

    /// The width of the terminal stderr is on (`TIOCGWINSZ`), else `$COLUMNS`, else 80.
    public static func standardErrorWidth() -> Int {
        standardErrorWidth(environment: ProcessInfo.processInfo.environment)
    }

    static func standardErrorWidth(environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(STDERR_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 0 { return columns }
        return 80
    }

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

    // MARK: - Reports

    public func begin(items: Int, bytes: Int64) {
        state.withLock {
            $0.transfer = Transfer(totalItems: items, totalBytes: bytes, started: .now)
            $0.phases = []
            $0.lastDraw = nil
        }
        if style == .lines, items > 0 { write("transferring \(items) items, \(ByteFormat.string(bytes))\n") }
    }

    public func itemStarted(_ name: String) {
        let text = state.withLock { state -> String? in
            state.transfer?.inFlight.append(name)
            return render(&state, force: false)
        }
        if let text { write(text) }
    }

    public func transferred(bytes: Int) {
        let text = state.withLock { state -> String? in
            state.transfer?.bytes += Int64(bytes)
            return render(&state, force: false)
        }
        if let text { write(text) }
    }

    public func itemFinished(_ name: String, failed: Bool) {
        let text = state.withLock { state -> String? in
            guard var transfer = state.transfer else { return nil }
            transfer.items += 1
            if failed { transfer.failed += 1 }
            if let index = transfer.inFlight.firstIndex(of: name) { transfer.inFlight.remove(at: index) }
            state.transfer = transfer
            return render(&state, force: transfer.items == transfer.totalItems)
        }
        if let text { write(text) }
    }

    /// Shows "waiting for the rate limit, N s" until the wait is over; each report (about once a second from
    /// the waiting task) redraws the line, so the count goes down with nothing else moving.
    public func waitingForRateLimit(_ remaining: Duration) {
        let text = state.withLock { state -> String? in
            let now = ContinuousClock.now
            // A wait that starts is drawn at once; its countdown follows the usual refresh.
            let starts = state.waitingUntil.map { $0 <= now } ?? true
            state.waitingUntil = now + remaining
            if starts, style == .lines {
                for index in state.phases.indices { state.phases[index].lastLine = now - .seconds(5) }
            }
            return render(&state, force: starts)
        }
        if let text { write(text) }
    }

    public func phase(_ phase: ProgressPhase) {
        let text = state.withLock { state -> String? in
            let now = ContinuousClock.now
            let index = state.phases.firstIndex { $0.phase.name == phase.name }
            guard phase.isFinished else {
                if let index {
                    state.phases[index].phase = phase
                } else {
                    state.phases.append(RunningPhase(phase: phase, started: now, lastLine: now))
                }
                return render(&state, force: index == nil)
            }
            let started = index.map { state.phases.remove(at: $0).started } ?? now
            switch style {
            case .lines:
                return "\(phase.name): \(phase.counts) in \(Self.shortSeconds(now - started))\n"
            case .live:
                if state.phases.isEmpty, state.transfer == nil {
                    guard state.isShowing else { return nil }
                    state.isShowing = false
                    return Self.clearLine
                }
                return render(&state, force: true)
            }
        }
        if let text { write(text) }
    }

    public func end() {
        let text = state.withLock { state -> String? in
            state.transfer = nil
            guard style == .live, state.isShowing else { return nil }
            state.isShowing = false
            return Self.clearLine
        }
        if let text { write(text) }
    }

    // MARK: - Rendering

    static let clearLine = "\r\u{1B}[2K"

    /// The text to draw now, or `nil` when the last draw is recent enough.
    private func render(_ state: inout State, force: Bool) -> String? {
        let now = ContinuousClock.now
        switch style {
        case .live:
            if !force, let last = state.lastDraw, now - last < .milliseconds(100) { return nil }
            guard let line = liveLine(state, now: now) else { return nil }
            state.lastDraw = now
            state.isShowing = true
            return Self.clearLine + line
        case .lines:
            if let transfer = state.transfer {
                if !force, let last = state.lastDraw, now - last < .seconds(5) { return nil }
                state.lastDraw = now
                return transferSegments(transfer, state, now: now).map(\.text).joined(separator: "  ") + "\n"
            }
            // A phase prints a line of its own every five seconds while it lasts, and one when it ends.
            // A phase held up by the rate limit says so: the same count five seconds apart reads like a hang.
            var lines = ""
            let waiting = waitingText(state, now: now).map { ", " + $0 } ?? ""
            for index in state.phases.indices where now - state.phases[index].lastLine >= .seconds(5) {
                state.phases[index].lastLine = now
                lines += "\(state.phases[index].phase.name)… \(state.phases[index].phase.counts)\(waiting)\n"
            }
            return lines.isEmpty ? nil : lines
        }
    }

    /// One part of the live line, and how much it matters when the terminal is too narrow for all of them
    /// (0 first).
    private struct Segment {
        var text: String
        var priority: Int
    }

    private func transferSegments(_ transfer: Transfer, _ state: State, now: ContinuousClock.Instant) -> [Segment] {
        let seconds = max(0.001, Self.seconds(now - transfer.started))
        let rate = Double(transfer.bytes) / seconds
        let remaining = Double(max(0, transfer.totalBytes - transfer.bytes))
        // Nothing is sent during a rate-limit wait, so the rest cannot be done sooner than the wait ends.
        let waitLeft = state.waitingUntil.map { max(0, Self.seconds($0 - now)) } ?? 0
        let eta =
            rate > 0 && remaining > 0
            ? Self.clock(max(remaining / rate, waitLeft)) : remaining > 0 ? "-:--" : Self.clock(0)
        var segments = [
            Segment(text: "\(transfer.items)/\(transfer.totalItems) items", priority: 0),
            Segment(
                text: "\(ByteFormat.string(transfer.bytes))/\(ByteFormat.string(transfer.totalBytes))",
                priority: 3),
            Segment(text: "\(ByteFormat.string(Int64(rate)))/s", priority: 5),
            Segment(text: "ETA \(eta)", priority: 6),
            Segment(text: "elapsed \(Self.clock(Self.seconds(now - state.created)))", priority: 4),
        ]
        if transfer.failed > 0 { segments.append(Segment(text: "\(transfer.failed) failed", priority: 2)) }
        if let waiting = waitingText(state, now: now) { segments.append(Segment(text: waiting, priority: 1)) }
        return segments
    }

    private func waitingText(_ state: State, now: ContinuousClock.Instant) -> String? {
        guard let until = state.waitingUntil, until - now >= .seconds(1) else { return nil }
        return "waiting for the rate limit, \(Int(Self.seconds(until - now).rounded())) s"
    }

    /// The live line without its control characters, at most one column short of the terminal's width (a line
    /// that fills the last column makes some terminals wrap).
    private func liveLine(_ state: State, now: ContinuousClock.Instant) -> String? {
        let limit = max(1, width() - 1)
        guard let transfer = state.transfer else {
            guard !state.phases.isEmpty else { return nil }
            var segments = state.phases.map { Segment(text: "\($0.phase.name)… \($0.phase.counts)", priority: 0) }
            segments.append(Segment(text: "elapsed \(Self.clock(Self.seconds(now - state.created)))", priority: 2))
            if let waiting = waitingText(state, now: now) { segments.append(Segment(text: waiting, priority: 1)) }
            return Self.clip(Self.fit(segments, limit: limit), to: limit)
        }
        var line = Self.fit(transferSegments(transfer, state, now: now), limit: limit)
        // The bar takes the room left, up to 20 cells; then the newest file in flight, where there is room.
        let room = limit - Self.displayWidth(line) - 1
        if room >= 7 {
            let cells = min(20, room - 2)
            let fraction =
                transfer.totalBytes > 0
                ? Double(transfer.bytes) / Double(transfer.totalBytes)
                : transfer.totalItems > 0 ? Double(transfer.items) / Double(transfer.totalItems) : 1
            let filled = Int((min(1, fraction) * Double(cells)).rounded())
            line =
                "[" + String(repeating: "#", count: filled) + String(repeating: "-", count: cells - filled) + "] "
                + line
        }
        let left = limit - Self.displayWidth(line) - 2
        if left >= 12, let name = transfer.inFlight.last {
            line += "  " + Self.clip(name, to: left)
        }
        return Self.clip(line, to: limit)
    }

    /// The segments that fit in `limit` columns, joined in their order; the most useful ones are kept first.
    private static func fit(_ segments: [Segment], limit: Int) -> String {
        var kept = Set<Int>()
        var used = 0
        for (index, segment) in segments.enumerated().sorted(by: { $0.element.priority < $1.element.priority }) {
            let cost = displayWidth(segment.text) + (kept.isEmpty ? 0 : 2)
            if kept.isEmpty || used + cost <= limit {
                kept.insert(index)
                used += cost
            }
        }
        return segments.indices.filter(kept.contains).map { segments[$0].text }.joined(separator: "  ")
    }

    /// `text` cut to `columns` display columns, ending in "…" when cut.
    static func clip(_ text: String, to columns: Int) -> String {
        guard displayWidth(text) > columns else { return text }
        var result = ""
        var used = 0
        for character in text {
            let width = displayWidth(of: character)
            if used + width > columns - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…"
    }

    /// Columns `text` takes on a terminal: two for East Asian wide characters and most emoji, one otherwise.
    static func displayWidth(_ text: String) -> Int {
        text.reduce(0) { $0 + displayWidth(of: $1) }
    }

    private static func displayWidth(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first?.value else { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
            0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD,
        ]
        return wide.contains { $0.contains(scalar) } ? 2 : 1
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// `0:05`, `12:34`, `1:02:03`.
    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        return total >= 3600
            ? String(format: "%d:%02d:%02d", total / 3600, total / 60 % 60, total % 60)
            : String(format: "%d:%02d", total / 60, total % 60)
    }

    /// `0.4 s`, `12 s`: a short phase's duration.
    static func shortSeconds(_ duration: Duration) -> String {
        let seconds = Self.seconds(duration)
        return seconds < 10 ? String(format: "%.1f s", seconds) : clock(seconds)
    }
}
