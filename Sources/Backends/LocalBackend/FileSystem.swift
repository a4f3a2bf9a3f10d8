import Foundation
import GalleryCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX calls Local needs, with errors that say which file and why.
enum FileSystem {
    struct Entry {
        var name: String
        var isDirectory: Bool
        var byteCount: Int64
        /// The modification time, when read with sizes.
        var modified: Date? = nil
    }

    /// A directory entry that is not listed, and why.
    struct Skipped {
        /// The name as a user would find it (bytes that are not UTF-8 escaped as `\xFF`).
        var name: String
        var reason: String
    }

    /// The entries of a directory that are regular files or directories (symbolic links and hidden names are
    /// skipped, so a link can never lead outside the root). Without `sizes`, the kind comes from `readdir` alone
    /// where the file system reports it, sparing one `lstat` per file (listings need no sizes).
    static func entries(of directory: String, sizes: Bool = true, backend: String) throws -> [Entry] {
        try scan(directory, sizes: sizes, backend: backend).entries
    }

    /// A directory's entries and what was skipped: hidden names (other than this backend's own temp and cover
    /// files), links and special files, names that are not valid UTF-8, and a name that differs from another
    /// only in Unicode normalization (such twins are one name to every comparison here, so only the first, in
    /// byte order, is listed).
    static func scan(_ directory: String, sizes: Bool = true, backend: String) throws -> (
        entries: [Entry], skipped: [Skipped]
    ) {
        guard let dir = opendir(directory) else {
            throw error(errno, "read folder", directory, backend: backend)
        }
        defer { closedir(dir) }
        var result: [Entry] = []
        var skipped: [Skipped] = []
        while let entry = readdir(dir) {
            let raw = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.bindMemory(to: UInt8.self).prefix { $0 != 0 })
            }
            guard let name = String(validating: raw, as: UTF8.self) else {
                skipped.append(Skipped(name: escaped(raw), reason: "the name is not valid UTF-8; rename it to copy it"))
                continue
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix(".") {
                if !name.hasPrefix(AtomicFile.tempPrefix), !name.hasPrefix(".cover") {
                    skipped.append(Skipped(name: name, reason: "hidden file"))
                }
                continue
            }
            let kind = Int32(entry.pointee.d_type)
            if !sizes, kind == Int32(DT_DIR) || kind == Int32(DT_REG) {
                result.append(Entry(name: name, isDirectory: kind == Int32(DT_DIR), byteCount: 0))
                continue
            }
            if kind == Int32(DT_LNK) {
                skipped.append(Skipped(name: name, reason: "a symbolic link (links are never followed)"))
                continue
            }
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                result.append(Entry(name: name, isDirectory: true, byteCount: 0))
            } else if type == S_IFREG {
                result.append(
                    Entry(name: name, isDirectory: false, byteCount: Int64(info.st_size), modified: modified(info)))
            } else if type == S_IFLNK {
                skipped.append(Skipped(name: name, reason: "a symbolic link (links are never followed)"))
            } else {
                skipped.append(Skipped(name: name, reason: "not a regular file or folder"))
            }
        }
        // Swift compares strings by canonical equivalence: `café` in NFC and in NFD are one key to every
        // dictionary and id here, so the second twin would silently replace the first.
        guard result.contains(where: { !$0.name.utf8.allSatisfy { $0 < 0x80 } }) else { return (result, skipped) }
        result.sort { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        var seen: [String: String] = [:]
        var unique: [Entry] = []
        for entry in result {
            if let first = seen[entry.name] {
                let form =
                    SafeName.nfc(entry.name).unicodeScalars.elementsEqual(entry.name.unicodeScalars) ? "NFC" : "NFD"
                skipped.append(
                    Skipped(
                        name: "\(entry.name) (\(form))",
                        reason: "differs from “\(first)” only in Unicode normalization; rename one to copy both"))
                continue
            }
            seen[entry.name] = entry.name
            unique.append(entry)
        }
        return (unique, skipped)
    }

    /// `bytes` as text, with every byte that is not printable ASCII written `\xFF`.
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { $0 >= 0x20 && $0 < 0x7F ? String(UnicodeScalar($0)) : "\\x" + String(format: "%02X", $0) }
            .joined()
    }

    /// What tells one version of a file from another without reading it.
    struct FileState: Equatable, Sendable {
        var byteCount: Int64
        var modified: Date?
    }

    /// A regular file's size and modification time (links are not followed).
    static func fileState(_ path: String) -> FileState? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileState(byteCount: Int64(info.st_size), modified: modified(info))
    }

    static func fileSize(_ path: String) -> Int64? { fileState(path)?.byteCount }

    /// A file's modification time, to the nanosecond the file system keeps.
    private static func modified(_ info: stat) -> Date {
        #if canImport(Darwin)
            let time = info.st_mtimespec
        #else
            let time = info.st_mtim
        #endif
        return Date(timeIntervalSince1970: Double(time.tv_sec) + Double(time.tv_nsec) / 1e9)
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    static func makeDirectory(_ path: String, backend: String) throws {
        guard mkdir(path, 0o755) == 0 else { throw error(errno, "create folder", path, backend: backend) }
    }

    /// Moves `source` to `destination` only if nothing is there yet (link + unlink: never overwrites).
    /// Returns false when the destination exists.
    static func moveWithoutReplacing(_ source: String, to destination: String, backend: String) throws -> Bool {
        if link(source, destination) != 0 {
            if errno == EEXIST { return false }
            throw error(errno, "move file into place", destination, backend: backend)
        }
        unlink(source)
        return true
    }

    static func remove(_ path: String) { unlink(path) }

    static func error(_ code: Int32, _ action: String, _ path: String, backend: String) -> GalleryError {
        let kind: GalleryError.Code =
            code == ENOENT ? .notFound : (code == ENOSPC || code == EDQUOT ? .quotaExceeded : .io)
        return GalleryError(
            kind,
            "Cannot \(action) \(path): \(String(cString: strerror(code)))",
            backend: backend,
            hint: kind == .quotaExceeded ? "Free disk space, then run the same command again to resume." : nil
        )
    }
}

#if canImport(Glibc)
    let systemWrite = Glibc.write
#else
    let systemWrite = Darwin.write
#endif

/// Writes a file whole or not at all: a hidden temp file beside it, then rename.
///
/// No `fsync`: like the item files and the journal (`synchronous = NORMAL`), a manifest survives a killed
/// process, and a power cut can at worst leave the previous manifest, which the next plan repairs.
/// (Foundation's `createFile` synced every manifest, which cost more than the bytes around it.)
enum AtomicFile {
    static let tempPrefix = ".gh-tmp-"

    /// Numbers this process's temp files; `O_EXCL` skips any name a crashed run left behind.
    private static let counter = Atomic<Int>(0)

    /// Creates a new hidden temp file in `directory` and opens it for writing. Named by process id and a
    /// counter: cheaper than a UUID (which reads `/dev/urandom` each time) and just as safe with `O_EXCL`.
    static func createTemporary(in directory: String, backend: String) throws -> (path: String, descriptor: Int32) {
        let process = getpid()
        while true {
            let number = counter.add(1, ordering: .relaxed).newValue
            let path = directory + "/" + tempPrefix + "\(process)-\(number)"
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if descriptor >= 0 { return (path, descriptor) }
            if errno != EEXIST { throw FileSystem.error(errno, "create", path, backend: backend) }
        }
    }

    static func write(_ data: Data, to path: String, backend: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let (temp, descriptor) = try createTemporary(in: directory, backend: backend)
        do {
            try data.withUnsafeBytes { try writeAll($0, to: descriptor, path: temp, backend: backend) }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temp)
            throw error
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw FileSystem.error(code, "replace", path, backend: backend)
        }
    }

    /// Writes all of `buffer`, resuming after short writes and interruptions.
    static func writeAll(_ buffer: UnsafeRawBufferPointer, to descriptor: Int32, path: String, backend: String) throws {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw FileSystem.error(errno, "write", path, backend: backend)
            }
            offset += written
        }
    }
}
