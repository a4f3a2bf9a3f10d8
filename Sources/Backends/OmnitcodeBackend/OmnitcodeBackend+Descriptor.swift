public import AsyncHTTPClient
import Foundation
public import GalleryCore
public import GalleryHTTP
import Logging

extension OmnitcodeBackend {
    /// The registry entry for `omnitcode` remotes. Pass the process's one `HTTPClient`; `retry` bounds the sends
    /// of one request.
    public static func descriptor(httpClient: HTTPClient, retry: RetryPolicy = RetryPolicy()) -> BackendDescriptor {
        BackendDescriptor(
            name: "omnitcode",
            summary: "Omnitcode CMS API: ordered media galleries with captions, covers and translations",
            options: [
                BackendOption("url", help: "The service's origin, e.g. https://cms.example.org", isRequired: true),
                BackendOption("email", help: "Login email of an account with galleries:* and media:* permissions"),
                BackendOption("password", help: "That account's password", isSecret: true),
                BackendOption("token", help: "An access token, instead of email and password", isSecret: true),
                BackendOption("language", help: "Language code of gallery titles and descriptions", defaultValue: "en"),
                BackendOption("media_url", help: "Where uploads/… files are served, if not the origin"),
                BackendOption("languages", help: "code=uuid pairs, comma-separated, when /languages is not readable"),
            ],
            capabilities: capabilities,
            inlineOption: "url",
            factory: { remote, logger in
                var languageIDs: [String: String] = [:]
                for pair in (remote.option("languages") ?? "").split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2 { languageIDs[parts[0]] = parts[1].lowercased() }
                }
                return try OmnitcodeBackend(
                    name: remote.name,
                    configuration: Configuration(
                        url: try remote.requiredOption("url"), mediaURL: remote.option("media_url"),
                        email: remote.option("email"), password: remote.option("password"),
                        token: remote.option("token"),
                        language: remote.option("language") ?? "en", languageIDs: languageIDs),
                    httpClient: httpClient, logger: logger, retry: retry)
            }
        )
    }
}
