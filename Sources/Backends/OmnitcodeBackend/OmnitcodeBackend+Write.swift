import Foundation
public import GalleryCore
import GalleryHTTP

extension OmnitcodeBackend {
    public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
        do {
            if spec.parent != nil {
                throw GalleryError.unsupported(.nestedGalleries, backend: name, gallery: spec.title)
            }
            if !spec.extra.isEmpty { throw GalleryError.unsupported(.extras, backend: name, gallery: spec.title) }
            let translations = try await translationBodies(
                title: spec.title, description: spec.description, translations: spec.translations)
            let base = spec.slug.map(Self.slugify) ?? Self.slugify(spec.title)
            // A taken slug (perhaps by a soft-deleted gallery we cannot see) gets a numeric suffix.
            for attempt in 1...20 {
                let slug = attempt == 1 ? base : "\(base.prefix(250))-\(attempt)"
                var body: [String: JSONValue] = [
                    "slug": .string(slug), "status": .string(Self.status(spec.visibility)),
                    "translations": .array(translations.map { .object($0) }),
                ]
                if spec.visibility == nil { body["status"] = .string("draft") }
                do {
                    let created = try await send(
                        "POST", "/api/v1/galleries", body: body, as: OmnitcodeWire.Gallery.self)
                    return GalleryID(created.id)
                } catch let error as GalleryError where error.code == .conflict && attempt < 20 {
                    continue
                }
            }
            throw GalleryError(.conflict, "No free slug for '\(spec.title)'", backend: name, gallery: spec.title)
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: spec.title)
        }
    }

    public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
        do {
            if changes.extra.map({ !$0.isEmpty }) ?? false {
                throw GalleryError.unsupported(.extras, backend: name, gallery: id.rawValue)
            }
            let path = try galleryPath(id)
            if let visibility = changes.visibility {
                try await sendDiscarding("PATCH", path, body: ["status": .string(Self.status(visibility))])
            }
            guard changes.translations != nil || changes.title != nil || changes.description != nil else { return }
            let current = try await gallery(id)
            var wanted = changes.translations ?? current.translations
            var primary =
                wanted[configuration.language] ?? Translation(title: current.title, description: current.description)
            if let title = changes.title { primary.title = title }
            if let description = changes.description { primary.description = description }
            wanted[configuration.language] = primary
            let table = try await languageTable()
            for (code, translation) in wanted.sorted(by: { $0.key < $1.key })
            where current.translations[code] != translation {
                guard let languageID = table[code] else {
                    _ = try await languageID(code)
                    continue
                }
                try await sendDiscarding(
                    "PUT", "\(path)/translations", body: Self.translationBody(languageID, translation))
            }
            for code in current.translations.keys where wanted[code] == nil {
                guard let languageID = table[code] else { continue }
                try await client.perform(RemoteRequest("DELETE", "\(path)/translations/\(languageID)"))
            }
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: id.rawValue)
        }
    }

    public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
        try await addItem(to: gallery, spec: spec, bytes: bytes, checkpoint: NoCheckpoint())
    }

    /// Uploads the bytes (hashing them on the way), links the media at the end of the gallery, then sets alt text.
    ///
    /// Three requests, so the uploaded media's id goes into `checkpoint` before it is linked: a retry, or a run
    /// resumed after a kill, links that media instead of uploading it again. An upload whose answer was lost
    /// is looked for in the media library before it is sent again (``reusableMedia(_:spec:bytes:)``).
    public func addItem(
        to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream, checkpoint: any WriteCheckpoint
    ) async throws -> Item {
        do {
            try requireMetadataSupport(spec.metadata, gallery: gallery)
            try checkStorable(spec, gallery: gallery)
            let path = try galleryPath(gallery)
            let (media, digest) = try await uploadOnce(spec, bytes: bytes, checkpoint: checkpoint)
            var body: [String: JSONValue] = ["media_id": .string(media.id)]
            if let caption = spec.metadata.caption { body["caption"] = .string(caption) }
            do {
                // Sent again after a lost answer: the server refuses a second link with 400, checked below.
                var link = try RemoteRequest.json("POST", "\(path)/media", body: body)
                link.isIdempotent = true
                try await client.perform(link)
            } catch let error as GalleryError where error.httpStatus == 400 {
                // "Already in this gallery": a retried add that had succeeded. Confirm, else rethrow.
                let links = try await wireGallery(gallery).galleryMedia
                guard links.contains(where: { $0.mediaID == media.id }) else { throw error }
            }
            if let altText = spec.metadata.altText {
                try await writeAltText(altText, media: media.id, gallery: gallery)
            }
            var item = self.item(media, id: media.id, caption: spec.metadata.caption, created: nil)
            item.altText = spec.metadata.altText ?? media.altText
            item.digest = .sha256(digest)
            return item
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue, item: spec.filename)
        }
    }

    public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
        do {
            try requireMetadataSupport(metadata, gallery: ref.gallery)
            try checkCaption(metadata.caption, gallery: ref.gallery)
            let path = try galleryPath(ref.gallery)
            let media = ref.item.rawValue.lowercased()
            try await sendDiscarding(
                "PATCH", "\(path)/media/\(media)", body: ["caption": metadata.caption.map(JSONValue.string) ?? .null])
            // A site without the alt-text route has none to clear; one asked to hold an alt text refuses.
            if try await mediaUpdates.canWriteAltText(probe: { try await probeMediaUpdate() })
                || metadata.altText != nil
            {
                try await writeAltText(metadata.altText, media: media, gallery: ref.gallery)
            }
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: ref.gallery.rawValue, item: ref.item.rawValue)
        }
    }

    /// One `reorder` with the complete list: the only order operation whose result is fully determined.
    public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
        do {
            let path = try galleryPath(gallery)
            let current = Set(try await wireGallery(gallery).galleryMedia.map { $0.mediaID.lowercased() })
            let wanted = items.map { $0.rawValue.lowercased() }
            guard Set(wanted) == current, wanted.count == current.count else {
                throw GalleryError(
                    .invalidInput, "setOrder needs every item of the gallery exactly once", backend: name,
                    hint: "Pass all \(current.count) item ids.")
            }
            try await sendDiscarding(
                "POST", "\(path)/media/reorder", body: ["media_ids": .array(wanted.map(JSONValue.string))])
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue)
        }
    }

    public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
        do {
            let value: JSONValue
            switch cover {
            case nil: value = .null
            case .item(let id): value = .string(id.rawValue.lowercased())
            case .standalone(let item): value = .string(item.id.rawValue.lowercased())
            }
            try await sendDiscarding(
                "PATCH", try galleryPath(gallery), body: ["cover_image_id": value])
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue)
        }
    }

    /// Uploads the image to the media library without linking it, and makes it the cover.
    public func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
        do {
            try checkStorable(spec, gallery: gallery)
            let path = try galleryPath(gallery)
            let (media, _) = try await upload(spec, bytes: bytes)
            if let altText = spec.metadata.altText {
                try await writeAltText(altText, media: media.id, gallery: gallery)
            }
            try await sendDiscarding(
                "PATCH", path, body: ["cover_image_id": .string(media.id)])
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: gallery.rawValue, item: spec.filename)
        }
    }

    /// Unlinks the media; the file stays in the service's library (the API has no way to delete it there).
    public func removeItem(_ ref: ItemRef) async throws {
        do {
            let path = "\(try galleryPath(ref.gallery))/media/\(ref.item.rawValue.lowercased())"
            try await client.perform(RemoteRequest("DELETE", path))
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: ref.gallery.rawValue, item: ref.item.rawValue)
        }
    }

    /// Soft-deletes the gallery (its slug may stay reserved).
    public func deleteGallery(_ id: GalleryID) async throws {
        do {
            let path = try galleryPath(id)
            try await client.perform(RemoteRequest("DELETE", path))
        } catch {
            throw GalleryError.wrapping(error, backend: name, gallery: id.rawValue)
        }
    }
}
