public import GalleryCore

/// The requests one remote of a command spent (``GalleryBackend/requestCounts()``), as `plan`, `copy` and
/// `verify` report them: per remote, in text and in their JSON documents (`requests`, Docs/report-schema.md).
public struct RemoteRequests: Sendable, Hashable, Codable {
    /// The remote as the command named it.
    public var remote: String
    /// `source` or `destination`.
    public var role: String
    public var requests: Int
    public var fileRequests: Int
    public var throttled: Int
    public var rateLimitWaitSeconds: Double

    public init(remote: String, role: String, counts: RequestCounts) {
        self.remote = remote
        self.role = role
        requests = counts.requests
        fileRequests = counts.fileRequests
        throttled = counts.throttled
        rateLimitWaitSeconds = (counts.rateLimitWaitSeconds * 1000).rounded() / 1000
    }

    public var counts: RequestCounts {
        RequestCounts(
            requests: requests, fileRequests: fileRequests, throttled: throttled,
            rateLimitWaitSeconds: rateLimitWaitSeconds)
    }

    /// What both sides of a command spent so far; remotes that send no HTTP requests (Local) are left out.
    public static func of(
        source: any GalleryBackend, named sourceName: String, destination: any GalleryBackend,
        named destinationName: String
    ) async -> [RemoteRequests] {
        var result: [RemoteRequests] = []
        if let counts = await source.requestCounts() {
            result.append(RemoteRequests(remote: sourceName, role: "source", counts: counts))
        }
        if let counts = await destination.requestCounts() {
            result.append(RemoteRequests(remote: destinationName, role: "destination", counts: counts))
        }
        return result
    }

    /// Terminal lines, indented as the reports indent their details: `  requests: kanka (source): 46 requests, …`.
    public static func text(_ list: [RemoteRequests]) -> [String] {
        // `kanka:` as typed reads badly before another colon: the remote alone is shown by its name.
        list.map { entry in
            let name = entry.remote.hasSuffix(":") ? String(entry.remote.dropLast()) : entry.remote
            return "  requests: \(name) (\(entry.role)): \(entry.counts.summary)"
        }
    }
}
