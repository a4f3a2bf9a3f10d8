import Foundation
import GalleryCore
import GalleryHTTP

/// What is Konigle's own in its HTTP (Docs/konigle.md "Requests"): the API key goes as `Authorization: Token
/// <key>` (GalleryHTTP sends it to the admin API only, never to the public file URLs), and a 429 carries its wait
/// in the JSON body as `retry_after` rather than in a `Retry-After` header. Retries and backoff are GalleryHTTP's.
enum KonigleHTTP {
    static func authorizer(apiKey: String) -> StaticCredentials {
        StaticCredentials(
            value: "Token \(apiKey)",
            hint: "Check the remote's apiKey (Konigle admin → API keys); it may have been revoked or mistyped.")
    }

    /// HTTP's meanings, with the 429 wait read from the body when there is no header.
    struct Classifier: ResponseClassifier {
        private let standard = StandardClassifier()

        func classify(_ answer: RemoteAnswer) -> ResponseVerdict {
            let verdict = standard.classify(answer)
            if case .throttled(nil) = verdict, let body = answer.body { return .throttled(after: retryAfter(in: body)) }
            return verdict
        }
    }

    /// The seconds of a DRF throttle body (`{"detail": …, "retry_after": 30}`), if it has them.
    static func retryAfter(in body: [UInt8]) -> Duration? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let seconds = (object["retry_after"] as? NSNumber)?.doubleValue, seconds.isFinite, seconds >= 0
        else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
