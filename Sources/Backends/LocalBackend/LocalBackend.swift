import Foundation
public import GalleryCore
public import Logging
import Synchronization

/// A folder on disk: the embedded default, lossless, and GalleryHub's backup/export format.
///
/// It reads any plain folder of images (each subfolder a gallery, nested folders nested galleries, items in
/// natural file-name order, a `cover|folder|poster.*` file as the cover) and writes its own format: the files
/// plus a `gallery.json` per folder (Docs/local-format.md). Writes are atomic (temp file + rename, the manifest
/// last); names from elsewhere are made safe and never overwrite each other; nothing resolves outside the root.
///
/// Gallery ids are folder paths relative to the root (`trips/paris`); the root itself is the gallery `.` when it
/// holds images directly. Item ids are file names.
public final class LocalBackend: GalleryBackend {
    public let name: String
    public let capabilities = Capabilities.lossless
    /// The root folder, absolute and without symbolic links.
    public let root: String
    let logger: Logger
    /// Manifest writes are batched: a folder's manifest is written after a batch of adds, on any other change,
    /// and on ``flush()``. Files on disk are listed even before their manifest entry is written, so an
    /// interruption loses no item, only its not-yet-written caption (which the next plan sees and repairs).
    ///
    /// A batch is 64 adds, or a quarter of the items already listed when that is more: each write re-encodes
    /// the whole manifest, so a fixed batch would cost time quadratic in a gallery's size (a 10,000-item
    /// gallery: 156 writes of 5,000 entries on average); growing batches keep the total linear.
    func manifestBatchSize(forItemCount count: Int) -> Int {
        max(64, count / 4)
    }

    struct WriteState {
        /// The manifests of the galleries this instance has written to, reconciled with the disk once and kept,
        /// so a batch of adds never reads and re-lists a folder it has just written.
        var manifests: [GalleryID: CachedManifest] = [:]
        /// Collision keys of the names in use or reserved, per folder path (filled on first write there).
        var names: [String: Set<String>] = [:]
    }

    struct CachedManifest {
        var manifest: GalleryManifest
        /// Adds since the manifest was last written; non-zero means the disk is behind.
        var unsavedAdds = 0
    }

    let writes = Mutex(WriteState())
    /// Each item file's size and modification time when this instance last listed it: a file opened later that
    /// no longer looks so was changed after the snapshot a plan was made from, and is refused instead of copied.
    let listedFiles = Mutex([String: FileSystem.FileState]())
    /// Gallery folders already checked to be real folders (not links): a copy asks for the same few folders
    /// thousands of times, and each check is a system call.
    let checkedDirectories = Mutex(Set<String>())

    /// Whether new files are written anonymously until named (`O_TMPFILE`, where the system has it) or as hidden
    /// temp files; tests switch it off to cover the fallback.
    let anonymousFiles: Bool

    /// What to do when the root folder does not exist.
    public enum MissingRoot: Sendable {
        /// Create it now.
        case create
        /// Reading fails as `notFound` (a source, or `ls`): a typo must never read as an empty folder.
        case fail
        /// Read it as empty and create it on the first write (a destination): planning writes nothing.
        case createOnWrite
    }

    /// What happens when ``root`` is missing.
    let missingRoot: MissingRoot
    /// List files of every type as items, not only images and videos (the `all-files` option).
    let includesAllFiles: Bool

    /// - Parameter root: an existing folder; created if `create` is true.
    public convenience init(
        root: String, name: String = "local", create: Bool = true, logger: Logger = Logger(label: "local")
    ) throws {
        try self.init(
            root: root, name: name, missingRoot: create ? .create : .fail, logger: logger, anonymousFiles: true)
    }

    /// - Parameters:
    ///   - missingRoot: what to do when `root` does not exist.
    ///   - includesAllFiles: list files of every type as items, not only images and videos.
    public convenience init(
        root: String, name: String = "local", missingRoot: MissingRoot, includesAllFiles: Bool = false,
        logger: Logger = Logger(label: "local")
    ) throws {
        try self.init(
            root: root, name: name, missingRoot: missingRoot, includesAllFiles: includesAllFiles, logger: logger,
            anonymousFiles: true)
    }

    convenience init(
        root: String, name: String = "local", create: Bool = true, logger: Logger = Logger(label: "local"),
        anonymousFiles: Bool
    ) throws {
        try self.init(
            root: root, name: name, missingRoot: create ? .create : .fail, logger: logger,
            anonymousFiles: anonymousFiles)
    }

    init(
        root: String, name: String, missingRoot: MissingRoot, includesAllFiles: Bool = false, logger: Logger,
        anonymousFiles: Bool
    ) throws {
        self.name = name
        self.anonymousFiles = anonymousFiles
        self.logger = logger
        self.missingRoot = missingRoot
        self.includesAllFiles = includesAllFiles
        let expanded = (root as NSString).expandingTildeInPath
        if !FileSystem.isDirectory(expanded), missingRoot == .create {
            do {
                try FileManager.default.createDirectory(atPath: expanded, withIntermediateDirectories: true)
            } catch {
                throw GalleryError(.io, "Cannot create folder \(expanded): \(error)", backend: name)
            }
        }
        self.root = try Self.resolve(expanded, backend: name)
    }

    /// The absolute path without symbolic links; for a path that does not exist yet, its deepest existing
    /// ancestor resolved, with the rest appended.
    static func resolve(_ path: String, backend: String) throws -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var existing = absolute
        var rest: [String] = []
        while realpath(existing, nil) == nil, existing != "/" {
            rest.insert((existing as NSString).lastPathComponent, at: 0)
            existing = (existing as NSString).deletingLastPathComponent
        }
        guard let resolved = realpath(existing, nil) else {
            throw GalleryError(.io, "Cannot resolve \(path)", backend: backend)
        }
        defer { free(resolved) }
        let base = String(cString: resolved)
        return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.joined(separator: "/")
    }

    /// Whether the root can be read; `false` for a destination root not created yet (read as empty).
    /// - Throws: `notFound` for a missing or unreadable root that must exist.
    func rootIsReadable() throws -> Bool {
        if FileSystem.isDirectory(root) {
            guard access(root, R_OK | X_OK) == 0 else {
                throw GalleryError(
                    .notFound, "Cannot read the folder \(root): \(String(cString: strerror(errno)))", backend: name,
                    hint: "Check the folder's permissions (it must be readable and searchable by you).")
            }
            return true
        }
        if missingRoot == .createOnWrite { return false }
        throw GalleryError(
            .notFound, "No folder at \(root)", backend: name,
            hint: "Check the path: a source folder must exist (nothing was created).")
    }

    /// Creates the root on the first write to a destination that did not exist.
    func ensureRoot() throws {
        guard !FileSystem.isDirectory(root) else { return }
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw GalleryError(.io, "Cannot create folder \(root): \(error)", backend: name)
        }
    }

    /// The registry entry for `local`.
    public static let descriptor = BackendDescriptor(
        name: "local",
        summary: "A folder on disk: plain image folders, or GalleryHub's lossless gallery.json format",
        options: [
            BackendOption("path", help: "The root folder", isRequired: true),
            BackendOption(
                "create", help: "true: a missing folder reads as empty and is created on the first write",
                defaultValue: "false"),
            BackendOption(
                "all-files", help: "true: list files of every type as items, not only images and videos",
                defaultValue: "false"),
        ],
        capabilities: .lossless,
        inlineOption: "path"
    ) { remote, logger in
        var path = try remote.requiredOption("path")
        if let sub = remote.path, !sub.isEmpty { path += "/" + sub }
        return try LocalBackend(
            root: path, name: remote.name, missingRoot: remote.option("create") == "true" ? .createOnWrite : .fail,
            includesAllFiles: remote.option("all-files") == "true", logger: logger)
    }

    // MARK: Paths

    static let rootGallery = GalleryID(".")

    /// The folder of a gallery, refusing ids that could point outside the root.
    func directory(for id: GalleryID) throws -> String {
        if id == Self.rootGallery { return root }
        let components = id.rawValue.split(separator: "/", omittingEmptySubsequences: false)
        guard !components.isEmpty,
            components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." && !$0.hasPrefix(".") && !$0.contains("\0") }
            )
        else {
            throw GalleryError(
                .invalidInput, "'\(id)' is not a gallery id of this folder", backend: name,
                gallery: id.rawValue, hint: "Use an id from `gallery-hub ls`.")
        }
        let path = root + "/" + id.rawValue
        if checkedDirectories.withLock({ $0.contains(path) }) { return path }
        guard FileSystem.isDirectory(path) else {
            throw GalleryError(
                .notFound, "No gallery folder '\(id)' under \(root)", backend: name,
                gallery: id.rawValue, hint: "Run `gallery-hub ls` to see the galleries.")
        }
        checkedDirectories.withLock { _ = $0.insert(path) }
        return path
    }

    /// Drops the checks of `directory` and everything under it, which is about to go.
    func forgetDirectories(under directory: String) {
        checkedDirectories.withLock { paths in
            paths = paths.filter { $0 != directory && !$0.hasPrefix(directory + "/") }
        }
    }

    /// The file of an item, refusing names that are not a plain file name in that folder.
    func filePath(_ ref: ItemRef) throws -> String {
        let file = ref.item.rawValue
        guard !file.isEmpty, !file.contains("/"), !file.contains("\0"), !file.hasPrefix("."),
            file != GalleryManifest.fileName
        else {
            throw GalleryError(
                .invalidInput, "'\(file)' is not an item of this folder", backend: name,
                gallery: ref.gallery.rawValue, item: file)
        }
        return try directory(for: ref.gallery) + "/" + file
    }

    func galleryID(parent: GalleryID?, folder: String) -> GalleryID {
        guard let parent, parent != Self.rootGallery else { return GalleryID(folder) }
        return GalleryID(parent.rawValue + "/" + folder)
    }

    func parentID(of id: GalleryID) -> GalleryID? {
        guard let slash = id.rawValue.lastIndex(of: "/") else { return nil }
        return GalleryID(String(id.rawValue[..<slash]))
    }
}
