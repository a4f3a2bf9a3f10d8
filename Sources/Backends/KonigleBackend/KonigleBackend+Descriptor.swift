public import AsyncHTTPClient
public import GalleryCore
public import GalleryHTTP
import Logging

extension KonigleBackend {
    /// The registry entry for `konigle` remotes: `url`, `apiKey` (secret) and `mode` (`products` or `tags`).
    /// The declared capabilities are the products mode's; a remote's backend declares its own mode's. `retry`
    /// bounds the sends of one request (`--low-level-retries`).
    public static func descriptor(httpClient: HTTPClient, retry: RetryPolicy = RetryPolicy()) -> BackendDescriptor {
        BackendDescriptor(
            name: "konigle",
            summary: "Konigle storefront: product image lists (mode products) or tagged asset sets (mode tags)",
            options: [
                BackendOption("url", help: "The site's origin", defaultValue: "https://tim.konigle.com"),
                BackendOption(
                    "apiKey", help: "Admin API key (sent as `Authorization: Token …`)", isSecret: true,
                    isRequired: true),
                BackendOption(
                    "mode", help: "products: a gallery is a product's images; tags: images tagged gallery:<slug>",
                    defaultValue: Mode.products.rawValue, addressesGalleries: true),
            ],
            capabilities: capabilities(.products),
            inlineOption: "url",
            factory: { remote, logger in
                let modeText = remote.option("mode") ?? Mode.products.rawValue
                guard let mode = Mode(rawValue: modeText) else {
                    throw GalleryError(
                        .configuration, "Remote '\(remote.name)' has mode '\(modeText)'", backend: remote.name,
                        hint: "Set `mode` to products or tags.")
                }
                return try KonigleBackend(
                    name: remote.name,
                    configuration: Configuration(
                        url: remote.option("url") ?? "https://tim.konigle.com",
                        apiKey: try remote.requiredOption("apiKey"), mode: mode),
                    httpClient: httpClient, logger: logger, retry: retry)
            }
        )
    }
}
