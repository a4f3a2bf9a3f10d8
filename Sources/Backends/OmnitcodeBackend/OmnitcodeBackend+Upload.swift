import Foundation
import GalleryCore
import GalleryHTTP

extension OmnitcodeBackend {
    /// Sends the bytes to `/media/upload` as the multipart part `file`, hashing them as they stream. Checks that
    /// the server stored as many bytes as were sent (and as the spec promised).
    func upload(_ spec: ItemSpec, bytes: ByteStream) async throws -> (media: OmnitcodeWire.Media, sha256: String) {
        let digester = StreamDigester()
        let form = MultipartForm(
            fileField: "file", filename: Self.uploadFilename(spec), contentType: spec.mimeType.lowercased(),
            file: bytes.tapped { digester.update($0) })
        // The stream is read once: a refused attempt fails retryable, for the engine to send fresh bytes.
        let media = try await client.json(
            RemoteRequest("POST", "/api/v1/media/upload", body: try form.body()), as: OmnitcodeWire.Media.self)
        let sent = digester.byteCount
        if let size = media.size, size != sent {
            throw GalleryError(
                .integrity, "\(name) stored \(size) bytes of \(sent) sent", backend: name, item: spec.filename)
        }
        if sent != spec.byteCount {
            throw GalleryError(
                .integrity, "The source gave \(sent) bytes, not the \(spec.byteCount) it declared", backend: name,
                item: spec.filename)
        }
        let digest = digester.finalize()
        if let expected = spec.sha256, expected.lowercased() != digest {
            throw GalleryError(
                .integrity, "Uploaded bytes hash to \(digest), not \(expected)", backend: name, item: spec.filename)
        }
        return (media, digest)
    }

    /// Refuses what Omnitcode cannot store before any byte is sent.
    func checkStorable(_ spec: ItemSpec, gallery: GalleryID) throws {
        if let rule = capabilities.refusal(mimeType: spec.mimeType, byteCount: spec.byteCount) {
            throw GalleryError(
                .invalidInput, "\(spec.filename) (\(spec.mimeType), \(spec.byteCount) bytes) cannot be stored: \(rule)",
                backend: name, gallery: gallery.rawValue, item: spec.filename,
                hint: "Convert or skip it; the plan lists such items as losses.")
        }
        try checkCaption(spec.metadata.caption, gallery: gallery)
    }

    func checkCaption(_ caption: String?, gallery: GalleryID) throws {
        if let caption, let limit = capabilities.maxCaptionLength, caption.count > limit {
            throw GalleryError(
                .invalidInput, "Caption of \(caption.count) characters exceeds \(name)'s \(limit)",
                backend: name, gallery: gallery.rawValue, hint: "Shorten it; the plan reports truncation as a loss.")
        }
    }

    /// A file name whose extension matches the type, as the service may check either.
    static func uploadFilename(_ spec: ItemSpec) -> String {
        let name = spec.filename.isEmpty ? "upload" : spec.filename
        let ext = (name as NSString).pathExtension.lowercased()
        guard let preferred = MIMEType.preferredExtension(for: spec.mimeType),
            MIMEType.forFilename(name) != spec.mimeType.lowercased(), ext != preferred
        else { return name }
        return name + "." + preferred
    }

    func translationBodies(title: String, description: String?, translations: [String: Translation]) async throws
        -> [[String: JSONValue]]
    {
        var all = translations
        all[configuration.language] = Translation(
            title: title, description: description ?? translations[configuration.language]?.description)
        var bodies: [[String: JSONValue]] = []
        for (code, translation) in all.sorted(by: { $0.key < $1.key }) {
            bodies.append(Self.translationBody(try await languageID(code), translation))
        }
        return bodies
    }

    static func translationBody(_ languageID: String, _ translation: Translation) -> [String: JSONValue] {
        var body: [String: JSONValue] = [
            "language_id": .string(languageID),
            "title": .string(translation.title.isEmpty ? "Untitled" : translation.title),
        ]
        if let description = translation.description { body["description"] = .string(description) }
        return body
    }

    static func status(_ visibility: Visibility?) -> String {
        visibility == .public ? "published" : "draft"
    }

    /// `[a-z0-9-]`, 2–255 characters: the only slugs sure to pass every deployment.
    static func slugify(_ text: String) -> String {
        let folded = text.folding(
            options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var slug = ""
        for scalar in folded.unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.hasSuffix("-"), !slug.isEmpty {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        if slug.count < 2 { slug = "gallery" + (slug.isEmpty ? "" : "-\(slug)") }
        return String(slug.prefix(255))
    }
}
