import Foundation
import GalleryCore

extension Journal {
    /// The default journal for a source/destination pair: `$XDG_STATE_HOME/gallery-hub/` (else
    /// `~/.local/state/gallery-hub/`), named after the pair so each pair resumes its own run.
    public static func defaultPath(source: String, destination: String, environment: [String: String]) -> String {
        let digest = SHA256Digester.hex(of: Array("\(source)\u{0}\(destination)".utf8))
        return "\(stateFolder(environment: environment))/\(readable(source))--\(readable(destination))-"
            + "\(digest.prefix(12)).sqlite"
    }

    /// `$XDG_STATE_HOME/gallery-hub` (else `~/.local/state/gallery-hub`): journals and locks.
    public static func stateFolder(environment: [String: String]) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        let base = environment["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/state"
        return base + "/gallery-hub"
    }

    /// A short, file-name-safe form of a remote, for people browsing the folder.
    private static func readable(_ remote: String) -> String {
        let safe = remote.unicodeScalars.map { scalar -> Character in
            CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII ? Character(scalar) : "_"
        }
        return String(String(safe).suffix(40))
    }
}
