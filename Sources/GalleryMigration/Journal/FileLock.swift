public import Foundation
public import GalleryCore

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on a file, held until the value goes or the process ends: the kernel drops it even on
/// SIGKILL, so a killed run never leaves a stale lock behind.
public final class FileLock: Sendable {
    private let descriptor: Int32

    /// Takes the lock on `path` (created 0600), or throws `busy()` at once when another process holds it.
    public init(path: String, busy: () -> GalleryError) throws {
        descriptor = try Self.acquire(path, busy: busy)
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
        try? FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let digest = SHA256Digester.hex(of: Array(identity.utf8))
        return try FileLock(path: "\(folder)/\(digest.prefix(16)).lock") {
            GalleryError(
                .conflict, "Another gallery-hub copy is writing to \(name)",
                hint: "Wait for it to finish (or stop it), then run again: two copies into one destination would "
                    + "create the same galleries twice.")
        }
    }
}
