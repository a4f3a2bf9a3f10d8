import AsyncHTTPClient
import GalleryCore
import GalleryHTTP
import GallerySandbox
import GalleryTestSupport
import KonigleBackend
import Logging

struct KonigleFixture {
    var emulator: KonigleEmulator
    var endpoint: Sandbox.Endpoint
    var http: HTTPClient
    var clock: ManualClock

    /// A backend on the emulator in `mode`, its retry backoff on the test clock.
    func backend(_ mode: KonigleBackend.Mode, apiKey: String? = nil) throws -> KonigleBackend {
        try KonigleBackend(
            name: "sandbox-konigle",
            configuration: .init(url: endpoint.baseURL, apiKey: apiKey ?? emulator.options.apiKey, mode: mode),
            httpClient: http, logger: Logger(label: "konigle-test"), clock: clock)
    }
}

/// Starts a Konigle emulator in-process and hands the test the fixture.
func withKonigle<R: Sendable>(
    _ options: KonigleEmulator.Options = .init(), _ body: (KonigleFixture) async throws -> R
) async throws -> R {
    let emulator = try KonigleEmulator(options: options)
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await withSandbox([emulator]) { sandbox in
            try await body(
                KonigleFixture(emulator: emulator, endpoint: sandbox["konigle"]!, http: http, clock: ManualClock()))
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// A synthetic JPEG of `size` bytes and its spec.
func jpegItem(_ filename: String, size: Int = 3_000, seed: UInt8 = 1, metadata: ItemMetadata = ItemMetadata())
    -> (spec: ItemSpec, bytes: [UInt8])
{
    var bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0]
    var value = seed
    while bytes.count < size {
        value = value &* 73 &+ 41
        bytes.append(value)
    }
    return (ItemSpec(filename: filename, mimeType: "image/jpeg", byteCount: Int64(size), metadata: metadata), bytes)
}
