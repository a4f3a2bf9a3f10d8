import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

extension KankaEmulator {
    func addGalleryRoutes(to router: Router<SandboxRequestContext>, prefix: String) {
        let list = "\(prefix)/campaigns/:campaign/images"
        let one = "\(prefix)/campaigns/:campaign/images/:image"
        router.get(RouterPath(list)) { request, context in
            try await handle(request, context) { _ in try await listPage(request) }
        }
        router.post(RouterPath(list)) { request, context in
            try await handle(request, context) { user in try await upload(request, user: user) }
        }
        router.get(RouterPath(one)) { request, context in
            try await handle(request, context) { user in
                let row = try await store.image(try context.parameters.require("image"))
                guard user.canManage else { throw KankaError.forbidden }
                return KankaJSON.object([("data", row.json(origin: Self.origin(of: request)))]).response(.ok)
            }
        }
        for method in [HTTPRequest.Method.put, .patch] {
            router.on(RouterPath(one), method: method) { request, context in
                try await handle(request, context) { user in
                    try await update(request, id: try context.parameters.require("image"), user: user)
                }
            }
        }
        router.delete(RouterPath(one)) { request, context in
            try await handle(request, context) { user in
                let id = try context.parameters.require("image")
                _ = try await store.image(id)
                guard user.canManage else { throw KankaError.forbidden }
                try await store.delete(id)
                // 204 with no body and no Content-Type (the docs' "200 + JSON" is not what the code does).
                return Response(status: .noContent)
            }
        }
        // A known path with the wrong method is a 405 in Laravel's words, before any token check.
        for method in [HTTPRequest.Method.put, .patch, .delete] {
            router.on(RouterPath(list), method: method) { request, _ -> Response in
                throw KankaError.methodNotAllowed(
                    method.rawValue, route: Self.route(request), supported: "GET, HEAD, POST")
            }
        }
        router.post(RouterPath(one)) { request, _ -> Response in
            throw KankaError.methodNotAllowed(
                "POST", route: Self.route(request), supported: "GET, HEAD, PUT, PATCH, DELETE")
        }
    }

    /// Token, throttle, campaign binding, then the route's work; errors after the throttle carry its headers.
    private func handle(
        _ request: Request,
        _ context: SandboxRequestContext,
        _ body: (KankaUser) async throws -> Response
    ) async throws -> Response {
        let user = try await store.authenticate(request.headers[.authorization])
        let rateHeaders = try await store.throttle(user)
        do {
            try store.checkCampaign(try context.parameters.require("campaign"))
            var response = try await body(user)
            for field in rateHeaders { response.headers.append(field) }
            return response
        } catch var error as KankaError {
            error.rateHeaders = rateHeaders
            throw error
        }
    }

    static func route(_ request: Request) -> String { String(request.uri.path.drop(while: { $0 == "/" })) }

    // MARK: - List (§3.1)

    private func listPage(_ request: Request) async throws -> Response {
        await store.noteListing()
        var rows = await store.ordered()
        // `lastSync`: only rows updated after the given time (compared as a datetime; unparsable values filter nothing).
        if let since = request.uri.queryParameters["lastSync"].flatMap({ KankaClock.seconds(fromTimestamp: String($0)) }
        ) {
            rows = rows.filter { $0.updatedAt > since }
        }
        let page = max(1, request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1)
        let origin = Self.origin(of: request)
        let paginator = KankaPaginator(
            total: rows.count, perPage: options.pageSize, currentPage: page, path: origin + request.uri.path)
        let slice = paginator.range.map { Array(rows[$0]) } ?? []
        return KankaJSON.object([
            ("data", .array(slice.map { $0.json(origin: origin) })),
            ("links", paginator.links),
            ("meta", paginator.meta),
        ]).response(.ok)
    }

    // MARK: - Upload (§3.3)

    private func upload(_ request: Request, user: KankaUser) async throws -> Response {
        let form = try await KankaMultipart.read(request, limit: 64 * 1024 * 1024)
        var errors: [(String, [String])] = []
        let files = form.parts.filter { $0.name == "file[]" && $0.filename != nil }
        await store.noteUpload(files: files.count)
        if files.isEmpty {
            let scalar = form.parts.contains { $0.name == "file" }
            errors.append(("file", [scalar ? "The file must be an array." : "The file field is required."]))
        }
        var accepted: [(name: String, ext: String, bytes: [UInt8])] = []
        let available = await store.availableKiB
        for (index, file) in files.enumerated() {
            var messages: [String] = []
            let ext = KankaContentType.sniff(file.bytes)
            if ext == nil {
                messages.append("The file.\(index) must be a file of type: \(KankaContentType.acceptedList).")
            }
            if file.bytes.count > options.maxFileKiB * 1024 {
                messages.append("The file.\(index) may not be greater than \(options.maxFileKiB) kilobytes.")
            }
            if file.bytes.count / 1024 > available {
                messages.append(
                    """
                    There is not enough storage space to upload the selected image(s). Available storage space: \
                    \(available / 1024) MB. (storage_full)
                    """)
            }
            if messages.isEmpty, let ext {
                accepted.append(
                    (Self.imageName(fromFilename: file.filename ?? "", rule: options.nameRule), ext, file.bytes))
            } else {
                errors.append(("file.\(index)", messages))
            }
        }
        let folderValue = form.value("folder_id").flatMap { $0.isEmpty ? nil : $0 }
        if let folderValue, await !store.isFolder(folderValue) {
            errors.append(("folder_id", ["The selected folder id is invalid."]))
        }
        // Validation runs before the permission check (§8.14).
        guard errors.isEmpty else { throw KankaError.validation(errors) }
        guard user.canManage else { throw KankaError.forbidden }
        let stored = await store.store(accepted, folderID: folderValue, by: user)
        let origin = Self.origin(of: request)
        // 200 with an array, even for one file; files over the quota are simply missing.
        return KankaJSON.object([("data", .array(stored.map { $0.json(origin: origin) }))]).response(.ok)
    }

    // MARK: - Update (§3.4)

    private func update(_ request: Request, id: String, user: KankaUser) async throws -> Response {
        _ = try await store.image(id)
        let bytes = try await request.body.collect(upTo: 1 << 20)
        // python-kanka sends Content-Type: application/json with empty bodies: never fail on those.
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes.readableBytesView))) as? [String: Any] ?? [:]
        var errors: [(String, [String])] = []
        let name = object["name"] as? String
        if name == nil || name!.trimmingCharacters(in: .whitespaces).isEmpty {
            errors.append(("name", ["The name field is required."]))
        } else if name!.count > 45 {
            errors.append(("name", ["The name may not be greater than 45 characters."]))
        }
        func optionalText(_ key: String, max: Int) -> String?? {
            guard let value = object[key] else { return nil }
            if value is NSNull { return .some(nil) }
            guard let text = value as? String else {
                errors.append((key, ["The \(key) must be a string."]))
                return nil
            }
            if text.count > max { errors.append((key, ["The \(key) may not be greater than \(max) characters."])) }
            return .some(Self.stripTags(text))
        }
        let description = optionalText("description", max: 1000)
        let author = optionalText("author", max: 191)
        var folderID: String?? = nil
        if let value = object["folder_id"] {
            if value is NSNull {
                folderID = .some(nil)
            } else if let folder = value as? String, await store.isFolder(folder) {
                folderID = .some(folder)
            } else {
                errors.append(("folder_id", ["The selected folder id is invalid."]))
            }
        }
        guard errors.isEmpty else { throw KankaError.validation(errors) }
        guard user.canManage else { throw KankaError.forbidden }
        let row = try await store.update(
            id, name: Self.stripTags(name ?? ""), description: description, author: author, folderID: folderID)
        return KankaJSON.object([("data", row.json(origin: Self.origin(of: request)))]).response(.ok)
    }

    // MARK: - Static hosts: thumbnails and the UGC CDN (§3.7)

    func addStaticRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        // No token needed: files are public objects.
        router.get("\(Self.cdnPath)/**") { request, _ -> Response in
            let storagePath = String(request.uri.path.dropFirst(Self.cdnPath.count + 1))
            guard let row = await store.original(storagePath: storagePath) else {
                return Response(status: .notFound)
            }
            var headers = HTTPFields()
            headers[.contentType] = Self.mimeType(ext: row.ext)
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: row.bytes)))
        }
        router.get("\(Self.thumbnailPath)/**") { request, _ -> Response in
            guard let range = request.uri.path.range(of: "/src/") else { return Response(status: .notFound) }
            let storagePath = String(request.uri.path[range.upperBound...])
            guard let row = await store.original(storagePath: storagePath) else { return Response(status: .notFound) }
            // A stand-in for the 300×300 crop: a small PNG-signed body that is never the original's bytes.
            var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            bytes += Array("thumbnail 300x300 of \(row.id)".utf8)
            var headers = HTTPFields()
            headers[.contentType] = "image/png"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    static func mimeType(ext: String?) -> String {
        switch ext {
        case "jpg": "image/jpeg"
        case "png": "image/png"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "svg": "image/svg+xml"
        case "woff2": "font/woff2"
        default: "application/octet-stream"
        }
    }
}
