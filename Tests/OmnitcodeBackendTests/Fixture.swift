import AsyncHTTPClient
import GalleryCore
import GalleryHTTP
import GallerySandbox
import GalleryTestSupport
import Logging
import NIOCore
import NIOHTTP1
import OmnitcodeBackend

struct OmnitcodeFixture {
    var backend: OmnitcodeBackend
    var endpoint: Sandbox.Endpoint
    var http: HTTPClient
    var clock: ManualClock

    /// POSTs to an emulator admin route with a plain request.
    func admin(_ path: String) async throws {
        var request = HTTPClientRequest(url: endpoint.baseURL + path)
        request.method = .POST
        _ = try await http.execute(request, timeout: .seconds(120))
    }
}

/// Starts an Omnitcode emulator and hands the test a backend logged in as its admin.
func withOmnitcodeBackend<R: Sendable>(
    _ options: OmnitcodeEmulator.Options = .init(),
    password: String? = nil,
    retry: RetryPolicy = RetryPolicy(),
    _ body: (OmnitcodeFixture) async throws -> R
) async throws -> R {
    let emulator = try OmnitcodeEmulator(options: options)
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await withSandbox([emulator]) { sandbox in
            let endpoint = sandbox["omnitcode"]!
            let credentials = Dictionary(endpoint.credentials.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            let clock = ManualClock()
            let backend = try OmnitcodeBackend(
                name: "sandbox-omnitcode",
                configuration: .init(
                    url: endpoint.baseURL, email: credentials["email"], password: password ?? credentials["password"]),
                httpClient: http, logger: Logger(label: "omnitcode-test"), retry: retry, clock: clock)
            return try await body(OmnitcodeFixture(backend: backend, endpoint: endpoint, http: http, clock: clock))
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// An item spec plus its bytes, with the SHA-256 to compare against.
struct SampleItem {
    var spec: ItemSpec
    var bytes: [UInt8]
    var sha256: String

    init(
        _ filename: String, size: Int, seed: UInt64, mimeType: String = "image/png", caption: String? = nil,
        altText: String? = nil
    ) async throws {
        bytes = try await ByteStream.pattern(count: Int64(size), seed: seed).collect(upTo: 64 << 20)
        sha256 = SHA256Digester.hex(of: bytes)
        spec = ItemSpec(
            filename: filename, mimeType: mimeType, byteCount: Int64(size),
            metadata: ItemMetadata(caption: caption, altText: altText))
    }

    var stream: ByteStream { .bytes(bytes, chunkSize: 64 * 1024) }
}
