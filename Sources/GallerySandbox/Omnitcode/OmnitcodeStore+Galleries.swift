import Foundation
import Hummingbird

/// A gallery translation as a request gives it.
struct OmnitcodeTranslationInput: Sendable {
    var languageID: String
    var title: String
    var description: String?
    var metaTitle: String?
    var metaDescription: String?
}

/// The fields of a gallery create or update; `nil` means "not sent" for updates.
struct OmnitcodeGalleryInput: Sendable {
    var slug: String?
    var status: String?
    /// `.some(nil)`: sent as null (clears the cover on update).
    var coverImageID: String??
    var authorID: String??
    var translations: [OmnitcodeTranslationInput] = []
}

extension OmnitcodeStore {
    typealias Gallery = OmnitcodeState.Gallery

    func listGalleries(_ paging: OmnitcodePaging, status: String?) -> Response {
        let rows = state.galleries.filter { $0.deletedAt == nil && (status == nil || $0.status == status) }
        return page(rows.map { ["id": $0.id, "slug": $0.slug, "status": $0.status] as [String: Any] }, paging)
    }

    func gallery(_ id: String) throws -> Response {
        galleryResponse(try liveGallery(id), .ok)
    }

    func createGallery(_ input: OmnitcodeGalleryInput, by user: User) throws -> Response {
        let slug = input.slug ?? ""
        // Soft-deleted galleries keep their slug reserved (the unique index covers them).
        guard !state.galleries.contains(where: { $0.slug == slug }) else {
            throw OmnitcodeError(.conflict, "Gallery slug already exists")
        }
        if let cover = input.coverImageID ?? nil, mediaRow(cover) == nil {
            throw OmnitcodeError.notFound("Cover image")
        }
        let now = Date()
        var translations: [OmnitcodeState.Translation] = []
        for translation in input.translations {
            try requireLanguage(translation.languageID)
            translations.removeAll { $0.languageID == translation.languageID }
            translations.append(makeTranslation(translation, now: now))
        }
        let gallery = Gallery(
            id: Self.newID(), slug: slug, status: input.status ?? "draft", coverImageID: input.coverImageID ?? nil,
            authorID: (input.authorID ?? nil) ?? user.id, createdBy: user.id, translations: translations, links: [],
            createdAt: now, updatedAt: nil, deletedAt: nil)
        state.galleries.append(gallery)
        save()
        return galleryResponse(gallery, .created)
    }

    func updateGallery(_ id: String, _ input: OmnitcodeGalleryInput) throws -> Response {
        let index = try liveIndex(id)
        if let slug = input.slug, state.galleries.contains(where: { $0.slug == slug && $0.id != id }) {
            throw OmnitcodeError(.conflict, "Gallery slug already exists")
        }
        if case .some(.some(let cover)) = input.coverImageID, mediaRow(cover) == nil {
            throw OmnitcodeError.notFound("Cover image")
        }
        if let slug = input.slug { state.galleries[index].slug = slug }
        if let status = input.status { state.galleries[index].status = status }
        if let cover = input.coverImageID { state.galleries[index].coverImageID = cover }
        if let author = input.authorID { state.galleries[index].authorID = author }
        state.galleries[index].updatedAt = Date()
        save()
        return galleryResponse(state.galleries[index], .ok)
    }

    func deleteGallery(_ id: String) throws -> Response {
        let index = try liveIndex(id)
        state.galleries[index].deletedAt = Date()
        save()
        return Response(status: .noContent)
    }

    func upsertTranslation(_ id: String, _ input: OmnitcodeTranslationInput) throws -> Response {
        let index = try liveIndex(id)
        try requireLanguage(input.languageID)
        let now = Date()
        if let existing = state.galleries[index].translations.firstIndex(where: { $0.languageID == input.languageID }) {
            var translation = state.galleries[index].translations[existing]
            translation.title = input.title
            translation.description = input.description
            translation.metaTitle = input.metaTitle
            translation.metaDescription = input.metaDescription
            translation.updatedAt = now
            state.galleries[index].translations[existing] = translation
        } else {
            state.galleries[index].translations.append(makeTranslation(input, now: now))
        }
        state.galleries[index].updatedAt = now
        save()
        return galleryResponse(state.galleries[index], .ok)
    }

    func deleteTranslation(_ id: String, languageID: String) throws -> Response {
        let index = try liveIndex(id)
        guard state.galleries[index].translations.contains(where: { $0.languageID == languageID }) else {
            throw OmnitcodeError.notFound("Translation")
        }
        state.galleries[index].translations.removeAll { $0.languageID == languageID }
        state.galleries[index].updatedAt = Date()
        save()
        return galleryResponse(state.galleries[index], .ok)
    }

    /// Adds a media link; `order` absent or 0 appends at max+1 (an empty gallery starts at 0).
    func addMedia(_ id: String, mediaID: String, order: Int?, caption: String?) throws -> Response {
        let index = try liveIndex(id)
        guard mediaRow(mediaID) != nil else { throw OmnitcodeError.notFound("Media") }
        guard !state.galleries[index].links.contains(where: { $0.mediaID == mediaID }) else {
            throw OmnitcodeError(.badRequest, "Media is already in this gallery")
        }
        let links = state.galleries[index].links
        let position = (order ?? 0) != 0 ? order! : (links.map(\.order).max().map { $0 + 1 } ?? 0)
        state.galleries[index].links.append(
            .init(mediaID: mediaID, order: position, caption: caption, createdAt: Date()))
        state.galleries[index].updatedAt = Date()
        save()
        return galleryResponse(state.galleries[index], .created)
    }

    /// Changes one link's order or caption, without renumbering the others.
    func updateMediaLink(_ id: String, mediaID: String, order: Int?, caption: Field<String>) throws -> Response {
        let index = try liveIndex(id)
        guard let link = state.galleries[index].links.firstIndex(where: { $0.mediaID == mediaID }) else {
            throw OmnitcodeError(.notFound, "Media not found in this gallery")
        }
        linkCache["\(id)/\(mediaID)"] = nil
        if let order { state.galleries[index].links[link].order = order }
        switch caption {
        case .absent: break
        case .null: state.galleries[index].links[link].caption = nil
        case .value(let text): state.galleries[index].links[link].caption = text
        }
        state.galleries[index].updatedAt = Date()
        save()
        return galleryResponse(state.galleries[index], .ok)
    }

    func removeMedia(_ id: String, mediaID: String) throws -> Response {
        let index = try liveIndex(id)
        guard state.galleries[index].links.contains(where: { $0.mediaID == mediaID }) else {
            throw OmnitcodeError(.notFound, "Media not found in this gallery")
        }
        state.galleries[index].links.removeAll { $0.mediaID == mediaID }
        linkCache["\(id)/\(mediaID)"] = nil
        state.galleries[index].updatedAt = Date()
        save()
        return galleryResponse(state.galleries[index], .ok)
    }

    /// All-or-nothing: `mediaIDs` must be exactly the gallery's set; positions become 0…n-1.
    func reorder(_ id: String, mediaIDs: [String]) throws -> Response {
        let index = try liveIndex(id)
        let current = Set(state.galleries[index].links.map(\.mediaID))
        guard mediaIDs.allSatisfy(current.contains) else {
            throw OmnitcodeError(.notFound, "One or more media IDs not found in gallery")
        }
        guard Set(mediaIDs) == current, mediaIDs.count == current.count else {
            throw OmnitcodeError(.badRequest, "Not all media items included in reorder request")
        }
        for mediaID in mediaIDs { linkCache["\(id)/\(mediaID)"] = nil }
        for (position, mediaID) in mediaIDs.enumerated() {
            if let link = state.galleries[index].links.firstIndex(where: { $0.mediaID == mediaID }) {
                state.galleries[index].links[link].order = position
            }
        }
        state.galleries[index].updatedAt = Date()
        save()
        return galleryResponse(state.galleries[index], .ok)
    }

    // MARK: - Helpers

    func liveIndex(_ id: String) throws -> Int {
        guard let index = state.galleries.firstIndex(where: { $0.id == id && $0.deletedAt == nil }) else {
            throw OmnitcodeError.notFound("Gallery")
        }
        return index
    }

    func liveGallery(_ id: String) throws -> Gallery { state.galleries[try liveIndex(id)] }

    func requireLanguage(_ id: String) throws {
        guard state.languages.contains(where: { $0.id == id }) else { throw OmnitcodeError.notFound("Language") }
    }

    func makeTranslation(_ input: OmnitcodeTranslationInput, now: Date) -> OmnitcodeState.Translation {
        .init(
            id: Self.newID(), languageID: input.languageID, title: input.title, description: input.description,
            metaTitle: input.metaTitle, metaDescription: input.metaDescription, createdAt: now, updatedAt: nil)
    }
}
