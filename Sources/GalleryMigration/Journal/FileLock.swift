public import Foundation
public import GalleryCore

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on a file, held until the value goes or the process ends: the kernel drops it even on
/// SIGKILL, so a killed run never leaves a stale lock behind.
public final class FileLock: Sendable {
    private let descriptor: Int32
    /// What taking the lock created (the file, then the folders made for it, deepest first).
    private let created: [String]

    /// Takes the lock on `path` (created 0600), or throws `busy()` at once when another process holds it.
    public convenience init(path: String, busy: () -> GalleryError) throws {
        try self.init(path: path, folders: [], busy: busy)
    }

    private init(path: String, folders: [String], busy: () -> GalleryError) throws {
        let existed = FileManager.default.fileExists(atPath: path)
        descriptor = try Self.acquire(path, busy: busy)
        created = (existed ? [] : [path]) + folders
    }

    /// Removes the lock file and the folders made for it, when this lock created them: a command that fails
    /// before doing anything leaves nothing behind. Folders another file has entered since are kept.
    public func removeWhatItCreated() {
        for path in created where unlink(path) != 0 { rmdir(path) }
    }

    deinit { close(descriptor) }

    /// The descriptor holding the lock, for owners that close it themselves.
    static func acquire(_ path: String, busy: () -> GalleryError) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw GalleryError(
                .io, "Cannot open \(path): \(String(cString: strerror(errno)))",
                hint: "Check the folder's permissions.")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw busy()
        }
        return descriptor
    }

    /// The lock a copy holds on its destination, whatever journal it uses: two copies into one destination
    /// would each find the same galleries missing and each create them. It lives in the state folder
    /// (`locks/`, named after the destination's identity, which holds no secret).
    public static func destination(
        _ identity: String, named name: String, environment: [String: String]
    ) throws -> FileLock {
        let folder = Journal.stateFolder(environment: environment) + "/locks"
        var missing: [String] = []
        var parent = folder
        while !parent.isEmpty, parent != "/", !FileManager.default.fileExists(atPath: parent) {
            missing.append(parent)
            parent = (parent as NSString).deletingLastPathComponent
        }
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let digest = SHA256Digester.hex(of: Array(identity.utf8))
        return try FileLock(path: "\(folder)/\(digest.prefix(16)).lock", folders: missing) {
            GalleryError(
                .conflict, "Another gallery-hub copy is writing to \(name)",
                hint: "Wait for it to finish (or stop it), then run again: two copies into one destination would "
                    + "create the same galleries twice.")
        }
    }
}
