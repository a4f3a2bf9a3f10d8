import Foundation
import GraphQL

/// What every resolver of one request sees: the store, the options and the origin the client addressed (image
/// and cover URLs embed the request's host, as Stash builds them).
struct StashScope: Sendable {
    let store: StashStore
    let options: StashEmulator.Options
    let jobs: StashJobQueue
    let baseURL: String
    let coverPattern: StashPattern
}

/// A compiled regular expression shared by resolvers.
final class StashPattern: @unchecked Sendable {
    let expression: NSRegularExpression
    init(_ pattern: String) {
        let fallback = StashEmulator.Options.defaultCoverPattern
        expression =
            (try? NSRegularExpression(pattern: "(?i)" + pattern))
            ?? (try? NSRegularExpression(pattern: "(?i)" + fallback))!
    }
}

extension StashInfo {
    /// A field by its GraphQL name (`.some(nil)` for an unset `date`), or `nil` for a key of another kind.
    func graphQLField(_ key: String) -> (any Sendable)?? {
        switch key {
        case "title": title
        case "code": code
        case "url": urls.first ?? ""
        case "urls": urls
        case "date": .some(date)
        case "details": details
        case "photographer": photographer
        case "rating100": .some(rating100)
        case "organized": organized
        default: nil
        }
    }
}

/// RFC 3339 in UTC, as the client parses `Time`.
enum StashTime {
    static func string(_ date: Date?) -> String? {
        date?.ISO8601Format(style)
    }

    static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}

/// A gallery as GraphQL reads it: fields resolve lazily from the store, so nested selections see current rows.
struct GalleryNode: KeySubscriptable, Sendable {
    let scope: StashScope
    let row: StashGallery

    subscript(key: String) -> (any Sendable)? {
        let row = self.row
        if let shared = row.info.graphQLField(key) { return shared }
        switch key {
        case "__typename": return "Gallery"
        case "id": return String(row.id)
        case "created_at": return StashTime.string(row.created)
        case "updated_at": return StashTime.string(row.updated)
        case "files", "scenes", "tags", "performers": return [any Sendable]()
        case "studio": return nil
        case "folder":
            guard let id = row.folderID, let folder = scope.store.read({ $0.folders[id] }) else { return nil }
            return FolderNode(scope: scope, row: folder)
        case "chapters":
            return scope.store.read { state in
                state.chapters.values.filter { $0.galleryID == row.id }
                    .sorted { ($0.imageIndex, $0.id) < ($1.imageIndex, $1.id) }
            }.map { ChapterNode(scope: scope, row: $0) }
        case "image_count": return scope.store.read { state in row.imageIDs.filter { state.images[$0] != nil }.count }
        case "cover":
            let pattern = scope.coverPattern.expression
            return scope.store.read { $0.cover(of: row, pattern: pattern) }.map { ImageNode(scope: scope, row: $0) }
        case "paths":
            let stamp = Int(row.updated.timeIntervalSince1970)
            return [
                "cover": "\(scope.baseURL)/gallery/\(row.id)/cover?t=\(stamp)",
                "preview": "\(scope.baseURL)/gallery/\(row.id)/preview",
            ] as [String: any Sendable]
        default: return nil
        }
    }

    /// `Gallery.image(index:)`, 0-based in path order.
    static let imageAt: GraphQLFieldResolve = { source, args, _, _ in
        guard let node = source as? GalleryNode else { return nil }
        let index = args["index"].int ?? 0
        guard index >= 0 else { throw StashFieldError("index must >= 0") }
        let ordered = node.scope.store.read { $0.orderedImages(of: node.row) }
        guard index < ordered.count else { throw StashFieldError("must not be null") }
        return ImageNode(scope: node.scope, row: ordered[index])
    }
}

struct ChapterNode: KeySubscriptable, Sendable {
    let scope: StashScope
    let row: StashChapter

    subscript(key: String) -> (any Sendable)? {
        switch key {
        case "__typename": return "GalleryChapter"
        case "id": return String(row.id)
        case "title": return row.title
        case "image_index": return row.imageIndex
        case "created_at": return StashTime.string(row.created)
        case "updated_at": return StashTime.string(row.updated)
        case "gallery":
            return scope.store.read { $0.galleries[row.galleryID] }.map { GalleryNode(scope: scope, row: $0) }
        default: return nil
        }
    }
}

struct ImageNode: KeySubscriptable, Sendable {
    let scope: StashScope
    let row: StashImage

    subscript(key: String) -> (any Sendable)? {
        let row = self.row
        if let shared = row.info.graphQLField(key) { return shared }
        switch key {
        case "__typename": return "Image"
        case "id": return String(row.id)
        case "o_counter": return 0
        case "created_at": return StashTime.string(row.created)
        case "updated_at": return StashTime.string(row.updated)
        case "studio": return nil
        case "tags", "performers": return [any Sendable]()
        case "visual_files", "files":
            let files = scope.store.read { state in row.fileIDs.compactMap { state.files[$0] } }
            return files.filter { key == "visual_files" || !$0.isVideo }.map { FileNode(scope: scope, row: $0) }
        case "paths":
            let stamp = Int(row.updated.timeIntervalSince1970)
            return [
                "image": "\(scope.baseURL)/image/\(row.id)/image?t=\(stamp)",
                "thumbnail": "\(scope.baseURL)/image/\(row.id)/thumbnail?t=\(stamp)",
                "preview": "",
            ] as [String: any Sendable]
        case "galleries":
            return scope.store.read { state in
                state.galleries.values.filter { $0.imageIDs.contains(row.id) }.sorted { $0.id < $1.id }
            }.map { GalleryNode(scope: scope, row: $0) }
        default: return nil
        }
    }
}

struct FileNode: KeySubscriptable, Sendable {
    let scope: StashScope
    let row: StashFile

    subscript(key: String) -> (any Sendable)? {
        let row = self.row
        switch key {
        case "__typename": return row.isVideo ? "VideoFile" : "ImageFile"
        case "id": return String(row.id)
        case "path": return scope.store.read { $0.path(ofFile: row) }
        case "basename": return row.basename
        case "parent_folder_id": return String(row.folderID)
        case "zip_file_id", "zip_file": return nil
        case "parent_folder":
            return scope.store.read { $0.folders[row.folderID] }.map { FolderNode(scope: scope, row: $0) }
        case "mod_time": return StashTime.string(row.modTime)
        case "size": return Int(row.size)
        case "fingerprints":
            return [["__typename": "Fingerprint", "type": "md5", "value": row.md5] as [String: any Sendable]]
        case "created_at": return StashTime.string(row.created)
        case "updated_at": return StashTime.string(row.updated)
        case "format": return row.format
        case "width": return row.width
        case "height": return row.height
        case "duration", "frame_rate": return 0.0
        case "video_codec": return row.format
        case "audio_codec": return ""
        case "bit_rate": return 0
        default: return nil
        }
    }

    /// `BaseFile.fingerprint(type:)`: files carry only an MD5.
    static let fingerprint: GraphQLFieldResolve = { source, args, _, _ in
        guard let node = source as? FileNode else { return nil }
        return args["type"].string == "md5" ? node.row.md5 : nil
    }
}

struct FolderNode: KeySubscriptable, Sendable {
    let scope: StashScope
    let row: StashFolder

    subscript(key: String) -> (any Sendable)? {
        switch key {
        case "__typename": return "Folder"
        case "id": return String(row.id)
        case "path": return row.path
        case "parent_folder_id": return row.parentID.map(String.init)
        case "zip_file_id", "zip_file": return nil
        case "parent_folder":
            guard let parent = row.parentID, let folder = scope.store.read({ $0.folders[parent] }) else { return nil }
            return FolderNode(scope: scope, row: folder)
        case "mod_time": return StashTime.string(row.modTime)
        case "created_at": return StashTime.string(row.created)
        case "updated_at": return StashTime.string(row.updated)
        default: return nil
        }
    }
}

struct JobNode: KeySubscriptable, Sendable {
    let row: StashJob

    subscript(key: String) -> (any Sendable)? {
        switch key {
        case "__typename": return "Job"
        case "id": return String(row.id)
        case "status": return row.status.rawValue
        case "subTasks": return row.subTasks
        case "description": return row.description
        case "progress": return row.progress
        case "startTime": return StashTime.string(row.startTime)
        case "endTime": return StashTime.string(row.endTime)
        case "addTime": return StashTime.string(row.addTime)
        case "error": return row.error
        default: return nil
        }
    }
}
