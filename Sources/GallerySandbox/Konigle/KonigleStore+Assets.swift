import Foundation
import Hummingbird

extension KonigleStore {
    /// `POST /storefront-assets`: the file under `image` (images) or `file` (videos, documents), `tags` as one
    /// comma string, `meta` as JSON text.
    func createAsset(_ form: KonigleMultipart, origin: String) throws -> Response {
        var errors: [String: [String]] = [:]
        let name = form.value("name") ?? ""
        if name.isEmpty { errors["name"] = ["This field is required."] }
        if name.count > 255 { errors["name"] = ["Ensure this field has no more than 255 characters."] }
        var meta: Data?
        if let text = form.value("meta"), !text.isEmpty {
            if let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), object is [String: Any] {
                meta = options.keepsMeta ? KonigleJSON.encode(object) : KonigleJSON.encode([String: Any]())
            } else {
                errors["meta"] = ["Value must be valid JSON."]
            }
        }
        let field = form.files["image"] != nil ? "image" : "file"
        guard let file = form.files[field] else {
            errors["image"] = ["No file was submitted."]
            throw KonigleError.fields(errors)
        }
        if file.bytes.isEmpty { errors[field] = ["The submitted file is empty."] }
        let info = KonigleImageInfo.read(file.bytes)
        if field == "image", info == nil, !file.bytes.isEmpty {
            errors["image"] = [
                "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
            ]
        }
        guard errors.isEmpty else { throw KonigleError.fields(errors) }
        let mimeType =
            info?.mimeType ?? file.contentType.flatMap { $0 == "application/octet-stream" ? nil : $0 }
            ?? "application/octet-stream"
        let id = KonigleRecords.newID()
        let filename = KonigleRecords.storedFilename(file.filename, mimeType: mimeType)
        let key = "assets/\(id)/\(KonigleRecords.pathSegment(filename))"
        try storeFile(key, file.bytes)
        let now = Date()
        let asset = KonigleAsset(
            id: id, name: name, mimeType: mimeType, altText: form.value("alt_text") ?? "", size: file.bytes.count,
            tags: KonigleRecords.tags(form.value("tags") ?? ""), description: form.value("description"), meta: meta,
            sourceURL: form.value("source_url"), width: info?.width, height: info?.height, fileKey: key, created: now,
            updated: now, sequence: nextSequence())
        assets[id] = asset
        return KonigleJSON.response(.created, asset.json(origin: origin))
    }

    func asset(_ id: String, origin: String) throws -> Response {
        guard let asset = assets[id] else { throw KonigleError.notFound }
        return KonigleJSON.response(.ok, asset.json(origin: origin))
    }

    /// `GET /storefront-assets` with `ImageFilters`: `mime_type` (a category or exact types, comma-separated),
    /// `q` (name and alt text), `min_size`/`max_size`, `tags` (any of), `ordering`.
    func listAssets(_ request: Request, origin: String) throws -> Response {
        let query = request.uri.queryParameters
        var rows = Array(assets.values)
        if let types = query["mime_type"].map(String.init), !types.isEmpty {
            let wanted = types.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            rows = rows.filter { asset in wanted.contains { Self.mimeType(asset.mimeType, matches: $0) } }
        }
        if let text = query["q"].map(String.init), !text.isEmpty {
            rows = rows.filter {
                $0.name.localizedCaseInsensitiveContains(text) || $0.altText.localizedCaseInsensitiveContains(text)
            }
        }
        if let min = query["min_size"].flatMap({ Int(String($0)) }) { rows = rows.filter { $0.size >= min } }
        if let max = query["max_size"].flatMap({ Int(String($0)) }) { rows = rows.filter { $0.size <= max } }
        if let tags = query["tags"].map(String.init), !tags.isEmpty {
            let wanted = Set(KonigleRecords.tags(tags))
            rows = rows.filter { !wanted.isDisjoint(with: $0.tags) }
        }
        let ordering = query["ordering"].map(String.init) ?? "-created_at"
        guard ["created_at", "-created_at", "updated_at", "-updated_at"].contains(ordering) else {
            throw KonigleError.fields(["ordering": ["Select a valid choice. \(ordering) is not one of the choices."]])
        }
        rows.sort { lhs, rhs in
            let byUpdate = ordering.hasSuffix("updated_at")
            let (a, b) = byUpdate ? (lhs.updated, rhs.updated) : (lhs.created, rhs.created)
            if a != b { return ordering.hasPrefix("-") ? a > b : a < b }
            return ordering.hasPrefix("-") ? lhs.sequence > rhs.sequence : lhs.sequence < rhs.sequence
        }
        return try Self.page(rows, request: request, origin: origin) { $0.json(origin: origin) }
    }

    /// `GET /storefront-assets/search?q=&asset_type=`: every word of `q` in the name, alt text, description or
    /// tags, newest first, 10 a page unless asked.
    func searchAssets(_ request: Request, origin: String) throws -> Response {
        let query = request.uri.queryParameters
        let words = (query["q"].map(String.init) ?? "").lowercased().split(separator: " ").map(String.init)
        var rows = Array(assets.values)
        if let type = query["asset_type"].map(String.init), !type.isEmpty {
            rows = rows.filter { Self.mimeType($0.mimeType, matches: type.lowercased()) }
        }
        rows = rows.filter { asset in
            let text = ([asset.name, asset.altText, asset.description ?? ""] + asset.tags).joined(separator: " ")
                .lowercased()
            return words.allSatisfy { text.contains($0) }
        }
        rows.sort { $0.sequence > $1.sequence }
        return try Self.page(rows, request: request, origin: origin, defaultSize: 10) { $0.json(origin: origin) }
    }

    /// `PATCH /storefront-assets/{id}`: `name`, `alt_text`, `tags` (a list), `description`, `meta` (an object);
    /// other keys are ignored. The file cannot change.
    func updateAsset(_ id: String, _ body: [String: Any], origin: String) throws -> Response {
        guard var asset = assets[id] else { throw KonigleError.notFound }
        var errors: [String: [String]] = [:]
        if let value = body["name"] {
            if let name = value as? String, !name.isEmpty, name.count <= 255 {
                asset.name = name
            } else {
                errors["name"] = ["Ensure this field has no more than 255 characters."]
            }
        }
        if let value = body["alt_text"] {
            if let text = value as? String {
                asset.altText = text
            } else {
                errors["alt_text"] = ["Not a valid string."]
            }
        }
        if let value = body["description"] {
            if let text = value as? String {
                asset.description = text
            } else if value is NSNull {
                asset.description = nil
            } else {
                errors["description"] = ["Not a valid string."]
            }
        }
        if let value = body["tags"] {
            if let list = value as? [String] {
                asset.tags = list.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            } else {
                errors["tags"] = ["Expected a list of items but got type \"\(Self.pythonType(value))\"."]
            }
        }
        if let value = body["meta"] {
            if let object = value as? [String: Any] {
                asset.meta = options.keepsMeta ? KonigleJSON.encode(object) : KonigleJSON.encode([String: Any]())
            } else if value is NSNull {
                asset.meta = nil
            } else {
                errors["meta"] = ["Value must be valid JSON."]
            }
        }
        guard errors.isEmpty else { throw KonigleError.fields(errors) }
        asset.updated = Date()
        assets[id] = asset
        return KonigleJSON.response(.ok, asset.json(origin: origin))
    }

    func deleteAsset(_ id: String) throws {
        guard let asset = assets.removeValue(forKey: id) else { throw KonigleError.notFound }
        removeFile(asset.fileKey)
    }

    /// Whether a stored type falls under a filter value: a category (`image`, `video`, `font`, `document`) or an
    /// exact MIME type.
    static func mimeType(_ type: String, matches filter: String) -> Bool {
        switch filter {
        case "image", "video", "font": type.hasPrefix(filter + "/")
        case "document": type.hasPrefix("application/") || type.hasPrefix("text/")
        default: type == filter
        }
    }

    static func pythonType(_ value: Any) -> String {
        switch value {
        case is String: "str"
        case is [String: Any]: "dict"
        case is NSNumber: "int"
        default: "NoneType"
        }
    }
}
