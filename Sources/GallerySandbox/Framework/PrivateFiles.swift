import Foundation

/// Files an emulator keeps in `--data`: its accounts, signing secret, tokens and uploads. They are its owner's
/// alone, like the real service's database: folders 0700, files 0600.
enum PrivateFiles {
    static func createFolder(_ url: URL) throws {
        try FileManager.default.createDirectory(
            at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // An existing folder keeps its mode through createDirectory: tighten it too.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: url.path)
    }

    /// Writes `data` whole (a temporary file renamed into place) and makes it private.
    static func write(_ data: Data, to url: URL) throws {
        try data.write(to: url, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
    }
}
