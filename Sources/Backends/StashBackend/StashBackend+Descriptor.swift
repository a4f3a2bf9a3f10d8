public import AsyncHTTPClient
public import GalleryCore
public import GalleryHTTP
public import Logging

extension StashBackend {
    /// The registry entry: `stash:http://host:9999/graphql` with `apiKey` (secret), `libraryDir` and
    /// `serverLibraryDir`. `retry` bounds the sends of one request (`--low-level-retries`).
    public static func descriptor(httpClient: HTTPClient, retry: RetryPolicy = RetryPolicy()) -> BackendDescriptor {
        BackendDescriptor(
            name: "stash",
            summary: "A Stash server: galleries of library images; writes go through a library folder and a scan",
            options: [
                BackendOption("url", help: "GraphQL endpoint, http://host:9999/graphql", isRequired: true),
                BackendOption(
                    "apiKey", help: "API key (Settings → Security); empty for an open server", isSecret: true),
                BackendOption(
                    "libraryDir",
                    help: "A folder on this machine inside one of the server's libraries; without it Stash is read-only"
                ),
                BackendOption(
                    "serverLibraryDir",
                    help: "The same folder as the server sees it (Docker volume, NAS share); defaults to libraryDir"),
            ],
            capabilities: make(
                Configuration(url: "http://127.0.0.1:9999/graphql", libraryDir: "/"), httpClient: httpClient,
                logger: Logger(label: "stash")
            ).capabilities,
            inlineOption: "url"
        ) { remote, logger in
            let configuration = Configuration(
                name: remote.name, url: try remote.requiredOption("url"), apiKey: remote.option("apiKey"),
                libraryDir: remote.option("libraryDir"), serverLibraryDir: remote.option("serverLibraryDir"))
            return make(configuration, httpClient: httpClient, logger: logger, retry: retry)
        }
    }

    /// A backend whose client sends the key as Stash's `ApiKey` header and classifies GraphQL errors inside 200
    /// answers (``StashGraphQL/classifier``).
    public static func make(
        _ configuration: Configuration, httpClient: HTTPClient, logger: Logger, retry: RetryPolicy = RetryPolicy()
    ) -> StashBackend {
        let authorizer: any RequestAuthorizer =
            configuration.apiKey.map {
                StaticCredentials(
                    name: "ApiKey", value: $0,
                    hint: "Copy the API key from Stash (Settings → Security → API Key) into `apiKey`.")
            } ?? NoCredentials()
        let client = RemoteHTTPClient(
            httpClient: httpClient,
            configuration: .init(backend: configuration.name, baseURL: configuration.origin, retry: retry),
            logger: logger, redactor: Redactor(secrets: configuration.apiKey.map { [$0] } ?? []),
            authorizer: authorizer, classifier: StashGraphQL.classifier)
        return StashBackend(configuration: configuration, client: client)
    }
}
