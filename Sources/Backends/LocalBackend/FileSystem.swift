import Foundation
import GalleryCore

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
    }

    /// The entries of a directory that are regular files or directories (symbolic links and hidden names are
    /// skipped, so a link can never lead outside the root).
    static func entries(of directory: String, backend: String) throws -> [Entry] {
        guard let dir = opendir(directory) else {
            throw error(errno, "read folder", directory, backend: backend)
        }
        defer { closedir(dir) }
        var result: [Entry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name.hasPrefix(".") { continue }
            var info = stat()
            guard lstat(directory + "/" + name, &info) == 0 else { continue }
            let type = info.st_mode & S_IFMT
            if type == S_IFDIR {
                result.append(Entry(name: name, isDirectory: true, byteCount: 0))
            } else if type == S_IFREG {
                result.append(Entry(name: name, isDirectory: false, byteCount: Int64(info.st_size)))
            }
        }
        return result
    }

    static func fileSize(_ path: String) -> Int64? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(info.st_size)
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
    private let systemWrite = Glibc.write
#else
    private let systemWrite = Darwin.write
#endif

/// Writes a file whole or not at all: a hidden temp file beside it, then rename.
enum AtomicFile {
    static let tempPrefix = ".gh-tmp-"

    static func temporaryPath(in directory: String) -> String {
        directory + "/" + tempPrefix + UUID().uuidString
    }

    static func write(_ data: Data, to path: String, backend: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        let temp = temporaryPath(in: directory)
        guard FileManager.default.createFile(atPath: temp, contents: data) else {
            throw FileSystem.error(errno, "write", temp, backend: backend)
        }
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw FileSystem.error(code, "replace", path, backend: backend)
        }
    }
}

/// Streams bytes into a new temp file, hashing them on the way. The file is removed unless `commit` moves it.
final class StreamedFileWriter {
    let path: String
    private var descriptor: Int32
    private let backend: String

    init(directory: String, backend: String) throws {
        path = AtomicFile.temporaryPath(in: directory)
        self.backend = backend
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystem.error(errno, "create", path, backend: backend) }
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// Writes every chunk of `stream`; returns its SHA-256 and length.
    func write(_ stream: ByteStream) async throws -> (sha256: String, byteCount: Int64) {
        let digester = StreamDigester()
        for try await chunk in stream {
            try Task.checkCancellation()
            digester.update(chunk)
            try chunk.withUnsafeBytes { buffer in
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
        close(descriptor)
        descriptor = -1
        return (digester.finalize(), digester.byteCount)
    }

    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        unlink(path)
    }
}
