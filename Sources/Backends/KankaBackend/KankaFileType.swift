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

    /// The `name` Kanka derives from a file name: the last extension dropped, cut to 45 characters.
    static func serverName(for filename: String) -> String {
        var stem = filename
        if let dot = stem.lastIndex(of: "."), dot != stem.startIndex { stem = String(stem[..<dot]) }
        return String(stem.prefix(45)).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
