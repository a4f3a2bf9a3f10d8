import Foundation
public import GalleryCore

extension GalleryError {
    /// The error for an HTTP answer outside 2xx: the code follows the status, the server's own words are kept
    /// (redacted, shortened), and the hint says what to try.
    ///
    /// 401/403 → `auth`, 404 → `notFound`, 409 → `conflict`, 400/413/415/422 → `invalidInput`,
    /// 429 → `rateLimited`, 5xx → `server`; anything else is `server` too, marked not retryable.
    public static func http(
        status: Int,
        endpoint: String,
        backend: String,
        serverMessage: String?,
        retryAfter: Duration? = nil
    ) -> GalleryError {
        let code: Code
        let hint: String
        var retryable: Bool? = nil
        switch status {
        case 401, 403:
            code = .auth
            hint = "Check the credentials of remote '\(backend)' (log in again, or grant the account the permission)."
        case 404:
            code = .notFound
            hint = "The object may have been deleted on \(backend); re-run the plan to refresh what exists."
        case 409:
            code = .conflict
            hint = "Something with the same name or slug already exists on \(backend)."
        case 400, 413, 415, 422:
            code = .invalidInput
            hint = "\(backend) refused the request's data; the server message says which field."
        case 429:
            code = .rateLimited
            hint = "\(backend) is rate limiting; lower --transfers or wait and run again (the run resumes)."
        case 500...599:
            code = .server
            hint = "\(backend) failed on its side; retry later."
        default:
            code = .server
            hint = "Unexpected HTTP status from \(backend)."
            retryable = false
        }
        return GalleryError(
            code,
            "\(endpoint) failed with HTTP \(status)",
            backend: backend,
            httpStatus: status,
            serverMessage: serverMessage,
            retryAfter: retryAfter,
            hint: hint,
            isRetryable: retryable
        )
    }

    /// The error for a response we cannot read: names the endpoint and quotes the start of the body.
    public static func corruptResponse(
        endpoint: String,
        backend: String,
        reason: String,
        excerpt: String
    ) -> GalleryError {
        GalleryError(
            .corruptResponse,
            "Cannot read the response of \(endpoint): \(reason)",
            backend: backend,
            serverMessage: excerpt,
            hint: "The server answered something unexpected; if it persists, report it with this excerpt.",
            isRetryable: false
        )
    }
}

/// Short excerpts of bodies for errors and logs.
enum BodyExcerpt {
    static let maxCharacters = 300

    /// The first characters of `bytes` as text, redacted, with an ellipsis when cut.
    static func make(_ bytes: some Collection<UInt8>, redactor: Redactor) -> String {
        var text = String(decoding: bytes.prefix(4096), as: UTF8.self)
        text = redactor.text(text)
        text = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        if text.count > maxCharacters { text = String(text.prefix(maxCharacters)) + "…" }
        return text
    }

    /// The message a JSON error body carries (`detail`, `message`, `error`), else the excerpt of the body.
    static func serverMessage(_ bytes: [UInt8], redactor: Redactor) -> String? {
        guard !bytes.isEmpty else { return nil }
        if let object = try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) {
            if let dict = object as? [String: Any] {
                for key in ["detail", "message", "error", "errors"] {
                    if let string = dict[key] as? String { return make(Array(string.utf8), redactor: redactor) }
                    if let nested = dict[key], JSONSerialization.isValidJSONObject(nested),
                        let data = try? JSONSerialization.data(withJSONObject: nested, options: [.sortedKeys])
                    {
                        return make(Array(data), redactor: redactor)
                    }
                }
            }
        }
        return make(bytes, redactor: redactor)
    }
}
