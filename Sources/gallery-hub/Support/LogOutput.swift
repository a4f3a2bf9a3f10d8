import Foundation
import GalleryCore
import Logging
import Synchronization

/// Where log lines go and how they look: `--log-file PATH` and `--log-format text|json`.
///
/// swift-log's `StreamLogHandler` writes text to a stream only; a file the command creates (mode 0600: logs can
/// name galleries and files a user keeps private) and one JSON object per line for log collectors are ours.
enum LogFormat: String, CaseIterable, Sendable {
    case text
    case json
}

/// An open log destination shared by every logger of the command; each line is written whole, under a lock.
final class LogSink: Sendable {
    private let descriptor: Int32
    /// Written before each line: clears a live progress line, so a log line never runs into the bar (the bar is
    /// drawn again on its next update).
    private let prefix: String
    private let lock = Mutex(())

    /// stderr; `sharedWithLiveProgress` when a progress bar is redrawn in place on it.
    static func standardError(sharedWithLiveProgress: Bool) -> LogSink {
        LogSink(descriptor: STDERR_FILENO, prefix: sharedWithLiveProgress ? "\r\u{1B}[2K" : "")
    }

    private init(descriptor: Int32, prefix: String = "") {
        self.descriptor = descriptor
        self.prefix = prefix
    }

    /// Opens `path` for appending, creating it with mode 0600.
    static func file(atPath path: String) throws -> LogSink {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = String(cString: strerror(errno))
            throw GalleryError(
                .io, "Cannot open the log file \(path): \(reason)",
                hint: "Give --log-file a path in a folder that exists and that you can write to.")
        }
        return LogSink(descriptor: descriptor)
    }

    /// Writes `line` with `write(2)`; a closed or full destination drops it (logging never ends a command).
    func write(_ line: String) {
        lock.withLock { _ in
            var bytes = Array((prefix + line).utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written <= 0 { return }
                bytes = bytes.dropFirst(written)
            }
        }
    }
}

/// A swift-log handler writing one line per event to a ``LogSink``, as text (`StreamLogHandler`'s layout) or
/// as a JSON object.
struct LineLogHandler: LogHandler {
    var label: String
    var format: LogFormat
    var sink: LogSink
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        sink.write(Self.line(event, label: label, metadata: merged, format: format, time: Date()))
    }

    static func line(_ event: LogEvent, label: String, metadata: Logger.Metadata, format: LogFormat, time: Date)
        -> String
    {
        switch format {
        case .text:
            let fields = metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(textTime(time)) \(event.level) \(label):\(fields.isEmpty ? "" : " " + fields) \(event.message)\n"
        case .json:
            var object: [String: Any] = [
                "time": jsonTime(time), "level": event.level.rawValue, "label": label,
                "message": event.message.description, "source": event.source,
            ]
            if !metadata.isEmpty { object["metadata"] = metadata.mapValues(json) }
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
                ?? Data()
            return String(decoding: data, as: UTF8.self) + "\n"
        }
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let text): text
        case .stringConvertible(let value): value.description
        case .array(let values): values.map(json)
        case .dictionary(let values): values.mapValues(json)
        }
    }

    /// `2026-12-06T06:30:15+0000`, local time, as `StreamLogHandler` writes it.
    private static func textTime(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        localtime_r(&seconds, &parts)
        var buffer = [Int8](repeating: 0, count: 32)
        let count = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S%z", &parts)
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// `2026-12-06T06:30:15.123Z`: UTC with milliseconds, for collectors that sort by it.
    private static func jsonTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
