import Foundation
import GraphQL

extension StashResolvers {
    static let mutations: [String: GraphQLFieldResolve] = [
        "Mutation.galleryCreate": { _, args, context, _ in
            let scope = try scope(context)
            let input = args["input"]
            let title = (input["title"].string ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !title.isEmpty else { throw StashFieldError("title must not be empty") }
            let now = Date()
            let row = scope.store.write { state -> StashGallery in
                var gallery = StashGallery(id: state.makeID("gallery"), created: now, updated: now)
                gallery.title = title
                apply(input, to: &gallery.info)
                state.galleries[gallery.id] = gallery
                return gallery
            }
            return GalleryNode(scope: scope, row: row)
        },
        "Mutation.galleryUpdate": { _, args, context, _ in
            let scope = try scope(context)
            return GalleryNode(scope: scope, row: try updateGallery(args["input"], scope))
        },
        "Mutation.galleriesUpdate": { _, args, context, _ in
            let scope = try scope(context)
            return try (args["input"].array ?? []).map { GalleryNode(scope: scope, row: try updateGallery($0, scope)) }
        },
        "Mutation.galleryDestroy": { _, args, context, _ in
            let scope = try scope(context)
            let ids = try (args["input"]["ids"].array ?? []).map { try parseID($0, "gallery id") }
            let deleteFiles = args["input"]["delete_file"].bool == true
            return try scope.store.write { state -> Bool in
                for id in ids where state.galleries[id] == nil {
                    throw StashFieldError("gallery with id \(id) not found")
                }
                for id in ids {
                    if deleteFiles, let gallery = state.galleries[id], gallery.folderID != nil {
                        for image in gallery.imageIDs.compactMap({ state.images[$0] }) {
                            for file in image.fileIDs.compactMap({ state.files[$0] }) {
                                try? FileManager.default.removeItem(atPath: state.path(ofFile: file))
                            }
                        }
                    }
                    state.galleries[id] = nil
                    state.chapters = state.chapters.filter { $0.value.galleryID != id }
                }
                return true
            }
        },
        "Mutation.addGalleryImages": { _, args, context, _ in
            try changeMembers(args["input"], try scope(context), adding: true)
        },
        "Mutation.removeGalleryImages": { _, args, context, _ in
            try changeMembers(args["input"], try scope(context), adding: false)
        },
        "Mutation.setGalleryCover": { _, args, context, _ in
            let scope = try scope(context)
            let galleryID = try parseID(args["input"]["gallery_id"], "gallery id")
            let imageID = try parseID(args["input"]["cover_image_id"], "cover image id")
            return try scope.store.write { state -> Bool in
                guard var gallery = state.galleries[galleryID] else {
                    throw StashFieldError("gallery with id \(galleryID) not found")
                }
                // A non-member leaves no cover flag at all: the previous one is cleared, no error.
                gallery.coverImageID = gallery.imageIDs.contains(imageID) ? imageID : nil
                gallery.updated = Date()
                state.galleries[galleryID] = gallery
                return true
            }
        },
        "Mutation.resetGalleryCover": { _, args, context, _ in
            let scope = try scope(context)
            let galleryID = try parseID(args["input"]["gallery_id"], "gallery id")
            return try scope.store.write { state -> Bool in
                guard state.galleries[galleryID] != nil else {
                    throw StashFieldError("gallery with id \(galleryID) not found")
                }
                state.galleries[galleryID]?.coverImageID = nil
                state.galleries[galleryID]?.updated = Date()
                return true
            }
        },
        "Mutation.galleryChapterCreate": { _, args, context, _ in
            let scope = try scope(context)
            let input = args["input"]
            let galleryID = try parseID(input["gallery_id"], "gallery id")
            let index = input["image_index"].int ?? 0
            let now = Date()
            let row = try scope.store.write { state -> StashChapter in
                guard let gallery = state.galleries[galleryID] else {
                    throw StashFieldError("gallery with id \(galleryID) not found")
                }
                try checkChapterIndex(index, count: gallery.imageIDs.count)
                let chapter = StashChapter(
                    id: state.makeID("chapter"), galleryID: galleryID, title: input["title"].string ?? "",
                    imageIndex: index, created: now, updated: now)
                state.chapters[chapter.id] = chapter
                return chapter
            }
            return ChapterNode(scope: scope, row: row)
        },
        "Mutation.galleryChapterUpdate": { _, args, context, _ in
            let scope = try scope(context)
            let input = args["input"]
            let id = try parseID(input["id"])
            let row = try scope.store.write { state -> StashChapter in
                guard var chapter = state.chapters[id] else {
                    throw StashFieldError("gallery chapter with id \(id) not found")
                }
                if !input["gallery_id"].isUndefined, !input["gallery_id"].isNull {
                    chapter.galleryID = try parseID(input["gallery_id"], "gallery id")
                }
                guard let gallery = state.galleries[chapter.galleryID] else {
                    throw StashFieldError("gallery with id \(chapter.galleryID) not found")
                }
                if let title = input["title"].string { chapter.title = title }
                if let index = input["image_index"].int {
                    try checkChapterIndex(index, count: gallery.imageIDs.count)
                    chapter.imageIndex = index
                }
                chapter.updated = Date()
                state.chapters[id] = chapter
                return chapter
            }
            return ChapterNode(scope: scope, row: row)
        },
        "Mutation.galleryChapterDestroy": { _, args, context, _ in
            let scope = try scope(context)
            let id = try parseID(args["id"])
            return try scope.store.write { state -> Bool in
                guard state.chapters[id] != nil else {
                    throw StashFieldError("gallery chapter with id \(id) not found")
                }
                state.chapters[id] = nil
                return true
            }
        },
        "Mutation.imageUpdate": { _, args, context, _ in
            let scope = try scope(context)
            return ImageNode(scope: scope, row: try updateImage(args["input"], scope))
        },
        "Mutation.imagesUpdate": { _, args, context, _ in
            let scope = try scope(context)
            return try (args["input"].array ?? []).map { ImageNode(scope: scope, row: try updateImage($0, scope)) }
        },
        "Mutation.imageDestroy": { _, args, context, _ in
            let scope = try scope(context)
            let id = try parseID(args["input"]["id"])
            let deleteFiles = args["input"]["delete_file"].bool == true
            return try scope.store.write { state -> Bool in
                guard let image = state.images[id] else { throw StashFieldError("image with id \(id) not found") }
                for fileID in image.fileIDs {
                    if let file = state.files[fileID] {
                        if deleteFiles { try? FileManager.default.removeItem(atPath: state.path(ofFile: file)) }
                        state.fileByPath[state.path(ofFile: file)] = nil
                        state.filesByMD5[file.md5]?.removeAll { $0 == fileID }
                    }
                    state.files[fileID] = nil
                    state.imageByFile[fileID] = nil
                }
                state.images[id] = nil
                for key in Array(state.galleries.keys) where state.galleries[key]?.imageIDs.contains(id) == true {
                    state.galleries[key]?.imageIDs.remove(id)
                    if state.galleries[key]?.coverImageID == id { state.galleries[key]?.coverImageID = nil }
                }
                return true
            }
        },
        "Mutation.metadataScan": { _, args, context, _ in
            let scope = try scope(context)
            guard scope.options.hasFFmpeg else { throw StashFieldError("missing ffmpeg and/or ffprobe") }
            let paths = (args["input"]["paths"].array ?? []).compactMap(\.string)
            let id = scope.jobs.enqueueScan(paths: paths, rescan: args["input"]["rescan"].bool == true)
            return String(id)
        },
        "Mutation.stopJob": { _, args, context, _ in
            let scope = try scope(context)
            return scope.jobs.stop(try parseID(args["job_id"], "job id"))
        },
    ]

    static func checkChapterIndex(_ index: Int, count: Int) throws {
        guard index >= 1, index <= count else {
            throw StashFieldError("Image # must greater than zero and in range of the gallery images")
        }
    }

    /// The optional descriptive fields of a create or update input (titles are handled by the caller: their
    /// rules differ); absent keys leave the row as it is, `null` clears.
    static func apply(_ input: Map, to info: inout StashInfo) {
        func text(_ key: String) -> String? { input[key].isNull ? "" : input[key].string }
        if let value = text("code") { info.code = value }
        if let value = text("details") { info.details = value }
        if let value = text("photographer") { info.photographer = value }
        if let urls = input["urls"].array {
            info.urls = urls.compactMap(\.string)
        } else if let url = input["url"].string {
            info.urls = url.isEmpty ? [] : [url]
        }
        if input["date"].isNull { info.date = nil } else if let date = input["date"].string { info.date = date }
        if input["rating100"].isNull {
            info.rating100 = nil
        } else if let rating = input["rating100"].int {
            info.rating100 = rating
        }
        if let organized = input["organized"].bool { info.organized = organized }
    }

    static func updateGallery(_ input: Map, _ scope: StashScope) throws -> StashGallery {
        let id = try parseID(input["id"])
        return try scope.store.write { state in
            guard var gallery = state.galleries[id] else { throw StashFieldError("gallery with id \(id) not found") }
            if let title = input["title"].string ?? (input["title"].isNull ? "" : nil) {
                let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty, gallery.folderID == nil {
                    throw StashFieldError("title must not be empty for user-created galleries")
                }
                gallery.title = trimmed
            }
            apply(input, to: &gallery.info)
            gallery.updated = Date()
            state.galleries[id] = gallery
            return gallery
        }
    }

    static func updateImage(_ input: Map, _ scope: StashScope) throws -> StashImage {
        let id = try parseID(input["id"])
        return try scope.store.write { state in
            guard var image = state.images[id] else { throw StashFieldError("image with id \(id) not found") }
            if let title = input["title"].string ?? (input["title"].isNull ? "" : nil) { image.title = title }
            apply(input, to: &image.info)
            if let primary = input["primary_file_id"].string.flatMap(Int.init) ?? input["primary_file_id"].int {
                guard let at = image.fileIDs.firstIndex(of: primary) else {
                    throw StashFieldError("file with id \(primary) not associated with image")
                }
                image.fileIDs.insert(image.fileIDs.remove(at: at), at: 0)
            }
            if let galleries = input["gallery_ids"].array {
                let wanted = Set(try galleries.map { try parseID($0, "gallery ids") })
                for (galleryID, gallery) in state.galleries
                where gallery.imageIDs.contains(id) != wanted.contains(galleryID) {
                    try checkEditable(gallery, state)
                    if wanted.contains(galleryID) {
                        state.galleries[galleryID]?.imageIDs.insert(id)
                    } else {
                        state.galleries[galleryID]?.imageIDs.remove(id)
                    }
                }
            }
            image.updated = Date()
            state.images[id] = image
            return image
        }
    }

    static func checkEditable(_ gallery: StashGallery, _ state: StashState) throws {
        guard gallery.folderID == nil else {
            throw StashFieldError(
                "cannot change contents of folder-based gallery \"\(state.displayName(of: gallery))\"")
        }
    }

    static func changeMembers(_ input: Map, _ scope: StashScope, adding: Bool) throws -> Bool {
        let galleryID = try parseID(input["gallery_id"], "gallery id")
        let imageIDs = try (input["image_ids"].array ?? []).map { try parseID($0, "image ids") }
        return try scope.store.write { state in
            guard var gallery = state.galleries[galleryID] else {
                throw StashFieldError("gallery with id \(galleryID) not found")
            }
            try checkEditable(gallery, state)
            if adding {
                guard imageIDs.allSatisfy({ state.images[$0] != nil }) else {
                    throw StashFieldError("failed to add images to gallery: FOREIGN KEY constraint failed")
                }
                gallery.imageIDs.formUnion(imageIDs)
            } else {
                gallery.imageIDs.subtract(imageIDs)
                if let cover = gallery.coverImageID, imageIDs.contains(cover) { gallery.coverImageID = nil }
            }
            gallery.updated = Date()
            state.galleries[galleryID] = gallery
            return true
        }
    }
}
