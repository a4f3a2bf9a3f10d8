import Foundation

/// Makes names from other platforms safe to use as file and folder names, and unique within a folder.
///
/// A safe name has no path separator, NUL or control character, is not `.`/`..` and does not start with a dot
/// (hidden files are ours: temp files and standalone covers), is Unicode NFC, and is at most 255 bytes of UTF-8
/// with its extension kept. Uniqueness is case- and normalization-insensitive, so two names never overwrite each
/// other on a case-insensitive disk.
enum SafeName {
    static let maxBytes = 255
    /// Names this backend keeps for itself.
    static let reserved: Set<String> = ["gallery.json"]

    static func make(_ raw: String, fallback: String = "unnamed") -> String {
        var name = nfc(raw)
        name = String(
            String.UnicodeScalarView(
                name.unicodeScalars.map { scalar in
                    let forbidden = scalar == "/" || scalar == "\\" || scalar.value < 0x20 || scalar.value == 0x7F
                    return forbidden ? "_" : scalar
                }))
        name = name.trimmingCharacters(in: .whitespaces)
        while name.hasPrefix(".") { name = "_" + name.dropFirst() }
        if name.isEmpty { name = fallback }
        return truncate(name, toBytes: maxBytes)
    }

    /// The key two names clash on: NFC, case-folded.
    static func collisionKey(_ name: String) -> String {
        nfc(name).lowercased()
    }

    /// Unicode NFC. ASCII is its own NFC, and nearly every name is ASCII: Foundation's normalization costs more
    /// than the rest of naming a file.
    static func nfc(_ name: String) -> String {
        name.utf8.allSatisfy { $0 < 0x80 } ? name : name.precomposedStringWithCanonicalMapping
    }

    /// `name` made safe, then suffixed ` (2)`, ` (3)` … until its key is not in `taken`.
    static func unique(_ raw: String, taken: Set<String>) -> String {
        let base = make(raw)
        let (stem, ext) = split(base)
        var candidate = base
        var counter = 2
        while taken.contains(collisionKey(candidate)) || reserved.contains(collisionKey(candidate)) {
            let suffix = " (\(counter))" + ext
            candidate = truncate(stem, toBytes: maxBytes - suffix.utf8.count) + suffix
            counter += 1
        }
        return candidate
    }

    /// Keeps the extension and cuts the stem at a character boundary so the whole fits in `limit` bytes.
    static func truncate(_ name: String, toBytes limit: Int) -> String {
        guard name.utf8.count > limit else { return name }
        let (stem, ext) = split(name)
        let keepExt = ext.utf8.count < limit / 2 ? ext : ""
        var result = ""
        var used = 0
        for character in stem {
            let size = String(character).utf8.count
            if used + size + keepExt.utf8.count > limit { break }
            result.append(character)
            used += size
        }
        return result + keepExt
    }

    /// `("photo", ".jpg")`; a leading-dot-only name has no extension.
    static func split(_ name: String) -> (stem: String, ext: String) {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return (name, "") }
        return (String(name[..<dot]), String(name[dot...]))
    }
}
