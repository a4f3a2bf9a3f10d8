import Foundation
import GraphQL
import HTTPTypes
public import Hummingbird
public import HummingbirdWebSocket
import NIOCore

/// The Stash emulator (Docs/stash.md): GraphQL executed by a real engine over our schema with Stash's names,
/// introspection included; the WebSocket handshake the Python client performs on `/graphql`; `ApiKey` auth as
/// Stash applies it; library directories read from disk at every scan; `metadataScan` as a FIFO job; and the
/// image byte route with ranges. It shares no code with the Stash adapter.
public struct StashEmulator: Emulator {
    public struct Options: Sendable {
        /// The library directories (`configuration.general.stashes`), as the server sees them. They must exist.
        public var libraryDirectories: [String]
        public var apiKey: String
        /// With a username and password set, requests without a key are refused (401, or 302 to `/login`).
        public var username: String
        public var password: String
        public var createGalleriesFromFolders: Bool
        /// `galleryCoverRegex`, matched case-insensitively against `folder/basename`.
        public var coverPattern: String
        public var imageExtensions: [String]
        /// Without ffmpeg, Stash refuses every scan.
        public var hasFFmpeg: Bool
        /// Each scan waits this long before it starts, to let tests watch a job in READY.
        public var scanDelay: Duration
        /// Where the database (`state.json`) persists across restarts, as Stash's SQLite file does; in memory
        /// when `nil`.
        public var dataDirectory: String?

        public static let defaultCoverPattern = #"(poster|cover|folder|board)\.[^\.]+$"#

        public init(
            libraryDirectories: [String],
            apiKey: String = StashEmulator.makeAPIKey(),
            username: String = "stash",
            password: String = StashEmulator.makeAPIKey().prefix(16).description,
            createGalleriesFromFolders: Bool = false,
            coverPattern: String = Options.defaultCoverPattern,
            imageExtensions: [String] = ["png", "jpg", "jpeg", "gif", "webp", "avif"],
            hasFFmpeg: Bool = true,
            scanDelay: Duration = .zero
        ) {
            self.libraryDirectories = libraryDirectories.map(StashScanner.standardized)
            self.apiKey = apiKey
            self.username = username
            self.password = password
            self.createGalleriesFromFolders = createGalleriesFromFolders
            self.coverPattern = coverPattern
            self.imageExtensions = imageExtensions
            self.hasFFmpeg = hasFFmpeg
            self.scanDelay = scanDelay
        }

        var hasCredentials: Bool { !username.isEmpty && !password.isEmpty }
    }

    public let platform = "stash"
    public let options: Options
    let store: StashStore
    let jobs: StashJobQueue
    let schema: GraphQLSchema
    let coverPattern: StashPattern

    public init(options: Options) throws {
        self.options = options
        let store = try StashStore(dataDirectory: options.dataDirectory)
        self.store = store
        let scanner = StashScanner(store: store, options: options, clock: { Date() })
        jobs = StashJobQueue(store: store, scanner: scanner, delay: options.scanDelay)
        schema = try StashSchema.make(resolvers: StashResolvers.all)
        coverPattern = StashPattern(options.coverPattern)
    }

    /// The client always talks to `/graphql`; the sandbox's `url` is that endpoint.
    public var basePath: String { "/graphql" }

    /// `apiKey` and `libraryDir` (the first library directory, where a writer puts files for the server to scan).
    public var credentials: [(key: String, value: String)] {
        [("apiKey", options.apiKey), ("libraryDir", options.libraryDirectories.first ?? "")]
    }

    /// How many scans ran to the end.
    public func scansFinished() -> Int { store.read(\.scansFinished) }

    /// How many images and galleries the server holds.
    public func contents() -> (images: Int, galleries: Int) { store.read { ($0.images.count, $0.galleries.count) } }

    /// Waits for every queued scan.
    public func waitForScans() async { await jobs.drain() }

    public func addRoutes(to router: Router<SandboxRequestContext>) {
        let emulator = self
        router.get("/healthz") { _, _ in Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: "."))) }
        router.get("/login") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: "<form method=post></form>")))
        }
        router.post("/graphql") { request, _ in
            if let refusal = emulator.refusal(request) { return refusal }
            return try await emulator.serveGraphQL(request)
        }
        router.get("/graphql") { request, _ in
            if let refusal = emulator.refusal(request) { return refusal }
            return try await emulator.serveGraphQL(request)
        }
        router.get("/image/:id/image") { request, context in
            if let refusal = emulator.refusal(request) { return refusal }
            return emulator.serveImage(id: context.parameters.get("id") ?? "", request: request)
        }
        router.get("/image/:id/thumbnail") { request, context in
            if let refusal = emulator.refusal(request) { return refusal }
            return emulator.serveImage(id: context.parameters.get("id") ?? "", request: request)
        }
        router.get("/gallery/:id/cover") { request, context in
            if let refusal = emulator.refusal(request) { return refusal }
            let id = Int(context.parameters.get("id") ?? "") ?? 0
            let pattern = emulator.coverPattern.expression
            guard
                let cover = emulator.store.read({ state in
                    state.galleries[id].flatMap { state.cover(of: $0, pattern: pattern) }
                })
            else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "Not Found")))
            }
            return emulator.serveImage(id: String(cover.id), request: request)
        }
    }

    /// `GET /__sandbox/stash/stats`: scans finished and jobs waiting; `POST /__sandbox/stash/drain` waits for
    /// every queued scan.
    public func addAdminRoutes(to router: Router<SandboxRequestContext>) {
        let emulator = self
        router.get("/__sandbox/stash/stats") { _, _ in
            let (scans, queued) = emulator.store.read { ($0.scansFinished, $0.jobs.count) }
            return Self.json(#"{"scansFinished":\#(scans),"jobsQueued":\#(queued)}"#, status: .ok)
        }
        router.post("/__sandbox/stash/drain") { _, _ in
            await emulator.waitForScans()
            return Response(status: .noContent)
        }
    }

    /// Each gallery with its images' primary files by path, and the images no gallery holds.
    public func inventory() async -> SandboxInventory? {
        store.read { state in
            func item(_ id: Int) -> SandboxInventory.Item? {
                guard let file = state.images[id]?.fileIDs.first.flatMap({ state.files[$0] }) else { return nil }
                return SandboxInventory.Item(name: file.basename, bytes: Int(file.size))
            }
            var held = Set<Int>()
            let galleries = state.galleries.values.sorted { $0.id < $1.id }.map { gallery in
                held.formUnion(gallery.imageIDs)
                let items = gallery.imageIDs.compactMap(item).sorted { $0.name < $1.name }
                return SandboxInventory.Gallery(id: String(gallery.id), title: gallery.info.title, items: items)
            }
            let unattached = state.images.keys.sorted().filter { !held.contains($0) }.compactMap(item)
            return SandboxInventory(galleries: galleries, unattached: unattached)
        }
    }

    public func faultResponse(_ fault: InjectedFault) -> Response {
        switch fault {
        case .rateLimited:
            Response(status: .tooManyRequests, body: .init(byteBuffer: ByteBuffer(string: "Too Many Requests")))
        case .serverError:
            Response(status: .internalServerError, body: .init(byteBuffer: ByteBuffer(string: "Internal Server Error")))
        }
    }

    public func errorResponse(for error: any Error) -> Response {
        if let error = error as? HTTPError, error.status == .notFound {
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "404 page not found\n")))
        }
        return Self.json(StashGraphQLHTTP.errorsDocument(["\(error)"]), status: .internalServerError)
    }

    // MARK: - Auth (Docs/stash.md, "Authentication")

    /// Stash's answer when a request may not pass, or `nil` when it may: a wrong key is always 401; without a key
    /// a server with credentials answers 401 on `/graphql` and on paths with an extension, else 302 to `/login`.
    func refusal(_ request: Request) -> Response? {
        let key = request.headers[HTTPField.Name("ApiKey")!] ?? request.uri.queryParameters.get("apikey")
        let unauthorized = Response(status: .unauthorized, headers: [HTTPField.Name("WWW-Authenticate")!: "FormBased"])
        if let key { return key == options.apiKey ? nil : unauthorized }
        guard options.hasCredentials else { return nil }
        let path = request.uri.path
        let last = path.split(separator: "/").last.map(String.init) ?? ""
        let ext = (last as NSString).pathExtension
        if path == "/graphql" || (!ext.isEmpty && ext != "html") { return unauthorized }
        let target = (request.uri.string).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return Response(status: .found, headers: [.location: "/login?returnURL=\(target)"])
    }

    // MARK: - GraphQL over HTTP

    func scope(for request: Request) -> StashScope {
        let host = request.head.authority ?? "127.0.0.1"
        return StashScope(
            store: store, options: options, jobs: jobs, baseURL: "http://\(host)", coverPattern: coverPattern)
    }

    func serveGraphQL(_ request: Request) async throws -> Response {
        let accept = request.headers[.accept]
        let body: [UInt8]
        if request.method == .get {
            let query = request.uri.queryParameters.get("query") ?? ""
            let variables = request.uri.queryParameters.get("variables") ?? "{}"
            body = Array(#"{"query":\#(StashGraphQLHTTP.quote(query)),"variables":\#(variables)}"#.utf8)
        } else {
            guard (request.headers[.contentType] ?? "").lowercased().hasPrefix("application/json") else {
                return Self.json(StashGraphQLHTTP.errorsDocument(["transport not supported"]), status: .badRequest)
            }
            body = Array(try await request.body.collect(upTo: 16 << 20).readableBytesView)
        }
        let answer = await StashGraphQLHTTP.execute(body: body, schema: schema, scope: scope(for: request))
        let status: HTTPResponse.Status =
            answer.isRequestError
            ? (StashGraphQLHTTP.wantsGraphQLResponse(accept) ? .badRequest : .unprocessableContent) : .ok
        var headers = HTTPFields()
        headers[.contentType] =
            StashGraphQLHTTP.wantsGraphQLResponse(accept) ? "application/graphql-response+json" : "application/json"
        headers[.cacheControl] = "no-store"
        return Response(
            status: answer.isMalformed ? .badRequest : status, headers: headers,
            body: .init(byteBuffer: ByteBuffer(string: answer.json)))
    }

    // MARK: - Bytes

    /// The primary file of an image (by id or MD5), read from disk now, with `Range` and `Content-Disposition`.
    func serveImage(id: String, request: Request) -> Response {
        let found = store.read { state -> (path: String, name: String)? in
            let imageID =
                Int(id) ?? (state.filesByMD5[id.lowercased()] ?? []).lazy.compactMap { state.imageByFile[$0] }.first
            guard let imageID, let image = state.images[imageID], let file = state.primaryFile(of: image) else {
                return nil
            }
            return (state.path(ofFile: file), file.basename)
        }
        guard let found else {
            return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "Not Found")))
        }
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: found.path),
            let handle = FileHandle(forReadingAtPath: found.path)
        else {
            return Response(
                status: .internalServerError,
                body: .init(byteBuffer: ByteBuffer(string: "open \(found.path): no such file or directory")))
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        var headers = HTTPFields()
        headers[.contentType] = Self.mimeType(of: found.name)
        headers[.acceptRanges] = "bytes"
        headers[HTTPField.Name("Content-Disposition")!] = "filename=\"\(found.name)\""
        headers[.cacheControl] =
            request.uri.queryParameters.get("t") == nil ? "no-cache" : "private, max-age=31536000, immutable"
        var start: Int64 = 0
        var end = size - 1
        var status = HTTPResponse.Status.ok
        if let range = request.headers[.range] {
            guard let parsed = Self.byteRange(range, size: size) else {
                try? handle.close()
                headers[.contentRange] = "bytes */\(size)"
                return Response(status: .rangeNotSatisfiable, headers: headers)
            }
            (start, end) = parsed
            status = .partialContent
            headers[.contentRange] = "bytes \(start)-\(end)/\(size)"
        }
        let length = max(0, end - start + 1)
        let offset = UInt64(start)
        let body = ResponseBody(contentLength: Int(length)) { writer in
            defer { try? handle.close() }
            try handle.seek(toOffset: offset)
            var left = length
            while left > 0, let chunk = try handle.read(upToCount: Int(min(left, 256 * 1024))), !chunk.isEmpty {
                try await writer.write(ByteBuffer(bytes: chunk))
                left -= Int64(chunk.count)
            }
            try await writer.finish(nil)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// `bytes=a-b`, `bytes=a-` or `bytes=-n` within `size`; `nil` when unsatisfiable.
    static func byteRange(_ header: String, size: Int64) -> (Int64, Int64)? {
        guard header.hasPrefix("bytes="), size > 0 else { return nil }
        let spec = header.dropFirst(6).split(separator: ",").first.map(String.init) ?? ""
        let parts = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 else { return nil }
        if parts[0].isEmpty {
            guard let suffix = Int64(parts[1]), suffix > 0 else { return nil }
            return (max(0, size - suffix), size - 1)
        }
        guard let first = Int64(parts[0]), first < size else { return nil }
        let last = parts[1].isEmpty ? size - 1 : min(size - 1, Int64(parts[1]) ?? -1)
        return last >= first ? (first, last) : nil
    }

    static func mimeType(of name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "avif": "image/avif"
        default: "application/octet-stream"
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 32-character key like the ones `generateAPIKey` makes.
    public static func makeAPIKey() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &generator)] })
    }
}
