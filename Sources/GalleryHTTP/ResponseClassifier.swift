public import GalleryCore

/// What an answer means for the request that got it.
public enum ResponseVerdict: Sendable {
    /// The request did what was asked.
    case success
    /// The credentials were refused as missing or expired: renew them and send again.
    case unauthorized
    /// The server refused the request as over its rate limit, and waits `after` (when it said so) before taking
    /// another. The request was not processed, so sending it again is safe.
    case throttled(after: Duration?)
    /// The server failed; sending the request again may work. Repeated only when the request is idempotent.
    /// `nil` lets the client build the error from the status.
    case retryable(GalleryError? = nil)
    /// Sending the request again cannot help.
    case fatal(GalleryError? = nil)
}

/// Turns one platform's answer into a ``ResponseVerdict``.
///
/// The lifecycle calls it for every answer, 2xx included; for a JSON request the answer's body is there, so a
/// platform that reports failures inside a 200 (GraphQL's `errors`) classifies them here.
public protocol ResponseClassifier: Sendable {
    func classify(_ answer: RemoteAnswer) -> ResponseVerdict
}

/// HTTP's own meanings, with two hooks for what a platform adds.
///
/// 2xx → success; 401 → unauthorized; 429 → throttled after `Retry-After` (a header-less 429, as Kanka sends
/// with a bare JSON array for body, is throttled with no wait: the admission policy knows the window);
/// 408 and 5xx → retryable; anything else → fatal.
public struct StandardClassifier: ResponseClassifier {
    /// Answers besides 401 that mean the credentials expired (FastAPI's 403 "Not authenticated").
    public var isUnauthorized: @Sendable (RemoteAnswer) -> Bool
    /// Looks inside a 2xx answer for a failure it reports in its body; `nil` keeps it a success.
    public var inspectSuccess: @Sendable (RemoteAnswer) -> ResponseVerdict?

    public init(
        isUnauthorized: @escaping @Sendable (RemoteAnswer) -> Bool = { _ in false },
        inspectSuccess: @escaping @Sendable (RemoteAnswer) -> ResponseVerdict? = { _ in nil }
    ) {
        self.isUnauthorized = isUnauthorized
        self.inspectSuccess = inspectSuccess
    }

    public func classify(_ answer: RemoteAnswer) -> ResponseVerdict {
        switch answer.status {
        case 200..<300:
            return inspectSuccess(answer) ?? .success
        case 401:
            return .unauthorized
        case 429:
            return .throttled(after: RetryAfter.parse(answer.header("retry-after")))
        case 408, 500...599:
            return .retryable()
        default:
            return isUnauthorized(answer) ? .unauthorized : .fatal()
        }
    }
}
