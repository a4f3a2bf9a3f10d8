import HTTPTypes
import Hummingbird

/// An error the Kanka emulator answers with, in the exact bodies Docs/kanka.md gives.
struct KankaError: Error, Sendable {
    var status: HTTPResponse.Status
    var body: KankaJSON
    /// Set once the request was counted by the throttle: errors raised after it carry the rate-limit headers.
    var rateHeaders = HTTPFields()

    init(_ status: HTTPResponse.Status, _ body: KankaJSON) {
        self.status = status
        self.body = body
    }

    var response: Response {
        body.response(status, headers: rateHeaders)
    }

    static let unauthenticated = KankaError(
        .unauthorized,
        .object([
            ("code", 401),
            (
                "error",
                """
                Invalid authentication token. Make sure you copy-pasted it correctly, or try using a new one at \
                https://app.kanka.io/settings/api.
                """
            ),
        ]))

    static let forbidden = KankaError(.forbidden, .object([("code", 403), ("error", "This action is unauthorized.")]))

    static let campaignNotFound = KankaError(
        .notFound,
        .object([
            ("code", 404), ("error", "No query results for model [App\\Models\\Campaign]."),
        ]))

    /// The router's own 404: no `code` key.
    static let pageNotFound = KankaError(.notFound, .object([("error", "Page not found")]))

    static func imageNotFound(_ id: String) -> KankaError {
        KankaError(
            .notFound,
            .object([("code", 404), ("error", .string("No query results for model [App\\Models\\Image] \(id)"))]))
    }

    static func methodNotAllowed(_ method: String, route: String, supported: String) -> KankaError {
        KankaError(
            .methodNotAllowed,
            .object([
                ("code", 405),
                (
                    "error",
                    .string(
                        "The \(method) method is not supported for route \(route). Supported methods: \(supported).")
                ),
            ]))
    }

    /// Laravel's validation summary: the first message, then "(and N more error[s])".
    static func validation(_ fields: [(String, [String])]) -> KankaError {
        let messages = fields.flatMap(\.1)
        var summary = messages.first ?? "The given data was invalid."
        let more = messages.count - 1
        if more > 0 { summary += " (and \(more) more error\(more == 1 ? "" : "s"))" }
        return KankaError(
            .unprocessableContent,
            .object([
                ("code", 422),
                ("error", .string(summary)),
                ("fields", .object(fields.map { ($0.0, .array($0.1.map { .string($0) })) })),
            ]))
    }

    static func unhandled(_ hint: String) -> KankaError {
        KankaError(
            .internalServerError,
            .object([
                ("code", 500), ("error", "Unhandled API error. Contact us on Discord"),
                ("hint", .string(String(hint.prefix(100)))),
                ("trace", .null),
            ]))
    }

    /// The throttle's answer: a bare array of one string and no rate-limit or Retry-After headers.
    static func throttled(limit: Int) -> KankaError {
        let message =
            limit <= 30
            ? "Your account limit of \(limit) requests per minute has been reached. Subscribe to Kanka to unlock higher limits"
            : "Your account limit of \(limit) requests per minute has been reached."
        return KankaError(.tooManyRequests, .array([.string(message)]))
    }
}
