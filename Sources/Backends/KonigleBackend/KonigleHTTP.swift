import Foundation
import GalleryCore
import GalleryHTTP

/// Everything about Konigle's HTTP that is the platform's own, in one place (Docs/konigle.md "Requests"): the
/// `Authorization: Token <key>` header on admin API calls (never on file URLs, which are a public CDN), and the
/// wait of a 429, which the server puts in the JSON body as `retry_after` rather than in a `Retry-After` header.
/// Retries, backoff and error classification are GalleryHTTP's.
enum KonigleHTTP {
    /// The client configuration for one remote: the 429 wait read from the body.
    static func configuration(backend: String, baseURL: String, retry: RetryPolicy) -> RemoteHTTPClient.Configuration {
        RemoteHTTPClient.Configuration(
            backend: backend, baseURL: baseURL, retry: retry, rateLimitParser: { retryAfter(in: $0.body) })
    }

    /// `request` with the API key.
    static func authorized(_ request: RemoteRequest, apiKey: String) -> RemoteRequest {
        var request = request
        request.headers.append(("Authorization", "Token \(apiKey)"))
        return request
    }

    /// The seconds of a DRF throttle body (`{"detail": …, "retry_after": 30}`), if it has them.
    static func retryAfter(in body: [UInt8]) -> Duration? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let seconds = (object["retry_after"] as? NSNumber)?.doubleValue, seconds.isFinite, seconds >= 0
        else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }
}
