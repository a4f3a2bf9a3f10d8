import Foundation

/// The types Kanka stores, as MIME type ↔ the `ext` it reports.
enum KankaFileType {
    static let extensions: [String: String] = [
        "jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp", "svg": "image/svg+xml",
        "woff2": "font/woff2",
    ]

    static var allowedMIMETypes: Set<String> { Set(extensions.values) }

    static func mimeType(ext: String?) -> String {
        ext.flatMap { extensions[$0.lowercased()] } ?? "application/octet-stream"
    }

    /// The `name`s Kanka may derive from a file name: the last extension dropped, cut to 45 characters, trimmed.
    /// A name that is only an extension (`.png`) becomes empty on kanka.io; a deployment that keeps it whole is
    /// met too (Docs/kanka.md, "Names"), so both are candidates when an answer is matched to the files sent.
    static func serverNames(for filename: String) -> Set<String> {
        var names: Set<String> = []
        for keepsDotfile in [false, true] {
            var stem = filename
            if let dot = stem.lastIndex(of: "."), !keepsDotfile || dot != stem.startIndex {
                stem = String(stem[..<dot])
            }
            names.insert(String(stem.prefix(45)).trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return names
    }
}
