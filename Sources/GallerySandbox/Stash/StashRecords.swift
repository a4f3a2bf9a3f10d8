import Foundation

/// The rows the Stash emulator keeps, shaped like Stash's tables (Docs/stash.md, "Data model"): folders, files with
/// their MD5 fingerprint, images pointing at their files (primary first), galleries with their member images and
/// cover flag, chapters and jobs. Ids count from 1 per table and are never reused.
struct StashFolder: Sendable {
    var id: Int
    var path: String
    var parentID: Int?
    var modTime: Date
    var created: Date
    var updated: Date
}

struct StashFile: Sendable {
    var id: Int
    var folderID: Int
    var basename: String
    var size: Int64
    var md5: String
    var modTime: Date
    /// ffprobe's codec name: `mjpeg`, `png`, `webp`; `gif` for animated files, which are video files.
    var format: String
    var width: Int
    var height: Int
    var isVideo: Bool
    var created: Date
    var updated: Date
}

/// The descriptive fields images and galleries share. Stash stores empty strings as NULL but returns `""`.
struct StashInfo: Sendable {
    var title = ""
    var code = ""
    var details = ""
    var photographer = ""
    var urls: [String] = []
    var date: String?
    var rating100: Int?
    var organized = false
}

/// A row with ``StashInfo`` fields, read and written as if they were its own.
@dynamicMemberLookup
protocol StashDescribed {
    var id: Int { get }
    var info: StashInfo { get set }
}

extension StashDescribed {
    subscript<T>(dynamicMember path: WritableKeyPath<StashInfo, T>) -> T {
        get { info[keyPath: path] }
        set { info[keyPath: path] = newValue }
    }
}

struct StashImage: StashDescribed, Sendable {
    var id: Int
    var info = StashInfo()
    /// The primary file first; later files are content duplicates found elsewhere.
    var fileIDs: [Int]
    var created: Date
    var updated: Date
}

struct StashGallery: StashDescribed, Sendable {
    var id: Int
    var info = StashInfo()
    /// Set for a folder-based gallery, whose contents only the file system changes.
    var folderID: Int?
    var imageIDs: Set<Int> = []
    /// The explicitly chosen cover; `nil` means the default rules apply.
    var coverImageID: Int?
    var created: Date
    var updated: Date
}

struct StashChapter: Sendable {
    var id: Int
    var galleryID: Int
    var title: String
    var imageIndex: Int
    var created: Date
    var updated: Date
}

struct StashJob: Sendable {
    /// `JobStatus`; raw values are the GraphQL enum's.
    enum Status: String, Sendable, Codable {
        case ready = "READY"
        case running = "RUNNING"
        case finished = "FINISHED"
        case stopping = "STOPPING"
        case cancelled = "CANCELLED"
        case failed = "FAILED"
    }

    var id: Int
    var status: Status = .ready
    var description: String
    var subTasks: [String] = []
    var progress: Double?
    var addTime: Date
    var startTime: Date?
    var endTime: Date?
    var error: String?
    /// The scan's paths on the server.
    var paths: [String]
    var rescan: Bool
}

/// Everything the emulator holds, guarded by ``StashStore``.
extension StashFolder: Codable {}
extension StashFile: Codable {}
extension StashInfo: Codable {}
extension StashImage: Codable {}
extension StashGallery: Codable {}
extension StashChapter: Codable {}
extension StashJob: Codable {}

struct StashState: Sendable, Codable {
    var folders: [Int: StashFolder] = [:]
    var folderByPath: [String: Int] = [:]
    var files: [Int: StashFile] = [:]
    var fileByPath: [String: Int] = [:]
    var filesByMD5: [String: [Int]] = [:]
    var images: [Int: StashImage] = [:]
    var imageByFile: [Int: Int] = [:]
    var galleries: [Int: StashGallery] = [:]
    var chapters: [Int: StashChapter] = [:]
    var jobs: [StashJob] = []
    /// Finished jobs, newest last; at most ten, as Stash keeps.
    var graveyard: [StashJob] = []
    var nextID: [String: Int] = [:]
    /// How many scans ran to the end, for benchmarks and tests.
    var scansFinished = 0

    mutating func makeID(_ table: String) -> Int {
        let id = (nextID[table] ?? 0) + 1
        nextID[table] = id
        return id
    }

    func path(ofFile file: StashFile) -> String {
        (folders[file.folderID]?.path ?? "") + "/" + file.basename
    }

    func primaryFile(of image: StashImage) -> StashFile? {
        image.fileIDs.first.flatMap { files[$0] }
    }

    /// The primary file's folder path and basename joined without a separator: Stash's gallery sort key.
    func sortKey(of image: StashImage) -> String {
        guard let file = primaryFile(of: image) else { return "" }
        return (folders[file.folderID]?.path ?? "") + file.basename
    }

    /// A gallery's images in Stash's order: natural, case-insensitive path, then title or id.
    func orderedImages(of gallery: StashGallery) -> [StashImage] {
        gallery.imageIDs.compactMap { images[$0] }.sorted(by: pathOrder)
    }

    func pathOrder(_ a: StashImage, _ b: StashImage) -> Bool {
        let (x, y) = (sortKey(of: a), sortKey(of: b))
        if x != y { return StashNaturalOrder.less(x, y) }
        let (p, q) = (a.title.isEmpty ? String(a.id) : a.title, b.title.isEmpty ? String(b.id) : b.title)
        if p != q { return StashNaturalOrder.less(p, q) }
        return a.id < b.id
    }

    /// The explicit cover, else the first image in path order whose path matches the cover pattern, else the
    /// first image.
    func cover(of gallery: StashGallery, pattern: NSRegularExpression) -> StashImage? {
        if let id = gallery.coverImageID, gallery.imageIDs.contains(id), let image = images[id] { return image }
        let ordered = orderedImages(of: gallery)
        let match = ordered.first { image in
            guard let file = primaryFile(of: image) else { return false }
            let path = self.path(ofFile: file)
            return pattern.firstMatch(in: path, range: NSRange(path.startIndex..., in: path)) != nil
        }
        return match ?? ordered.first
    }

    /// A gallery's display name in messages: its title, else its folder's last component.
    func displayName(of gallery: StashGallery) -> String {
        if !gallery.title.isEmpty { return gallery.title }
        guard let folder = gallery.folderID.flatMap({ folders[$0] }) else { return "" }
        return (folder.path as NSString).lastPathComponent
    }
}

/// The emulator's state behind one lock: GraphQL resolvers, the scan job and the byte routes all go through it.
///
/// With a data directory the state is written to `state.json` after every change and read back at start, as
/// Stash keeps its SQLite database across restarts; jobs queued or running when it stopped are gone, as a
/// restarted Stash forgets its queue.
final class StashStore: @unchecked Sendable {
    private let lock = NSLock()
    private var state = StashState()
    private let stateFile: URL?

    init(dataDirectory: String? = nil) throws {
        guard let dataDirectory else {
            stateFile = nil
            return
        }
        let folder = URL(fileURLWithPath: dataDirectory, isDirectory: true)
        try PrivateFiles.createFolder(folder)
        stateFile = folder.appendingPathComponent("state.json")
        if let stateFile, let data = try? Data(contentsOf: stateFile) {
            state = try JSONDecoder().decode(StashState.self, from: data)
            state.jobs = []
        }
    }

    func read<T>(_ body: (StashState) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(state)
    }

    func write<T>(_ body: (inout StashState) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        defer { save() }
        return try body(&state)
    }

    /// Called with the lock held.
    private func save() {
        guard let stateFile, let data = try? JSONEncoder().encode(state) else { return }
        try? PrivateFiles.write(data, to: stateFile)
    }
}

/// Stash's `casefolded.NaturalLess`: runs of ASCII digits compare by value (more leading zeros sort later), other
/// characters one by one after ASCII upper-casing (so `_` sorts after letters), and a prefix sorts first.
enum StashNaturalOrder {
    static func less(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.unicodeScalars).map(fold)
        let b = Array(rhs.unicodeScalars).map(fold)
        var i = 0
        var j = 0
        while i < a.count, j < b.count {
            if isDigit(a[i]), isDigit(b[j]) {
                let (si, sj) = (i, j)
                while i < a.count, isDigit(a[i]) { i += 1 }
                while j < b.count, isDigit(b[j]) { j += 1 }
                let x = a[si..<i].drop { $0 == 0x30 }
                let y = b[sj..<j].drop { $0 == 0x30 }
                if x.count != y.count { return x.count < y.count }
                for (p, q) in zip(x, y) where p != q { return p < q }
                if i - si != j - sj { return i - si < j - sj }
            } else {
                if a[i] != b[j] { return a[i] < b[j] }
                i += 1
                j += 1
            }
        }
        return a.count - i < b.count - j
    }

    private static func isDigit(_ value: UInt32) -> Bool { value >= 0x30 && value <= 0x39 }

    /// ASCII letters upper-cased; other scalars by their lowest case-fold equivalent.
    private static func fold(_ scalar: Unicode.Scalar) -> UInt32 {
        if scalar.value >= 0x61, scalar.value <= 0x7A { return scalar.value - 0x20 }
        if scalar.isASCII { return scalar.value }
        let variants = [String(scalar).lowercased(), String(scalar).uppercased(), String(scalar)]
            .compactMap { $0.unicodeScalars.count == 1 ? $0.unicodeScalars.first?.value : nil }
        return variants.min() ?? scalar.value
    }
}
