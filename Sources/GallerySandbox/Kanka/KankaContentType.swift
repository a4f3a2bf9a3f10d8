/// What Kanka's MIME sniffing makes of uploaded bytes: the `ext` it stores, decided from content, never from the
/// file name or the part's Content-Type (Docs/kanka.md).
enum KankaContentType {
    /// The types the upload rule accepts, in the order its 422 message lists them.
    static let acceptedList = "jpeg, jpg, gif, png, webp, woff2, svg"

    /// `jpg`, `png`, `gif`, `webp`, `woff2` or `svg`; `nil` for anything else.
    static func sniff(_ bytes: [UInt8]) -> String? {
        func starts(_ signature: [UInt8], at offset: Int = 0) -> Bool {
            bytes.count >= offset + signature.count && Array(bytes[offset..<offset + signature.count]) == signature
        }
        if starts([0xFF, 0xD8, 0xFF]) { return "jpg" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "png" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "gif" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "webp" }
        if starts(Array("wOF2".utf8)) { return "woff2" }
        // libmagic calls a document SVG when it opens as XML (or with the svg element) and holds an svg element.
        var head = String(decoding: bytes.prefix(1024), as: UTF8.self)
        if head.hasPrefix("\u{FEFF}") { head.removeFirst() }
        head = head.trimmingPrefix(while: \.isWhitespace)
        if head.hasPrefix("<?xml") || head.hasPrefix("<svg"), head.contains("<svg") { return "svg" }
        return nil
    }
}

extension String {
    fileprivate func trimmingPrefix(while predicate: (Character) -> Bool) -> String {
        String(drop(while: predicate))
    }
}
