import Foundation
import GalleryCore
import GalleryHTTP

/// The admin API calls both gallery modes make, on GalleryHTTP's client.
struct KonigleAPI: Sendable {
    let name: String
    let client: RemoteHTTPClient

    /// The largest page the service serves.
    static let pageSize = 200

    func get<T: Decodable>(_ path: String, query: [(name: String, value: String)] = [], as type: T.Type) async throws
        -> T
    {
        try await client.json(RemoteRequest("GET", path, query: query), as: T.self)
    }

    func send<T: Decodable>(_ method: String, _ path: String, body: some Encodable, as type: T.Type) async throws -> T {
        try await client.json(try RemoteRequest.json(method, path, body: body), as: T.self)
    }

    func delete(_ path: String) async throws {
        try await client.perform(RemoteRequest("DELETE", path))
    }

    /// Every element of a listing, page by page (`next` non-null while pages remain).
    func all<T: Decodable & Sendable>(_ path: String, query: [(name: String, value: String)]) async throws -> [T] {
        var result: [T] = []
        for try await element in pages(path, query: query, as: T.self, map: { $0 }) { result.append(element) }
        return result
    }

    /// A listing as a stream of `map`ped elements, fetching each page when the previous one is used up.
    func pages<T: Decodable & Sendable, U: Sendable>(
        _ path: String, query: [(name: String, value: String)], as type: T.Type, map: @escaping @Sendable (T) -> U
    ) -> AsyncThrowingStream<U, any Error> {
        let api = self
        return PagedStream.make(start: 1) { (page: Int) in
            let answer = try await api.get(
                path, query: [("page", String(page)), ("page_size", String(Self.pageSize))] + query,
                as: KonigleWire.Page<T>.self)
            return (answer.payload.map(map), answer.next == nil || answer.payload.isEmpty ? nil : page + 1)
        }
    }

    /// Sends a file as the multipart part `fileField` with `fields` before it, hashing the bytes on the way, and
    /// checks that the stream gave exactly the bytes the spec declared.
    func upload<T: Decodable>(
        _ path: String, fields: [(name: String, value: String)], fileField: String, spec: ItemSpec, bytes: ByteStream,
        as type: T.Type
    ) async throws -> (answer: T, sha256: String, byteCount: Int64) {
        let digester = StreamDigester()
        let form = MultipartForm(
            fields: fields, fileField: fileField, filename: Self.uploadFilename(spec),
            contentType: spec.mimeType.lowercased(), file: bytes.tapped { digester.update($0) })
        let answer = try await client.json(RemoteRequest("POST", path, body: try form.body()), as: T.self)
        return (answer, digester.finalize(), digester.byteCount)
    }

    /// Streams a file from its public URL (an absolute URL: GalleryHTTP sends no API key to the CDN).
    func download(_ url: String, expected: Int64?, item: String) async throws -> ByteStream {
        let response = try await client.send(RemoteRequest("GET", "/file", absoluteURL: url))
        guard let expected else { return response.body }
        return response.body.checkingLength(expected, backend: name, item: item)
    }

    /// The byte size of a file URL, from a `HEAD` (product images do not report one).
    func size(of url: String) async throws -> Int64 {
        let response = try await client.send(RemoteRequest("HEAD", "/file", absoluteURL: url))
        guard let length = response.header("content-length").flatMap({ Int64($0) }) else {
            throw GalleryError(
                .corruptResponse, "No Content-Length for \(url)", backend: name,
                hint: "The file host did not say how large the file is.")
        }
        return length
    }

    /// A file name whose extension matches the type: the server and the SDK judge images by it.
    static func uploadFilename(_ spec: ItemSpec) -> String {
        let name = spec.filename.isEmpty ? "image" : spec.filename
        guard MIMEType.forFilename(name) != spec.mimeType.lowercased(),
            let preferred = MIMEType.preferredExtension(for: spec.mimeType)
        else { return name }
        return name + "." + preferred
    }
}
