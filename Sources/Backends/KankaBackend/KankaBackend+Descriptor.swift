public import AsyncHTTPClient
public import GalleryCore
public import GalleryHTTP
public import Logging

extension KankaBackend {
    /// The registry entry: `kanka:https://api.kanka.io/1.0` with `token` (secret), `campaign`, `rate`, `window`,
    /// `cdn`.
    public static func descriptor(httpClient: HTTPClient, retry: RetryPolicy = RetryPolicy()) -> BackendDescriptor {
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
                    "window",
                    help: "Seconds the rate applies to: 60 on Kanka; an emulator may run a shorter window",
                    defaultValue: "60"),
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
            let windowText = remote.option("window") ?? "60"
            guard let seconds = Double(windowText), seconds >= 0.1, seconds <= 3600 else {
                throw GalleryError(
                    .configuration, "Remote '\(remote.name)' has window '\(windowText)', not a number of seconds",
                    backend: remote.name, hint: "Leave `window` out for Kanka itself (60 seconds).")
            }
            let window = Duration.milliseconds(Int(seconds * 1000))
            let configuration = Configuration(
                name: remote.name,
                baseURL: remote.option("url") ?? "https://api.kanka.io/1.0",
                token: try remote.requiredOption("token"),
                campaign: try remote.requiredOption("campaign"),
                cdnURL: remote.option("cdn") ?? "https://cdn-ugc.kanka.io",
                requestsPerMinute: rate, window: window,
                // The 1 s slack covers Laravel's whole-second timer on the real minute; a shortened window is an
                // emulator's, which keeps exact time.
                windowMargin: seconds >= 60 ? .seconds(1) : window / 60)
            return KankaBackend.make(configuration, httpClient: httpClient, logger: logger, retry: retry)
        }
    }

    /// A backend whose client sends the token, admits requests under a fresh window governor, and fetches
    /// originals from the CDN (another origin: no token, no budget).
    public static func make<C: Clock>(
        _ configuration: Configuration,
        httpClient: HTTPClient,
        logger: Logger,
        retry: RetryPolicy = RetryPolicy(),
        clock: C
    ) -> KankaBackend where C.Duration == Duration {
        let governor = WindowGovernor(
            limit: configuration.requestsPerMinute, window: configuration.window, margin: configuration.windowMargin,
            clock: clock)
        let api = RemoteHTTPClient(
            httpClient: httpClient,
            configuration: .init(
                backend: configuration.name, baseURL: configuration.baseURL, retry: retry,
                defaultHeaders: [("User-Agent", "GalleryHub/0.1"), ("Accept", "application/json")]),
            logger: logger, redactor: Redactor(secrets: [configuration.token]),
            authorizer: StaticCredentials(
                value: "Bearer \(configuration.token)",
                hint: "Create a new personal access token in Kanka (Settings → API) and set it as `token`."),
            admission: governor, clock: clock)
        return KankaBackend(configuration: configuration, api: api, governor: governor, clock: clock)
    }

    public static func make(
        _ configuration: Configuration, httpClient: HTTPClient, logger: Logger, retry: RetryPolicy = RetryPolicy()
    ) -> KankaBackend {
        make(configuration, httpClient: httpClient, logger: logger, retry: retry, clock: ContinuousClock())
    }
}
