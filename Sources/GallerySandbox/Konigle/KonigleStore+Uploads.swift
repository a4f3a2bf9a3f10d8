import Crypto
import Foundation
import Hummingbird

extension KonigleStore {
    /// `POST /uploads`: a private file from the multipart part `file`.
    func createUpload(_ form: KonigleMultipart, origin: String) throws -> Response {
        guard let file = form.files["file"] else { throw KonigleError.fields(["file": ["No file was submitted."]]) }
        var meta = Data("{}".utf8)
        if let text = form.value("meta"), !text.isEmpty {
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), object is [String: Any] else {
                throw KonigleError.fields(["meta": ["Value must be valid JSON."]])
            }
            meta = KonigleJSON.encode(object)
        }
        let info = KonigleImageInfo.read(file.bytes)
        let mimeType =
            info?.mimeType ?? file.contentType.flatMap { $0 == "application/octet-stream" ? nil : $0 }
            ?? "application/octet-stream"
        let id = KonigleRecords.newID()
        let filename = KonigleRecords.storedFilename(file.filename, mimeType: mimeType)
        let key = "uploads/\(id)/\(KonigleRecords.pathSegment(filename))"
        try storeFile(key, file.bytes)
        let now = Date()
        let upload = KonigleUpload(
            id: id, name: form.value("name").flatMap { $0.isEmpty ? nil : $0 } ?? filename, mimeType: mimeType,
            size: file.bytes.count, meta: meta, description: form.value("description") ?? "",
            tags: KonigleRecords.tags(form.value("tags") ?? ""), storagePath: key, etag: Self.md5(file.bytes),
            status: .completed, started: now, ended: now, created: now, sequence: nextSequence(), declaredSize: nil,
            fileKey: key)
        uploads[id] = upload
        return KonigleJSON.response(.created, upload.json(origin: origin, hasFile: true))
    }

    /// `POST /uploads/create-cloud-upload`: a pending upload plus a signed URL on this server's storage role
    /// (`PUT`, `Content-Type` = the declared type, exactly `file_size` bytes, before `expires_at`).
    func createCloudUpload(_ body: [String: Any], origin: String) throws -> Response {
        var errors: [String: [String]] = [:]
        let mimeType = body["mime_type"] as? String ?? ""
        let filename = body["filename"] as? String ?? ""
        let size = (body["file_size"] as? NSNumber)?.intValue
        if mimeType.isEmpty { errors["mime_type"] = ["This field is required."] }
        if filename.isEmpty { errors["filename"] = ["This field is required."] }
        if size == nil || size! < 0 { errors["file_size"] = ["A valid integer is required."] }
        guard errors.isEmpty, let size else { throw KonigleError.fields(errors) }
        let id = KonigleRecords.newID()
        let key = "uploads/\(id)/\(KonigleRecords.pathSegment(filename))"
        let now = Date()
        let upload = KonigleUpload(
            id: id, name: (body["name"] as? String).flatMap { $0.isEmpty ? nil : $0 } ?? filename,
            mimeType: mimeType, size: size, meta: Data("{}".utf8), description: "", tags: [], storagePath: key,
            etag: "", status: .pending, started: nil, ended: nil, created: now, sequence: nextSequence(),
            declaredSize: size, fileKey: key)
        uploads[id] = upload
        let expires = Int(now.timeIntervalSince1970) + options.cloudUploadLifetimeSeconds
        let path = "\(KonigleEmulator.storagePath)/\(key)"
        let signature = signature(path: path, expires: expires, mimeType: mimeType)
        var object = upload.json(origin: origin, hasFile: false)
        object["upload_url"] = "\(origin)\(path)?expires=\(expires)&signature=\(signature)"
        object["upload_method"] = "PUT"
        object["upload_headers"] = ["Content-Type": mimeType]
        object["expires_at"] = KonigleRecords.timestamp(Date(timeIntervalSince1970: TimeInterval(expires)))
        return KonigleJSON.response(.created, object)
    }

    /// The storage role's `PUT`: checks the signature, expiry, type and length; answers 200 with the ETag.
    func putCloudObject(path: String, expires: String?, signature given: String?, contentType: String?, bytes: [UInt8])
        -> Response
    {
        func refuse(_ code: String, _ message: String) -> Response {
            var headers = HTTPFields()
            headers[.contentType] = "application/xml"
            let body =
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
            return Response(status: .forbidden, headers: headers, body: .init(byteBuffer: .init(string: body)))
        }
        let key = String(path.dropFirst(KonigleEmulator.storagePath.count + 1))
        guard let upload = uploads.values.first(where: { $0.fileKey == key }) else {
            return refuse("NoSuchUpload", "The signed URL does not name a pending upload.")
        }
        guard let expires, let seconds = Int(expires), let given,
            given == signature(path: path, expires: seconds, mimeType: upload.mimeType)
        else { return refuse("SignatureDoesNotMatch", "The request signature we calculated does not match.") }
        guard Double(seconds) >= Date().timeIntervalSince1970 else {
            return refuse("AccessDenied", "Request has expired")
        }
        guard contentType?.lowercased() == upload.mimeType.lowercased() else {
            return refuse("SignatureDoesNotMatch", "Content-Type is not the signed one.")
        }
        guard bytes.count == upload.declaredSize else {
            return refuse("InvalidRequest", "The body is not the declared file_size.")
        }
        guard upload.status == .pending || upload.status == .uploading else {
            return refuse("AccessDenied", "The upload is already finished.")
        }
        do {
            try storeFile(key, bytes)
        } catch {
            return refuse("InternalError", "Cannot store the object.")
        }
        var headers = HTTPFields()
        headers[.eTag] = "\"\(Self.md5(bytes))\""
        return Response(status: .ok, headers: headers)
    }

    func upload(_ id: String, origin: String) throws -> Response {
        guard let upload = uploads[id] else { throw KonigleError.notFound }
        return KonigleJSON.response(.ok, upload.json(origin: origin, hasFile: hasFile(upload.fileKey)))
    }

    func listUploads(_ request: Request, origin: String) throws -> Response {
        var rows = uploads.values.sorted { $0.sequence > $1.sequence }
        if let types = request.uri.queryParameters["mime_type"].map(String.init), !types.isEmpty {
            rows = rows.filter { upload in
                types.split(separator: ",").contains { Self.mimeType(upload.mimeType, matches: String($0)) }
            }
        }
        let present = Set(rows.filter { hasFile($0.fileKey) }.map(\.id))
        return try Self.page(rows, request: request, origin: origin) {
            $0.json(origin: origin, hasFile: present.contains($0.id))
        }
    }

    func deleteUpload(_ id: String) throws {
        guard let upload = uploads.removeValue(forKey: id) else { throw KonigleError.notFound }
        removeFile(upload.fileKey)
    }

    /// `mark-started` / `mark-completed` / `mark-failed`: pending → uploading → completed | failed.
    func markUpload(_ id: String, _ action: String, origin: String) throws -> Response {
        guard var upload = uploads[id] else { throw KonigleError.notFound }
        let open: [KonigleUpload.Status] = [.pending, .uploading]
        guard open.contains(upload.status) else {
            throw KonigleError(.badRequest, detail: "Upload is already \(upload.status.rawValue).")
        }
        let now = Date()
        switch action {
        case "mark-started":
            upload.status = .uploading
            upload.started = now
        case "mark-completed":
            guard let bytes = file(upload.fileKey) else {
                throw KonigleError(.badRequest, detail: "The file has not been uploaded to storage yet.")
            }
            upload.status = .completed
            upload.size = bytes.count
            upload.etag = Self.md5(bytes)
            upload.ended = now
            if let info = KonigleImageInfo.read(bytes), let width = info.width, let height = info.height {
                upload.meta = KonigleJSON.encode(["width": width, "height": height])
            }
        default:
            upload.status = .failed
            upload.ended = now
        }
        uploads[id] = upload
        return KonigleJSON.response(.ok, upload.json(origin: origin, hasFile: hasFile(upload.fileKey)))
    }

    static func md5(_ bytes: [UInt8]) -> String {
        Insecure.MD5.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
