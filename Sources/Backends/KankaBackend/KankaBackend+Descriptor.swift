public import AsyncHTTPClient
public import GalleryCore
public import GalleryHTTP
public import Logging

extension KankaBackend {
    /// The registry entry: `kanka:https://api.kanka.io/1.0` with `token` (secret), `campaign`, `rate`, `cdn`.
    public static func descriptor(httpClient: HTTPClient) -> BackendDescriptor {
        BackendDescriptor(
            name: "kanka",
            summary: "A Kanka campaign gallery: folders are galleries; strict per-minute rate limit",
            options: [
                BackendOption("url", help: "API base URL including /1.0", defaultValue: "https://api.kanka.io/1.0"),
                BackendOption(
                    "token", help: "Personal access token (Settings → API)", isSecret: true, isRequired: true),
                BackendOption("campaign", help: "Campaign id", isRequired: true, addressesGalleries: true),
                BackendOption(
                    "rate", help: "Requests per minute the account may send (30, or 90 for subscribers)",
                    defaultValue: "30"),
                BackendOption(
                    "cdn", help: "Where original files are served (a path means the API's own host)",
                    defaultValue: "https://cdn-ugc.kanka.io"),
            ],
            capabilities: KankaBackend.make(
                Configuration(token: "", campaign: ""), httpClient: httpClient, logger: Logger(label: "kanka")
            ).capabilities,
            inlineOption: "url"
        ) { remote, logger in
            let rateText = remote.option("rate") ?? "30"
            guard let rate = Int(rateText), rate > 0 else {
                throw GalleryError(
                    .configuration, "Remote '\(remote.name)' has rate '\(rateText)', not a number",
                    backend: remote.name, hint: "Set `rate` to 30, or 90 for a subscriber account.")
            }
            let configuration = Configuration(
                name: remote.name,
                baseURL: remote.option("url") ?? "https://api.kanka.io/1.0",
                token: try remote.requiredOption("token"),
                campaign: try remote.requiredOption("campaign"),
                cdnURL: remote.option("cdn") ?? "https://cdn-ugc.kanka.io",
                requestsPerMinute: rate)
            return KankaBackend.make(configuration, httpClient: httpClient, logger: logger)
        }
    }

    /// A backend with its two HTTP clients (API with the token, CDN without) and a fresh governor.
    public static func make<C: Clock>(
        _ configuration: Configuration,
        httpClient: HTTPClient,
        logger: Logger,
        clock: C
    ) -> KankaBackend where C.Duration == Duration {
        let redactor = Redactor(secrets: [configuration.token])
        // The governor owns 429s: the client must never wait on one itself (a zero maxRetryAfter makes it throw
        // at once, carrying the parser's bound of one window).
        let retry = RetryPolicy(maxRetryAfter: .zero)
        let window = configuration.window
        let api = RemoteHTTPClient(
            httpClient: httpClient,
            configuration: .init(
                backend: configuration.name, baseURL: configuration.baseURL, retry: retry,
                defaultHeaders: [("User-Agent", "GalleryHub/0.1")], rateLimitParser: { _ in window }),
            logger: logger, redactor: redactor, clock: clock)
        let cdn = RemoteHTTPClient(
            httpClient: httpClient,
            configuration: .init(backend: configuration.name, baseURL: configuration.cdnURL),
            logger: logger, redactor: redactor, clock: clock)
        let governor = KankaRateGovernor(
            limit: configuration.requestsPerMinute, window: window, margin: configuration.windowMargin, clock: clock)
        return KankaBackend(configuration: configuration, api: api, cdn: cdn, governor: governor)
    }

    public static func make(_ configuration: Configuration, httpClient: HTTPClient, logger: Logger) -> KankaBackend {
        make(configuration, httpClient: httpClient, logger: logger, clock: ContinuousClock())
    }
}
