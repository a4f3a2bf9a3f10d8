import GalleryCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Streams bytes into a new file of a folder that gets its name only in ``commit(as:replacing:)``; until then
/// no listing can see it, and ``discard()`` (or the process dying) leaves nothing behind.
///
/// On Linux the file is anonymous (`O_TMPFILE`) and `commit` links it into place: one directory change per
/// file, where a named temp file costs three (create, link, unlink), which on ext4 is most of the system time
/// of a copy of small images. Elsewhere, and on file systems without anonymous files, it is a hidden
/// `.gh-tmp-…` file that `commit` links (or renames) into place.
final class StreamedFileWriter {
    private let directory: String
    private let backend: String
    private var descriptor: Int32
    /// The hidden temp file, or `nil` for an anonymous one.
    private var temporaryPath: String?

    init(directory: String, backend: String, anonymous: Bool = true) throws {
        self.directory = directory
        self.backend = backend
        if anonymous, let anonymous = Self.openAnonymous(in: directory) {
            descriptor = anonymous
            temporaryPath = nil
        } else {
            (temporaryPath, descriptor) = try AtomicFile.createTemporary(in: directory, backend: backend)
        }
    }

    deinit { discard() }

    /// Writes every chunk of `stream`; returns its SHA-256 and length. A stream that hashes itself
    /// (``ByteStream/sha256Digester``) is not hashed a second time.
    func write(_ stream: ByteStream) async throws -> (sha256: String, byteCount: Int64) {
        let own = stream.sha256Digester == nil ? StreamDigester() : nil
        let label = temporaryPath ?? directory
        for try await chunk in stream {
            try Task.checkCancellation()
            own?.update(chunk)
            try chunk.withUnsafeBytes { try AtomicFile.writeAll($0, to: descriptor, path: label, backend: backend) }
        }
        let digester = own ?? stream.sha256Digester!
        return (digester.finalize(), digester.byteCount)
    }

    /// Gives the written file the path `destination`. Without `replacing`, an existing file there is left alone
    /// and the result is `false`.
    func commit(as destination: String, replacing: Bool) throws -> Bool {
        defer { discard() }
        if temporaryPath == nil {
            if !replacing {
                return try Self.link(descriptor: descriptor, to: destination, backend: backend)
            }
            // Replacing needs a name to rename from.
            let named = try AtomicFile.createTemporary(in: directory, backend: backend)
            close(named.descriptor)
            unlink(named.path)
            guard try Self.link(descriptor: descriptor, to: named.path, backend: backend) else {
                throw FileSystem.error(EEXIST, "store", named.path, backend: backend)
            }
            temporaryPath = named.path
        }
        close(descriptor)
        descriptor = -1
        let temp = temporaryPath!
        if replacing {
            guard rename(temp, destination) == 0 else {
                throw FileSystem.error(errno, "store", destination, backend: backend)
            }
            temporaryPath = nil
            return true
        }
        let moved = try FileSystem.moveWithoutReplacing(temp, to: destination, backend: backend)
        if moved { temporaryPath = nil }  // gone with the move; nothing left to discard
        return moved
    }

    /// Closes and forgets the file unless it was committed.
    func discard() {
        if descriptor >= 0 {
            close(descriptor)
            descriptor = -1
        }
        if let temporaryPath {
            unlink(temporaryPath)
            self.temporaryPath = nil
        }
    }

    #if os(Linux)
        /// `O_TMPFILE` (glibc defines it as a macro Swift cannot import): `__O_TMPFILE` is 0o20000000 on every
        /// Linux architecture, combined with that architecture's `O_DIRECTORY`.
        private static let temporaryFileFlag: Int32 = 0o2000_0000 | O_DIRECTORY

        /// Linking an anonymous file goes through `/proc/self/fd` (the alternative, `AT_EMPTY_PATH`, needs a
        /// capability); without procfs there are no anonymous files.
        private static let hasProcFileDescriptors = access("/proc/self/fd", X_OK) == 0

        private static func openAnonymous(in directory: String) -> Int32? {
            guard hasProcFileDescriptors else { return nil }
            let descriptor = open(directory, temporaryFileFlag | O_WRONLY | O_CLOEXEC, 0o644)
            return descriptor >= 0 ? descriptor : nil
        }

        private static func link(descriptor: Int32, to destination: String, backend: String) throws -> Bool {
            if linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, destination, AT_SYMLINK_FOLLOW) == 0 {
                return true
            }
            if errno == EEXIST { return false }
            throw FileSystem.error(errno, "move file into place", destination, backend: backend)
        }
    #else
        private static func openAnonymous(in directory: String) -> Int32? { nil }

        private static func link(descriptor: Int32, to destination: String, backend: String) throws -> Bool {
            throw FileSystem.error(ENOTSUP, "link an anonymous file to", destination, backend: backend)
        }
    #endif
}
