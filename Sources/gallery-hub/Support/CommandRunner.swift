import ArgumentParser
import Foundation
import GalleryCore

/// Runs a command body, turning a `GalleryError` into a message with its hint on stderr (and an error document
/// on stdout with `--json`) and a stable exit code.
func runReportingErrors(json: Bool, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch let error as GalleryError {
        throw report(error, json: json)
    } catch let error as CancellationError {
        throw report(GalleryError.wrapping(error), json: json)
    } catch let error as UsageError {
        var text = "error: \(error.message)"
        if let hint = error.hint { text += "\nhint: \(hint)" }
        StandardStreams.writeError(text + "\n")
        if json {
            try? JSONOutput.print(
                ErrorDocument(code: "usage", message: error.message, hint: error.hint, exitCode: .usage))
        }
        throw ExitCode(ExitStatus.usage.rawValue)
    }
}

/// Arguments that make no sense together (overlapping folders): exit 64, like a parse error.
struct UsageError: Error {
    var message: String
    var hint: String?
}

/// Writes `error` to stderr (and its document to stdout with `--json`) and returns the exit code to end with:
/// `status` when given, else the error's own.
func report(_ error: GalleryError, json: Bool, status: ExitStatus? = nil) -> ExitCode {
    let status = status ?? ExitStatus.for(error)
    var text = "error: \(error)"
    if let hint = error.hint { text += "\nhint: \(hint)" }
    StandardStreams.writeError(text + "\n")
    if json { try? JSONOutput.print(ErrorDocument(error, exitCode: status)) }
    return ExitCode(status.rawValue)
}

/// The `--json` document of a failed command, usage errors included. `exitCode` is the process's exit status.
struct ErrorDocument: Encodable {
    struct Body: Encodable {
        var code: String
        var message: String
        var backend: String?
        var gallery: String?
        var item: String?
        var httpStatus: Int?
        var serverMessage: String?
        var hint: String?
        var exitCode: Int32
    }
    var schema = "gallery-hub/error"
    var schemaVersion = 1
    var error: Body

    init(_ error: GalleryError, exitCode: ExitStatus) {
        self.error = Body(
            code: error.code.rawValue, message: error.message, backend: error.backend, gallery: error.gallery,
            item: error.item, httpStatus: error.httpStatus, serverMessage: error.serverMessage, hint: error.hint,
            exitCode: exitCode.rawValue)
    }

    init(code: String, message: String, hint: String?, exitCode: ExitStatus) {
        error = Body(code: code, message: message, hint: hint, exitCode: exitCode.rawValue)
    }
}

/// Exit codes, stable across releases (documented in Docs/cli.md).
enum ExitStatus: Int32 {
    case success = 0
    /// The command ran but something did not match or some items failed (verify, copy).
    case incomplete = 1
    case configuration = 3
    case auth = 4
    case notFound = 5
    case unsupported = 6
    case invalidInput = 7
    case rateLimited = 8
    case unavailable = 9
    case corruptResponse = 10
    case conflict = 11
    case quotaExceeded = 12
    case integrity = 13
    case io = 14
    /// A copy refused to start because the plan has losses and `--accept-losses` was not given.
    case lossesNotAccepted = 15
    /// Bad command-line usage.
    case usage = 64
    case cancelled = 130

    static func `for`(_ error: GalleryError) -> ExitStatus {
        switch error.code {
        case .configuration: .configuration
        case .auth: .auth
        case .notFound: .notFound
        case .unsupported: .unsupported
        case .invalidInput: .invalidInput
        case .rateLimited: .rateLimited
        case .server, .transport: .unavailable
        case .corruptResponse: .corruptResponse
        case .conflict: .conflict
        case .quotaExceeded: .quotaExceeded
        case .integrity: .integrity
        case .cancelled: .cancelled
        default: .io
        }
    }
}

/// One JSON document on stdout: stable key order, dates in ISO 8601.
enum JSONOutput {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    static func print(_ value: some Encodable) throws {
        var data = try encoder().encode(value)
        data.append(0x0A)
        StandardStreams.writeOutput(data)
    }
}

/// Writes a line to stdout (the data channel).
func printLine(_ text: String) {
    StandardStreams.writeOutput((text + "\n").utf8)
}
