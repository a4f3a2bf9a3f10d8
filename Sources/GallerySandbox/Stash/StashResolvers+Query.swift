import Foundation
import GraphQL
import OrderedCollections

/// The resolvers, keyed `"Type.field"`; each reads the request's ``StashScope`` from the execution context.
enum StashResolvers {
    static var all: [String: GraphQLFieldResolve] {
        var table = queries
        table.merge(mutations) { a, _ in a }
        table["Gallery.image"] = GalleryNode.imageAt
        for type in ["ImageFile", "VideoFile", "GalleryFile", "BasicFile"] {
            table["\(type).fingerprint"] = FileNode.fingerprint
        }
        return table
    }

    static func scope(_ context: any Sendable) throws -> StashScope {
        guard let scope = context as? StashScope else { throw StashFieldError("Internal system error. no scope") }
        return scope
    }

    /// An id argument as Stash parses it: `strconv.Atoi` on the text, with its error wording.
    static func parseID(_ value: Map, _ what: String = "id") throws -> Int {
        if let number = value.int { return number }
        let text = value.string ?? ""
        guard let id = Int(text) else {
            throw StashFieldError("converting \(what): strconv.Atoi: parsing \"\(text)\": invalid syntax")
        }
        return id
    }

    static let queries: [String: GraphQLFieldResolve] = [
        "Query.findGallery": { _, args, context, _ in
            let scope = try scope(context)
            let id = try parseID(args["id"])
            return scope.store.read { $0.galleries[id] }.map { GalleryNode(scope: scope, row: $0) }
        },
        "Query.findGalleries": { _, args, context, _ in
            let scope = try scope(context)
            return try scope.store.read { state -> [String: any Sendable] in
                let rows: [StashGallery]
                if let ids = args["ids"].array {
                    var seen: Set<Int> = []
                    rows = try ids.map { value in
                        let id = try parseID(value)
                        guard seen.insert(id).inserted else {
                            throw StashFieldError("validating ids: duplicate id found: \(id)")
                        }
                        guard let row = state.galleries[id] else {
                            throw StashFieldError("gallery with id \(id) not found")
                        }
                        return row
                    }
                } else {
                    let filter = args["gallery_filter"]
                    let all = try state.galleries.values.filter { try galleryMatches($0, filter, state) }
                    let query = args["filter"]["q"].string ?? ""
                    let searched =
                        query.isEmpty
                        ? all
                        : all.filter { row in
                            StashFilters.words(query).allSatisfy { word in
                                [row.title, row.details, folderPath(row, state)].contains {
                                    StashFilters.like("%\(word)%", $0)
                                }
                            }
                        }
                    let sort = try StashFilters.sort(args["filter"], allowed: StashFilters.gallerySorts)
                    rows = StashFilters.ordered(
                        searched, by: sort, key: { gallerySortKey($0, sort?.key, state) },
                        tie: { $0.title.isEmpty ? String($0.id) : $0.title }, id: \.id)
                }
                let page = args["ids"].array == nil ? StashFilters.page(rows, filter: args["filter"]) : rows
                return ["count": rows.count, "galleries": page.map { GalleryNode(scope: scope, row: $0) }]
            }
        },
        "Query.findImage": { _, args, context, _ in
            let scope = try scope(context)
            if !args["id"].isUndefined, !args["id"].isNull {
                let id = try parseID(args["id"])
                return scope.store.read { $0.images[id] }.map { ImageNode(scope: scope, row: $0) }
            }
            guard let checksum = args["checksum"].string?.lowercased() else { return nil }
            return scope.store.read { state in
                (state.filesByMD5[checksum] ?? []).lazy.compactMap { state.imageByFile[$0] }.first
                    .flatMap { state.images[$0] }
            }.map { ImageNode(scope: scope, row: $0) }
        },
        "Query.findImages": { _, args, context, _ in
            let scope = try scope(context)
            return try scope.store.read { state -> [String: any Sendable] in
                var rows: [StashImage]
                let ids = args["ids"].array ?? args["image_ids"].array
                if let ids {
                    rows = try ids.map { value in
                        let id = try parseID(value)
                        guard let row = state.images[id] else { throw StashFieldError("image with id \(id) not found") }
                        return row
                    }
                } else {
                    let filter = args["image_filter"]
                    rows = try state.images.values.filter { try imageMatches($0, filter, state) }
                    let query = args["filter"]["q"].string ?? ""
                    if !query.isEmpty {
                        rows = rows.filter { row in
                            StashFilters.words(query).allSatisfy { word in
                                ([row.title, row.details] + filePaths(row, state)).contains {
                                    StashFilters.like("%\(word)%", $0)
                                }
                            }
                        }
                    }
                    let sort = try StashFilters.sort(args["filter"], allowed: StashFilters.imageSorts)
                    rows = StashFilters.ordered(
                        rows, by: sort, key: { imageSortKey($0, sort?.key, state) },
                        tie: { $0.title.isEmpty ? String($0.id) : $0.title }, id: \.id)
                }
                let files = rows.compactMap { state.primaryFile(of: $0) }
                let page = ids == nil ? StashFilters.page(rows, filter: args["filter"]) : rows
                var result: [String: any Sendable] = [
                    "count": rows.count, "images": page.map { ImageNode(scope: scope, row: $0) },
                ]
                result["megapixels"] = files.reduce(0.0) { $0 + Double($1.width * $1.height) / 1_000_000 }
                result["filesize"] = files.reduce(0.0) { $0 + Double($1.size) }
                return result
            }
        },
        "Query.findFile": { _, args, context, _ in
            let scope = try scope(context)
            let row = try scope.store.read { state -> StashFile? in
                if let path = args["path"].string { return state.fileByPath[path].flatMap { state.files[$0] } }
                return state.files[try parseID(args["id"])]
            }
            guard let row else { throw StashFieldError("file not found") }
            return FileNode(scope: scope, row: row)
        },
        "Query.findFolder": { _, args, context, _ in
            let scope = try scope(context)
            let row = try scope.store.read { state -> StashFolder? in
                if let path = args["path"].string { return state.folderByPath[path].flatMap { state.folders[$0] } }
                return state.folders[try parseID(args["id"])]
            }
            guard let row else { throw StashFieldError("folder not found") }
            return FolderNode(scope: scope, row: row)
        },
        "Query.findJob": { _, args, context, _ in
            let scope = try scope(context)
            let id = try parseID(args["input"]["id"])
            return scope.store.read { state in
                (state.jobs + state.graveyard).first { $0.id == id }
            }.map { JobNode(row: $0) }
        },
        "Query.jobQueue": { _, _, context, _ in
            let jobs = try scope(context).store.read { $0.jobs }
            return jobs.isEmpty ? nil : jobs.map { JobNode(row: $0) }
        },
        "Query.version": { _, _, _, _ in
            ["version": "v0.30.1", "hash": "galleryhub", "build_time": "2025-10-01 00:00:00"] as [String: any Sendable]
        },
        "Query.systemStatus": { _, _, context, _ in
            let options = try scope(context).options
            let ffmpeg: String? = options.hasFFmpeg ? "/usr/bin/ffmpeg" : nil
            let ffprobe: String? = options.hasFFmpeg ? "/usr/bin/ffprobe" : nil
            return [
                "databaseSchema": 75, "databasePath": "/root/.stash/stash-go.sqlite",
                "configPath": "/root/.stash/config.yml", "appSchema": 75, "status": "OK", "os": "linux",
                "workingDir": "/", "homeDir": "/root", "ffmpegPath": ffmpeg, "ffprobePath": ffprobe,
            ] as [String: any Sendable]
        },
        "Query.configuration": { _, _, context, _ in
            let options = try scope(context).options
            let general: [String: any Sendable] = [
                "stashes": options.libraryDirectories.map {
                    ["path": $0, "excludeVideo": false, "excludeImage": false] as [String: any Sendable]
                },
                "apiKey": options.apiKey, "username": options.username, "password": options.password,
                "createGalleriesFromFolders": options.createGalleriesFromFolders,
                "galleryCoverRegex": options.coverPattern,
                "imageExtensions": options.imageExtensions, "galleryExtensions": ["zip", "cbz"],
                "videoExtensions": ["m4v", "mp4", "mov", "wmv", "avi", "mkv", "webm"],
                "imageExcludes": [String](), "excludes": [String](), "calculateMD5": true,
            ]
            let scan: [String: any Sendable] = [
                "rescan": false, "scanGenerateCovers": true, "scanGeneratePreviews": true,
                "scanGenerateImagePreviews": false, "scanGenerateSprites": false, "scanGeneratePhashes": false,
                "scanGenerateThumbnails": true, "scanGenerateClipPreviews": false,
            ]
            let defaults: [String: any Sendable] = [
                "scan": scan, "autoTag": [String: any Sendable](), "generate": [String: any Sendable](),
                "deleteFile": false, "deleteGenerated": true,
            ]
            return ["general": general, "defaults": defaults] as [String: any Sendable]
        },
    ]

    // MARK: - Filters over rows

    static func folderPath(_ gallery: StashGallery, _ state: StashState) -> String {
        gallery.folderID.flatMap { state.folders[$0]?.path } ?? ""
    }

    static func filePaths(_ image: StashImage, _ state: StashState) -> [String] {
        image.fileIDs.compactMap { state.files[$0] }.map { state.path(ofFile: $0) }
    }

    static func galleryMatches(_ row: StashGallery, _ filter: Map, _ state: StashState) throws -> Bool {
        try matches(row, filter) { key, value in
            switch key {
            case "path": try StashFilters.stringMatches(value, [folderPath(row, state)])
            case "image_count": StashFilters.intMatches(value, row.imageIDs.count)
            case "is_zip": value.bool == false
            default: nil
            }
        } recurse: {
            try galleryMatches(row, $0, state)
        }
    }

    static func imageMatches(_ row: StashImage, _ filter: Map, _ state: StashState) throws -> Bool {
        try matches(row, filter) { key, value in
            switch key {
            case "path": try StashFilters.stringMatches(value, filePaths(row, state))
            case "checksum": try StashFilters.stringMatches(value, row.fileIDs.compactMap { state.files[$0]?.md5 })
            case "file_count": StashFilters.intMatches(value, row.fileIDs.count)
            case "galleries":
                StashFilters.multiMatches(
                    value, Set(state.galleries.values.filter { $0.imageIDs.contains(row.id) }.map(\.id)))
            default: nil
            }
        } recurse: {
            try imageMatches(row, $0, state)
        }
    }

    /// Whether a row passes a gallery or image filter: AND/OR/NOT, the shared descriptive criteria, and the
    /// row type's own (`specific` answers `nil` for a criterion it does not know; unknown ones pass).
    static func matches<Row: StashDescribed>(
        _ row: Row, _ filter: Map, specific: (String, Map) throws -> Bool?, recurse: (Map) throws -> Bool
    ) throws -> Bool {
        guard filter.isDictionary else { return true }
        for (key, value) in filter.dictionary ?? [:] where !value.isNull && !value.isUndefined {
            let ok: Bool
            switch key {
            case "AND": ok = try recurse(value)
            case "OR": ok = true
            case "NOT": ok = try !recurse(value)
            case "id": ok = StashFilters.intMatches(value, row.id)
            case "title": ok = try StashFilters.stringMatches(value, [row.title])
            case "details": ok = try StashFilters.stringMatches(value, [row.details])
            case "code": ok = try StashFilters.stringMatches(value, [row.code])
            case "photographer": ok = try StashFilters.stringMatches(value, [row.photographer])
            case "url": ok = try StashFilters.stringMatches(value, row.urls.isEmpty ? [""] : row.urls)
            case "organized": ok = value.bool == row.organized
            default: ok = try specific(key, value) ?? true
            }
            if !ok { return try orBranch(filter, recurse) }
        }
        return true
    }

    /// A failed criterion can still be rescued by the filter's `OR` branch.
    static func orBranch(_ filter: Map, _ matches: (Map) throws -> Bool) rethrows -> Bool {
        let branch = filter["OR"]
        guard branch.isDictionary else { return false }
        return try matches(branch)
    }

    static func gallerySortKey(_ row: StashGallery, _ key: String?, _ state: StashState) -> String {
        switch key {
        case "title": row.title.isEmpty ? String(row.id) : row.title
        case "path": folderPath(row, state)
        case "created_at": StashFilters.time(row.created)
        case "updated_at": StashFilters.time(row.updated)
        case "images_count", "file_count": StashFilters.number(row.imageIDs.count)
        case "date": row.date ?? ""
        case "rating": StashFilters.number(row.rating100 ?? -1)
        default: StashFilters.number(row.id)
        }
    }

    static func imageSortKey(_ row: StashImage, _ key: String?, _ state: StashState) -> String {
        let file = state.primaryFile(of: row)
        switch key {
        case "path": return state.sortKey(of: row)
        case "title":
            let folder = file.flatMap { state.folders[$0.folderID]?.path } ?? ""
            return (row.title.isEmpty ? file?.basename ?? "" : row.title) + "\u{0}" + folder
        case "created_at": return StashFilters.time(row.created)
        case "updated_at": return StashFilters.time(row.updated)
        case "filesize": return StashFilters.number(Int(file?.size ?? 0))
        case "file_mod_time": return StashFilters.time(file?.modTime ?? row.created)
        case "file_count": return StashFilters.number(row.fileIDs.count)
        case "date": return row.date ?? ""
        case "rating": return StashFilters.number(row.rating100 ?? -1)
        default: return StashFilters.number(row.id)
        }
    }
}
