import Crypto
import Foundation

/// What one `metadataScan` does (Docs/stash.md, "Library scans"): walks the given paths inside the library
/// directories on disk — never a cached listing — and creates folder, file and image rows. Files are taken by
/// extension, zero-length files are skipped, content already known by MD5 becomes an extra file of the existing
/// image, and a new path whose MD5 belongs to a file now missing on disk is a rename (same file, same image).
/// Folders holding `.forcegallery` (or any folder when `createGalleriesFromFolders` is on and no `.nogallery`
/// is there) become folder-based galleries.
struct StashScanner {
    let store: StashStore
    let options: StashEmulator.Options
    let clock: @Sendable () -> Date

    /// Scans `job`'s paths, reporting progress into the job row.
    func run(_ job: StashJob) {
        let roots = job.paths.isEmpty ? options.libraryDirectories : job.paths.filter(isInsideLibrary)
        var found: [String] = []
        var directories: [String] = []
        for root in roots.map(Self.standardized) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory) else { continue }
            if !isDirectory.boolValue {
                found.append(root)
                continue
            }
            directories.append(root)
            for relative in (FileManager.default.subpaths(atPath: root) ?? []).sorted() {
                let path = root + "/" + relative
                var child: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &child) else { continue }
                if child.boolValue { directories.append(path) } else { found.append(path) }
            }
        }
        for directory in directories { _ = folderID(for: directory) }
        let accepted = found.filter(isAccepted)
        for (index, path) in accepted.enumerated() {
            store.write { state in
                if let at = state.jobs.firstIndex(where: { $0.id == job.id }) {
                    state.jobs[at].progress = Double(index) / Double(max(1, accepted.count))
                    state.jobs[at].subTasks = ["Scanning \(path)"]
                }
            }
            scanFile(path, rescan: job.rescan)
        }
    }

    func isInsideLibrary(_ path: String) -> Bool {
        let path = Self.standardized(path)
        return options.libraryDirectories.map(Self.standardized).contains { path == $0 || path.hasPrefix($0 + "/") }
    }

    static func standardized(_ path: String) -> String {
        var path = (path as NSString).standardizingPath
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        return path
    }

    private func isAccepted(_ path: String) -> Bool {
        let ext = (path as NSString).pathExtension.lowercased()
        guard options.imageExtensions.contains(ext) else { return false }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
        return size > 0
    }

    /// The folder row for `path`, creating it and its parents up to the library root.
    private func folderID(for path: String) -> Int {
        if let id = store.read({ $0.folderByPath[path] }) { return id }
        let parentPath = (path as NSString).deletingLastPathComponent
        let parent: Int? = isInsideLibrary(parentPath) && parentPath != path ? folderID(for: parentPath) : nil
        let modTime = Self.modTime(path) ?? clock()
        let now = clock()
        return store.write { state in
            if let id = state.folderByPath[path] { return id }
            let id = state.makeID("folder")
            state.folders[id] = StashFolder(
                id: id, path: path, parentID: parent, modTime: modTime, created: now, updated: now)
            state.folderByPath[path] = id
            return id
        }
    }

    private func scanFile(_ path: String, rescan: Bool) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
        let modTime = (attributes[.modificationDate] as? Date) ?? clock()
        let directory = (path as NSString).deletingLastPathComponent
        let folder = folderID(for: directory)
        let basename = (path as NSString).lastPathComponent
        let existing = store.read { state in state.fileByPath[path].flatMap { state.files[$0] } }
        if let existing, existing.size == size, existing.modTime == modTime, !rescan {
            attachToFolderGallery(fileID: existing.id, folder: folder, directory: directory)
            return
        }
        guard let (md5, header) = Self.digest(path) else { return }
        let kind = StashImageHeader(header)
        let now = clock()
        let fileID: Int = store.write { state in
            if var file = existing {
                file.size = size
                file.modTime = modTime
                if file.md5 != md5 {
                    state.filesByMD5[file.md5]?.removeAll { $0 == file.id }
                    state.filesByMD5[md5, default: []].append(file.id)
                }
                file.md5 = md5
                (file.format, file.width, file.height, file.isVideo) = (
                    kind.format, kind.width, kind.height, kind.isVideo
                )
                file.updated = now
                state.files[file.id] = file
                return file.id
            }
            // A known file that vanished from its old path and reappears here with the same bytes is a move.
            let moved = (state.filesByMD5[md5] ?? []).first { id in
                guard let file = state.files[id] else { return false }
                return !FileManager.default.fileExists(atPath: state.path(ofFile: file))
            }
            if let moved, var file = state.files[moved] {
                state.fileByPath[state.path(ofFile: file)] = nil
                file.folderID = folder
                file.basename = basename
                file.modTime = modTime
                file.updated = now
                state.files[moved] = file
                state.fileByPath[path] = moved
                return moved
            }
            let id = state.makeID("file")
            state.files[id] = StashFile(
                id: id, folderID: folder, basename: basename, size: size, md5: md5, modTime: modTime,
                format: kind.format, width: kind.width, height: kind.height, isVideo: kind.isVideo, created: now,
                updated: now)
            state.fileByPath[path] = id
            let twins = state.filesByMD5[md5] ?? []
            state.filesByMD5[md5, default: []].append(id)
            let byFile = state.imageByFile
            if let twin = twins.lazy.compactMap({ byFile[$0] }).first {
                // Content dedup: the bytes are already an image; this path becomes one more of its files.
                state.images[twin]?.fileIDs.append(id)
                state.imageByFile[id] = twin
            } else {
                let imageID = state.makeID("image")
                state.images[imageID] = StashImage(id: imageID, fileIDs: [id], created: now, updated: now)
                state.imageByFile[id] = imageID
            }
            return id
        }
        attachToFolderGallery(fileID: fileID, folder: folder, directory: directory)
    }

    /// Adds the file's image to its folder's gallery when the folder is one (markers or the setting decide).
    private func attachToFolderGallery(fileID: Int, folder: Int, directory: String) {
        let manager = FileManager.default
        let forced = manager.fileExists(atPath: directory + "/.forcegallery")
        let suppressed = manager.fileExists(atPath: directory + "/.nogallery")
        guard forced || (options.createGalleriesFromFolders && !suppressed) else { return }
        let now = clock()
        store.write { state in
            guard let imageID = state.imageByFile[fileID] else { return }
            let galleryID: Int
            if let found = state.galleries.values.first(where: { $0.folderID == folder }) {
                galleryID = found.id
            } else {
                galleryID = state.makeID("gallery")
                state.galleries[galleryID] = StashGallery(id: galleryID, folderID: folder, created: now, updated: now)
            }
            if state.galleries[galleryID]?.imageIDs.insert(imageID).inserted == true {
                state.galleries[galleryID]?.updated = now
            }
        }
    }

    static func modTime(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }

    /// The file's MD5 in hex and its first 64 KiB (for the format), read in chunks.
    static func digest(_ path: String) -> (String, [UInt8])? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        var hasher = Insecure.MD5()
        var header: [UInt8] = []
        while let chunk = try? handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            if header.count < 65_536 { header.append(contentsOf: chunk.prefix(65_536 - header.count)) }
            hasher.update(data: chunk)
        }
        return (hasher.finalize().map { String(format: "%02x", $0) }.joined(), header)
    }
}

/// Format and size from a file's first bytes, named as ffprobe names codecs; GIFs are video files in Stash.
struct StashImageHeader {
    var format = "mjpeg"
    var width = 0
    var height = 0
    var isVideo = false

    init(_ bytes: [UInt8]) {
        func be16(_ at: Int) -> Int { at + 1 < bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : 0 }
        func le16(_ at: Int) -> Int { at + 1 < bytes.count ? Int(bytes[at + 1]) << 8 | Int(bytes[at]) : 0 }
        if bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) {
            format = "png"
            width = be16(16) << 16 | be16(18)
            height = be16(20) << 16 | be16(22)
        } else if bytes.starts(with: Array("GIF".utf8)) {
            format = "gif"
            isVideo = true
            width = le16(6)
            height = le16(8)
        } else if bytes.count > 12, bytes.starts(with: Array("RIFF".utf8)), Array(bytes[8..<12]) == Array("WEBP".utf8) {
            format = "webp"
        } else if bytes.starts(with: [0xFF, 0xD8]) {
            // Walk the JPEG segments to the first start-of-frame marker.
            var at = 2
            while at + 9 < bytes.count, bytes[at] == 0xFF {
                let marker = bytes[at + 1]
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    height = be16(at + 5)
                    width = be16(at + 7)
                    break
                }
                at += 2 + be16(at + 2)
            }
        }
    }
}
