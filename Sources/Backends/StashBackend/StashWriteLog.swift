import Foundation
import GalleryCore

/// A file written into a gallery's folder and not yet scanned, with what the image should say once it exists.
struct StashPendingFile: Sendable {
    var md5: String
    var localPath: String
    var serverPath: String
    var size: Int64
    var title: String?
    var caption: String?
}

/// What a gallery batch still has to do at the next flush: files to bring in, and whether renamed files need a
/// rescan (rename detection keeps image ids, so nothing else changes).
struct StashBatch: Sendable {
    var files: [StashPendingFile] = []
    var needsRescan = false

    var isEmpty: Bool { files.isEmpty && !needsRescan }
}

/// The backend's memory between calls: each gallery's folder and next ordinal, the batches waiting for a scan,
/// the image ids learned for item ids, and the one flush per gallery that may run at a time.
actor StashWriteLog {
    private var folders: [GalleryID: String] = [:]
    /// Folder lookups in flight, shared by concurrent writes to one gallery.
    private var resolvingFolders: [GalleryID: Task<String, any Error>] = [:]
    private var ordinals: [GalleryID: StashOrdinals] = [:]
    private var fresh: Set<GalleryID> = []
    private var claimed: Set<GalleryID> = []
    private var batches: [GalleryID: StashBatch] = [:]
    private var pendingItems: Set<ItemID> = []
    private var imageIDs: [ItemID: String] = [:]
    private var flushing: [GalleryID: Task<Void, any Error>] = [:]
    /// Scans this backend started, for benchmarks and reports.
    private(set) var scansStarted = 0
    /// Galleries carrying a GalleryHub marker, read once for every create of the session.
    private let markedGalleries = SharedLoad<[StashWire.GalleryRow]>()
    private var markersTried: Set<String> = []
    /// For galleries created here: each attached item's file, by the path this backend gave it.
    private var settled: [GalleryID: [ItemID: String]] = [:]

    /// Notes where an item of a gallery created here lies, once its image is attached (or after a rename).
    func settle(_ item: ItemID, at path: String, in gallery: GalleryID) {
        guard fresh.contains(gallery) else { return }
        settled[gallery, default: [:]][item] = path
    }

    func unsettle(_ item: ItemID, in gallery: GalleryID) { settled[gallery]?[item] = nil }

    /// Every item's file in a gallery created here, when this backend knows them all (it attached each one);
    /// `nil` for other galleries, whose members must be read from Stash.
    func settledPaths(of gallery: GalleryID) -> [ItemID: String]? {
        fresh.contains(gallery) ? settled[gallery] ?? [:] : nil
    }

    /// Whether a create of `marker` was already tried by this backend (a retry after a lost answer).
    func tryCreating(_ marker: String) -> Bool { !markersTried.insert(marker).inserted }

    /// The marked galleries, read by `load` on first use and shared by every later caller (a failed read is
    /// tried again by the next one).
    func markedGalleries(_ load: @escaping @Sendable () async throws -> [StashWire.GalleryRow]) async throws
        -> [StashWire.GalleryRow]
    {
        try await markedGalleries.value(load)
    }

    /// The gallery's folder, found by `resolve` once however many writes ask at the same time: two writes that
    /// each resolved it could pick two folders (one before the title was readable), and the scan of one would
    /// miss the other's files. A failed lookup is tried again by the next caller.
    func folder(for gallery: GalleryID, resolve: @escaping @Sendable () async throws -> String) async throws
        -> String
    {
        if let known = folders[gallery] { return known }
        let task = resolvingFolders[gallery] ?? Task { try await resolve() }
        resolvingFolders[gallery] = task
        do {
            let path = try await task.value
            resolvingFolders[gallery] = nil
            if folders[gallery] == nil { folders[gallery] = path }
            return folders[gallery] ?? path
        } catch {
            resolvingFolders[gallery] = nil
            throw error
        }
    }

    /// An ordinal for a new file when the gallery's numbering is known (a gallery created here, or used before):
    /// see ``StashOrdinals/take(position:)``.
    func takeOrdinalIfKnown(for gallery: GalleryID, position: Int?) -> Int? {
        if ordinals[gallery] == nil, folders[gallery] != nil, fresh.contains(gallery) {
            ordinals[gallery] = StashOrdinals(base: 0)
        }
        return ordinals[gallery]?.take(position: position)
    }

    /// Hands a gallery out as the result of one `createGallery`; `false` when it was handed out already.
    func claim(_ gallery: GalleryID) -> Bool { claimed.insert(gallery).inserted }

    /// A gallery created by this backend: its folder starts empty.
    func created(_ gallery: GalleryID, folder: String) {
        folders[gallery] = folder
        fresh.insert(gallery)
    }

    /// An ordinal for a new file in the gallery's folder; `existing` is the highest one on disk, read once.
    func takeOrdinal(for gallery: GalleryID, position: Int?, existing: () -> Int) -> Int {
        var numbering = ordinals[gallery] ?? StashOrdinals(base: existing())
        let ordinal = numbering.take(position: position)
        ordinals[gallery] = numbering
        return ordinal
    }

    func add(_ file: StashPendingFile, to gallery: GalleryID) {
        batches[gallery, default: StashBatch()].files.append(file)
        pendingItems.insert(ItemID(file.md5))
    }

    func needsRescan(_ gallery: GalleryID) { batches[gallery, default: StashBatch()].needsRescan = true }

    func isPending(_ item: ItemID) -> Bool { pendingItems.contains(item) }

    /// Takes back the latest waiting file with these bytes (a second copy of an item), returning it.
    func dropLatest(_ item: ItemID, in gallery: GalleryID) -> StashPendingFile? {
        guard let at = batches[gallery]?.files.lastIndex(where: { $0.md5 == item.rawValue }),
            let file = batches[gallery]?.files.remove(at: at)
        else { return nil }
        let stillWaiting = batches.values.contains { $0.files.contains { $0.md5 == item.rawValue } }
        if !stillWaiting { pendingItems.remove(item) }
        return file
    }

    func pendingFiles(of gallery: GalleryID) -> [StashPendingFile] { batches[gallery]?.files ?? [] }

    /// Whether files of the gallery were renamed since its last scan, so Stash's order is stale.
    func awaitsRescan(_ gallery: GalleryID) -> Bool { batches[gallery]?.needsRescan == true }

    /// A waiting file was renamed: its scan looks for it under the new name.
    func movePending(_ item: ItemID, in gallery: GalleryID, to local: String, serverPath: String) {
        guard let at = batches[gallery]?.files.firstIndex(where: { $0.md5 == item.rawValue }) else { return }
        batches[gallery]?.files[at].localPath = local
        batches[gallery]?.files[at].serverPath = serverPath
    }

    /// Returns once no flush of the gallery is running.
    func waitForFlush(_ gallery: GalleryID) async {
        while let running = flushing[gallery] { _ = try? await running.value }
    }

    func hasWork(_ gallery: GalleryID) -> Bool { !(batches[gallery]?.isEmpty ?? true) || flushing[gallery] != nil }

    var galleriesWithWork: [GalleryID] { batches.filter { !$0.value.isEmpty }.map(\.key).sorted() }

    func remember(_ item: ItemID, image: String) { imageIDs[item] = image }

    func imageID(of item: ItemID) -> String? { imageIDs[item] }

    func countScan() { scansStarted += 1 }

    /// Runs `work` on the gallery's batch unless a flush of it is running (then waits for that one and looks
    /// again). A failed batch is put back, so the next flush tries it again.
    func flush(_ gallery: GalleryID, work: @escaping @Sendable (StashBatch) async throws -> Void) async throws {
        while let running = flushing[gallery] { _ = try? await running.value }
        guard let batch = batches.removeValue(forKey: gallery), !batch.isEmpty else { return }
        let task = Task { try await work(batch) }
        flushing[gallery] = task
        defer { flushing[gallery] = nil }
        do {
            try await task.value
            for file in batch.files { pendingItems.remove(ItemID(file.md5)) }
        } catch {
            var restored = batch
            if let newer = batches[gallery] {
                restored.files += newer.files
                restored.needsRescan = restored.needsRescan || newer.needsRescan
            }
            batches[gallery] = restored
            throw error
        }
    }
}

/// How a gallery folder's new files are numbered: after `base`, the highest ordinal on disk when this backend
/// first wrote there (0 for a gallery it created), each number at most once.
struct StashOrdinals: Sendable {
    var base: Int
    private var next: Int
    private var taken: Set<Int> = []

    init(base: Int) {
        self.base = base
        self.next = base + 1
    }

    /// `base + position` when the caller knows the item's place in the gallery's order and that number is free
    /// (files then sort in the intended order however concurrent writes arrive, and setting the order renames
    /// nothing); otherwise the lowest free number after every one handed out.
    mutating func take(position: Int?) -> Int {
        let ordinal: Int
        if let position, position > 0, !taken.contains(base + position) {
            ordinal = base + position
        } else {
            while taken.contains(next) { next += 1 }
            ordinal = next
        }
        taken.insert(ordinal)
        next = max(next, ordinal + 1)
        return ordinal
    }
}

/// File names in a gallery folder: `0001-<name>`, so Stash's natural path order is the intended order.
enum StashFileNames {
    static func ordinal(_ number: Int, _ name: String) -> String { String(format: "%04d-", number) + safe(name) }

    /// The name without the ordinal GalleryHub put in front of it.
    static func original(_ basename: String) -> String {
        let digits = basename.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, basename.dropFirst(digits.count).first == "-" else { return basename }
        return String(basename.dropFirst(digits.count + 1))
    }

    /// The ordinal a basename starts with, if it has one.
    static func ordinalNumber(_ basename: String) -> Int? {
        let digits = basename.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4, basename.dropFirst(digits.count).first == "-" else { return nil }
        return Int(digits)
    }

    /// A name safe in any file system: no separators or control characters, at most 120 UTF-8 bytes.
    static func safe(_ name: String) -> String {
        var cleaned = String(
            name.unicodeScalars.map { scalar -> Character in
                if scalar == "/" || scalar == "\\" || scalar == ":" || scalar.properties.generalCategory == .control {
                    return "_"
                }
                return Character(scalar)
            })
        if cleaned.hasPrefix(".") { cleaned = "_" + cleaned.dropFirst() }
        while cleaned.utf8.count > 120 {
            let ext = (cleaned as NSString).pathExtension
            let stem = (cleaned as NSString).deletingPathExtension
            cleaned = String(stem.dropLast()) + (ext.isEmpty ? "" : "." + ext)
        }
        return cleaned.isEmpty ? "image" : cleaned
    }

    /// A folder name for a gallery: its title made safe, then its id.
    static func folder(title: String, id: GalleryID) -> String {
        let slug = title.lowercased().unicodeScalars.map { scalar -> String in
            CharacterSet.alphanumerics.contains(scalar) ? String(scalar) : "-"
        }.joined().split(separator: "-").joined(separator: "-")
        return String(slug.prefix(60)) + (slug.isEmpty ? "" : "-") + "g\(id.rawValue)"
    }
}
