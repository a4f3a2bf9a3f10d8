import AsyncHTTPClient
import GalleryCore
import GallerySandbox
import KankaBackend
import Logging

/// A Kanka emulator running in-process and what a backend needs to reach it.
struct KankaSandbox: Sendable {
    let emulator: KankaEmulator
    let endpoint: Sandbox.Endpoint
    let http: HTTPClient

    var options: KankaEmulator.Options { emulator.options }

    /// A configuration for this emulator; the CDN is the emulator's own static route. The emulator's throttle keeps
    /// exact time, so the governor's margin is a few milliseconds instead of Laravel's whole second.
    func configuration(window: Duration = .seconds(60), rate: Int? = nil) -> KankaBackend.Configuration {
        KankaBackend.Configuration(
            name: "sandbox-kanka", baseURL: endpoint.baseURL, token: options.token,
            campaign: String(options.campaignID),
            cdnURL: endpoint.origin + KankaEmulator.cdnPath, requestsPerMinute: rate ?? options.rateLimit,
            window: window,
            windowMargin: .milliseconds(10))
    }

    func backend(window: Duration = .seconds(60), rate: Int? = nil) -> KankaBackend {
        KankaBackend.make(
            configuration(window: window, rate: rate), httpClient: http, logger: Logger(label: "test.kanka"))
    }
}

/// Starts a Kanka emulator on 127.0.0.1:0, runs `body`, and shuts everything down.
func withKanka<R: Sendable>(
    _ options: KankaEmulator.Options = .init(),
    _ body: (KankaSandbox) async throws -> R
) async throws -> R {
    let emulator = try KankaEmulator(options: options)
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await withSandbox([emulator]) { sandbox in
            try await body(KankaSandbox(emulator: emulator, endpoint: sandbox["kanka"]!, http: http))
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}
