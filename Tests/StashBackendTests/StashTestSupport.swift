import AsyncHTTPClient
import Foundation
import GalleryCore
import GallerySandbox
import Logging
import NIOCore
import NIOHTTP1
import StashBackend

/// A Stash emulator running in-process over a fresh library folder, and what a backend needs to reach it.
struct StashSandbox: Sendable {
    let emulator: StashEmulator
    let endpoint: Sandbox.Endpoint
    let http: HTTPClient
    /// The library folder as the server sees it.
    let library: String

    var url: String { endpoint.baseURL }

    func configuration(
        libraryDir: String?, serverLibraryDir: String? = nil, apiKey: String? = nil
    ) -> StashBackend.Configuration {
        StashBackend.Configuration(
            name: "sandbox-stash", url: url, apiKey: apiKey ?? emulator.options.apiKey, libraryDir: libraryDir,
            serverLibraryDir: serverLibraryDir, pollInterval: .milliseconds(5))
    }

    func backend(libraryDir: String? = nil, serverLibraryDir: String? = nil, apiKey: String? = nil) -> StashBackend {
        StashBackend.make(
            configuration(libraryDir: libraryDir, serverLibraryDir: serverLibraryDir, apiKey: apiKey),
            httpClient: http, logger: Logger(label: "test.stash"))
    }

    /// A backend writing straight into the server's library folder.
    func writer() -> StashBackend { backend(libraryDir: library) }

    /// Scans the whole library through the API, as Stash's UI or a schedule would, and waits for it.
    func scanLibrary() async throws {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "ApiKey", value: emulator.options.apiKey)
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: #"{"query":"mutation { metadataScan(input: {}) }"}"#))
        let response = try await http.execute(request, timeout: .seconds(120))
        guard response.status == .ok else { throw GalleryError(.server, "scan refused: \(response.status)") }
        await emulator.waitForScans()
    }

    /// Writes a file into the library behind the server's back.
    func put(_ relative: String, _ bytes: [UInt8]) throws {
        let path = library + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw GalleryError(.io, "cannot write \(path)")
        }
    }
}

/// Starts a Stash emulator on 127.0.0.1:0 over a temporary library, runs `body`, and removes everything.
func withStash<R: Sendable>(
    createGalleriesFromFolders: Bool = false,
    _ body: (StashSandbox) async throws -> R
) async throws -> R {
    let root = NSTemporaryDirectory() + "stash-test-\(UUID().uuidString)"
    let library = root + "/library"
    try FileManager.default.createDirectory(atPath: library, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: root) }
    let emulator = try StashEmulator(
        options: .init(libraryDirectories: [library], createGalleriesFromFolders: createGalleriesFromFolders))
    let http = HTTPClient(eventLoopGroupProvider: .singleton)
    do {
        let result = try await withSandbox([emulator]) { sandbox in
            try await body(StashSandbox(emulator: emulator, endpoint: sandbox["stash"]!, http: http, library: library))
        }
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}

/// A small PNG-signed image whose content depends on `seed`.
func image(_ seed: UInt8, size: Int = 600) -> [UInt8] {
    [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        + (0..<size).map { UInt8(truncatingIfNeeded: $0 * 31 + Int(seed) * 7) }
}

func spec(_ name: String, _ bytes: [UInt8], caption: String? = nil, title: String? = nil) -> ItemSpec {
    ItemSpec(
        filename: name, mimeType: "image/png", byteCount: Int64(bytes.count),
        metadata: ItemMetadata(caption: caption, title: title))
}
