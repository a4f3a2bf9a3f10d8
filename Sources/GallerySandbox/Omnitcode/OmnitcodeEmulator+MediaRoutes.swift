import Foundation
import GalleryCore
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore

extension OmnitcodeEmulator {
    func addMediaRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        router.post("/api/v1/media/upload") { request, _ -> Response in
            let user = try await store.authenticate(Self.bearer(request), permission: "media:upload")
            let upload = try await Self.readUpload(request)
            guard let mimeType = upload.mimeType, OmnitcodeStore.allowedTypes[mimeType] != nil else {
                throw OmnitcodeError(.badRequest, "File type not allowed: \(upload.mimeType ?? "unknown")")
            }
            guard !upload.tooLarge else {
                throw OmnitcodeError(.badRequest, "File too large. Maximum size is 10MB")
            }
            return try await store.storeUpload(
                originalFilename: upload.filename, mimeType: mimeType, bytes: upload.bytes, by: user)
        }
        router.get("/api/v1/media") { request, _ -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "media:read")
            return await store.listMedia(try paging(request), imagesOnly: false)
        }
        router.get("/api/v1/media/images") { request, _ -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "media:read")
            return await store.listMedia(try paging(request), imagesOnly: true)
        }
        router.get("/api/v1/media/:id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "media:read")
            let id = try OmnitcodeValidator.pathUUID(try context.parameters.require("id"), name: "id")
            return try await store.media(id)
        }
        let mediaPatch = options.mediaPatch
        router.patch("/api/v1/media/:id") { request, context -> Response in
            // Starlette's answer for a path that exists with other methods only.
            guard mediaPatch else { throw HTTPError(.methodNotAllowed) }
            _ = try await store.authenticate(Self.bearer(request), permission: "media:update")
            let id = try OmnitcodeValidator.pathUUID(try context.parameters.require("id"), name: "id")
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let altText = validator.string("alt_text", max: 500)
            try validator.finish()
            return try await store.updateMedia(id, altText: altText)
        }
        // Static files: no auth, the stored type, as a StaticFiles mount serves them.
        router.get("/uploads/media/:filename") { _, context -> Response in
            let filename = try context.parameters.require("filename")
            guard let file = await store.staticFile(filename) else { throw OmnitcodeError(.notFound, "Not Found") }
            var headers = HTTPFields()
            headers[.contentType] = file.mimeType
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
    }

    struct Upload {
        var filename = ""
        var mimeType: String?
        var bytes: [UInt8] = []
        var tooLarge = false
    }

    /// Streams a multipart body through multipart-kit's parser, keeping only the `file` part and at most the
    /// size limit (the rest is drained, so the client gets an answer rather than a reset).
    static func readUpload(_ request: Request) async throws -> Upload {
        guard let contentType = request.headers[.contentType],
            contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.parameter("boundary", in: contentType)
        else { throw missingFile }
        let parser = MultipartParser(boundary: boundary)
        var headers: [String: String] = [:]
        var upload = Upload()
        var foundFile = false
        var inFile = false
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in
            if !inFile {
                let disposition = headers["content-disposition"] ?? ""
                if Self.parameter("name", in: disposition) == "file", !foundFile {
                    inFile = true
                    foundFile = true
                    upload.filename = Self.parameter("filename", in: disposition) ?? "upload"
                    upload.mimeType = headers["content-type"]?.split(separator: ";").first
                        .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                }
            }
            guard inFile, !upload.tooLarge else { return }
            if upload.bytes.count + buffer.readableBytes > OmnitcodeStore.maxUploadBytes {
                upload.tooLarge = true
                upload.bytes = []
            } else {
                upload.bytes.append(contentsOf: buffer.readableBytesView)
            }
        }
        parser.onPartComplete = {
            // A part with an empty body never called onBody: still note a file part.
            if !foundFile, Self.parameter("name", in: headers["content-disposition"] ?? "") == "file" {
                foundFile = true
                upload.filename = Self.parameter("filename", in: headers["content-disposition"] ?? "") ?? "upload"
                upload.mimeType = headers["content-type"]?.lowercased()
            }
            inFile = false
            headers = [:]
        }
        for try await buffer in request.body {
            do {
                try parser.execute(buffer)
            } catch {
                throw OmnitcodeError(.badRequest, "There was an error parsing the body")
            }
        }
        guard foundFile else { throw missingFile }
        return upload
    }

    static var missingFile: OmnitcodeError {
        .validation([
            .object(["type": "missing", "loc": .array(["body", "file"]), "msg": "Field required", "input": .null])
        ])
    }

    /// A `key=value` or `key="value"` parameter of a header value.
    static func parameter(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 {
                value = String(value.dropFirst().dropLast())
            }
            return value.replacingOccurrences(of: "%22", with: "\"")
        }
        return nil
    }
}
