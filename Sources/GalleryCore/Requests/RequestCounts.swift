import Foundation

/// What one remote's requests cost a command: how many went to its API, how many were refused as over the rate
/// limit, and how long requests were held back to stay under it.
///
/// Backends that talk HTTP count through GalleryHTTP's request lifecycle (``GalleryBackend/requestCounts()``);
/// the engine and the CLI only read the totals.
public struct RequestCounts: Sendable, Hashable, Codable {
    /// Requests sent to the API (each attempt counts: a retry is a request the service counted too).
    public var requests: Int
    /// Requests sent to other origins (a CDN, a presigned storage URL): outside the API's rate limit.
    public var fileRequests: Int
    /// Answers that said the rate limit was exceeded (429).
    public var throttled: Int
    /// Wall time during which at least one request waited for the rate limit (admission or a 429's wait), in
    /// seconds. Concurrent waits overlap: this is how much longer the command took, not a sum over tasks.
    public var rateLimitWaitSeconds: Double

    public init(requests: Int = 0, fileRequests: Int = 0, throttled: Int = 0, rateLimitWaitSeconds: Double = 0) {
        self.requests = requests
        self.fileRequests = fileRequests
        self.throttled = throttled
        self.rateLimitWaitSeconds = rateLimitWaitSeconds
    }

    /// What was spent since `earlier` (counts of the same meter, read before).
    public func since(_ earlier: RequestCounts) -> RequestCounts {
        RequestCounts(
            requests: requests - earlier.requests, fileRequests: fileRequests - earlier.fileRequests,
            throttled: throttled - earlier.throttled,
            rateLimitWaitSeconds: max(0, rateLimitWaitSeconds - earlier.rateLimitWaitSeconds))
    }

    /// One line for terminal reports: `46 requests, 0 × 429, 0.0 s waiting for the rate limit`.
    public var summary: String {
        var text = "\(requests) request\(requests == 1 ? "" : "s")"
        if fileRequests > 0 { text += " (+\(fileRequests) file transfers)" }
        text += ", \(throttled) × 429, " + String(format: "%.1f", rateLimitWaitSeconds) + " s waiting for the rate limit"
        return text
    }
}
