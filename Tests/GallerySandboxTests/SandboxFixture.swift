import AsyncHTTPClient
import GallerySandbox

/// Starts one Omnitcode emulator in-process and hands the test a plain client logged in as its admin.
func withOmnitcode<R: Sendable>(
    _ options: OmnitcodeEmulator.Options = .init(),
    _ body: (_ admin: PlainClient, _ anonymous: PlainClient, _ endpoint: Sandbox.Endpoint) async throws -> R
) async throws -> R {
    let emulator = try OmnitcodeEmulator(options: options)
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await withSandbox([emulator]) { sandbox in
            let endpoint = sandbox["omnitcode"]!
            let anonymous = PlainClient(http: http, baseURL: endpoint.baseURL)
            let credentials = Dictionary(endpoint.credentials.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let (admin, _) = try await anonymous.loggedIn(
                email: credentials["email"]!, password: credentials["password"]!)
            return try await body(admin, anonymous, endpoint)
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}
