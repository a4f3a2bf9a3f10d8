import Foundation
import GalleryCore
import Hummingbird

extension OmnitcodeEmulator {
    static let statuses = ["draft", "published", "archived"]

    func addGalleryRoutes(to router: Router<SandboxRequestContext>) {
        let store = self.store
        let base = "/api/v1/galleries"
        router.get("\(base)") { request, _ -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:read")
            var status: String?
            if let raw = request.uri.queryParameters["status"] {
                guard Self.statuses.contains(String(raw)) else {
                    throw OmnitcodeError.validation([
                        .object([
                            "type": "enum", "loc": .array(["query", "status"]),
                            "msg": "Input should be 'draft', 'published' or 'archived'", "input": .string(String(raw)),
                        ])
                    ])
                }
                status = String(raw)
            }
            return await store.listGalleries(try paging(request), status: status)
        }
        router.post("\(base)") { request, _ -> Response in
            let user = try await store.authenticate(Self.bearer(request), permission: "galleries:create")
            let input = try Self.galleryInput(try await Self.jsonBody(request), creating: true)
            return try await store.createGallery(input, by: user)
        }
        router.get("\(base)/:id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:read")
            return try await store.gallery(try Self.id(context))
        }
        router.patch("\(base)/:id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            let input = try Self.galleryInput(try await Self.jsonBody(request), creating: false)
            return try await store.updateGallery(id, input)
        }
        router.delete("\(base)/:id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:delete")
            return try await store.deleteGallery(try Self.id(context))
        }
        router.put("\(base)/:id/translations") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let translation = Self.translation(&validator)
            try validator.finish()
            return try await store.upsertTranslation(id, translation!)
        }
        router.delete("\(base)/:id/translations/:language_id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            let language = try OmnitcodeValidator.pathUUID(
                try context.parameters.require("language_id"), name: "language_id")
            return try await store.deleteTranslation(id, languageID: language)
        }
        router.post("\(base)/:id/media") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let media = validator.uuid("media_id", required: true, nullable: false)
            let order = validator.int("order")
            let caption = validator.string("caption", max: 500)
            try validator.finish()
            return try await store.addMedia(id, mediaID: media.value ?? "", order: order.value, caption: caption.value)
        }
        router.post("\(base)/:id/media/reorder") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            var ids: [String] = []
            if let list = validator.array("media_ids", required: true).value {
                for (index, element) in list.enumerated() {
                    if let string = element as? String, let uuid = OmnitcodeValidator.uuid(string) {
                        ids.append(uuid)
                    } else {
                        var item = OmnitcodeValidator(["\(index)": element], location: ["body", "media_ids"])
                        _ = item.uuid("\(index)")
                        validator.absorb(item)
                    }
                }
            }
            try validator.finish()
            return try await store.reorder(id, mediaIDs: ids)
        }
        router.patch("\(base)/:id/media/:media_id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            let media = try OmnitcodeValidator.pathUUID(try context.parameters.require("media_id"), name: "media_id")
            var validator = OmnitcodeValidator(try await Self.jsonBody(request))
            let order = validator.int("order")
            let caption = validator.string("caption", max: 500)
            try validator.finish()
            return try await store.updateMediaLink(id, mediaID: media, order: order.value, caption: caption)
        }
        router.delete("\(base)/:id/media/:media_id") { request, context -> Response in
            _ = try await store.authenticate(Self.bearer(request), permission: "galleries:update")
            let id = try Self.id(context)
            let media = try OmnitcodeValidator.pathUUID(try context.parameters.require("media_id"), name: "media_id")
            return try await store.removeMedia(id, mediaID: media)
        }
    }

    static func id(_ context: SandboxRequestContext) throws -> String {
        try OmnitcodeValidator.pathUUID(try context.parameters.require("id"), name: "id")
    }

    /// GalleryCreate (slug required) or GalleryUpdate (everything optional).
    static func galleryInput(_ body: [String: Any], creating: Bool) throws -> OmnitcodeGalleryInput {
        var validator = OmnitcodeValidator(body)
        let slug = validator.string("slug", required: creating, nullable: !creating, min: 2, max: 255)
        let status = validator.choice("status", statuses)
        let cover = validator.uuid("cover_image_id")
        let author = validator.uuid("author_id")
        var input = OmnitcodeGalleryInput()
        input.slug = slug.value
        input.status = status.value
        switch cover {
        case .absent: input.coverImageID = nil
        case .null: input.coverImageID = .some(nil)
        case .value(let id): input.coverImageID = .some(id)
        }
        switch author {
        case .absent: input.authorID = nil
        case .null: input.authorID = .some(nil)
        case .value(let id): input.authorID = .some(id)
        }
        if creating, let list = validator.array("translations").value {
            for (index, element) in list.enumerated() {
                guard let object = element as? [String: Any] else {
                    validator.fail("translations", "model_type", "Input should be a valid dictionary", input: element)
                    continue
                }
                var item = OmnitcodeValidator(object, location: ["body", "translations", .int(index)])
                if let translation = translation(&item) { input.translations.append(translation) }
                validator.absorb(item)
            }
        }
        try validator.finish()
        return input
    }

    /// GalleryTranslationIn: `language_id` and a non-empty `title` required.
    static func translation(_ validator: inout OmnitcodeValidator) -> OmnitcodeTranslationInput? {
        let language = validator.uuid("language_id", required: true, nullable: false)
        let title = validator.string("title", required: true, nullable: false, min: 1, max: 255)
        let description = validator.string("description")
        let metaTitle = validator.string("meta_title", max: 255)
        let metaDescription = validator.string("meta_description", max: 500)
        guard let languageID = language.value, let titleValue = title.value else { return nil }
        return OmnitcodeTranslationInput(
            languageID: languageID, title: titleValue, description: description.value, metaTitle: metaTitle.value,
            metaDescription: metaDescription.value)
    }
}
