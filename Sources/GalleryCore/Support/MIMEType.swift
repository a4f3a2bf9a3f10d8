/// File-extension and content-sniffing knowledge of image types, shared by every backend.
public enum MIMEType {
    private static let byExtension: [String: String] = [
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "jpe": "image/jpeg", "png": "image/png", "gif": "image/gif",
        "webp": "image/webp", "avif": "image/avif", "heic": "image/heic", "heif": "image/heif",
        "tif": "image/tiff", "tiff": "image/tiff", "bmp": "image/bmp", "svg": "image/svg+xml",
        "ico": "image/x-icon", "mp4": "video/mp4", "webm": "video/webm", "mov": "video/quicktime",
        "pdf": "application/pdf", "json": "application/json", "txt": "text/plain",
    ]

    /// The MIME type for a file name's extension, or `application/octet-stream`.
    public static func forFilename(_ filename: String) -> String {
        guard let dot = filename.lastIndex(of: "."), dot != filename.startIndex else {
            return "application/octet-stream"
        }
        return byExtension[filename[filename.index(after: dot)...].lowercased()] ?? "application/octet-stream"
    }

    /// The usual extension for a MIME type (`jpg` for `image/jpeg`).
    public static func preferredExtension(for mimeType: String) -> String? {
        switch mimeType.lowercased() {
        case "image/jpeg": "jpg"
        case "image/tiff": "tiff"
        default: byExtension.first { $0.value == mimeType.lowercased() }?.key
        }
    }

    /// Whether the name's extension marks an image (or video) file a gallery may hold.
    public static func isMediaFilename(_ filename: String) -> Bool {
        let type = forFilename(filename)
        return type.hasPrefix("image/") || type.hasPrefix("video/")
    }

    /// The type the first bytes of a file reveal, if they match a known signature.
    public static func sniff(_ prefix: some Collection<UInt8>) -> String? {
        let bytes = Array(prefix.prefix(16))
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts(Array("GIF8".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { return "image/tiff" }
        if starts(Array("BM".utf8)) { return "image/bmp" }
        if starts(Array("ftypheic".utf8), at: 4) || starts(Array("ftypheix".utf8), at: 4) { return "image/heic" }
        if starts(Array("ftypavif".utf8), at: 4) { return "image/avif" }
        if starts(Array("%PDF".utf8)) { return "application/pdf" }
        return nil
    }
}
