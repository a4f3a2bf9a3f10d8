import GalleryCore

/// What the server reads from an uploaded file's bytes, never from its name or part type: the MIME type and,
/// for raster images, the pixel size (bare bytes arrive named `upload.bin` as `application/octet-stream`).
struct KonigleImageInfo: Sendable, Equatable {
    var mimeType: String
    var width: Int?
    var height: Int?

    /// The image the bytes hold (PNG, JPEG, GIF or WebP), or `nil` when they are no image the site takes.
    static func read(_ bytes: [UInt8]) -> KonigleImageInfo? {
        guard let type = MIMEType.sniff(bytes.prefix(16)),
            ["image/png", "image/jpeg", "image/gif", "image/webp"].contains(type)
        else { return nil }
        let size = dimensions(type, bytes)
        return KonigleImageInfo(mimeType: type, width: size?.width, height: size?.height)
    }

    private static func dimensions(_ type: String, _ bytes: [UInt8]) -> (width: Int, height: Int)? {
        func be16(_ at: Int) -> Int? { at + 2 <= bytes.count ? Int(bytes[at]) << 8 | Int(bytes[at + 1]) : nil }
        func le16(_ at: Int) -> Int? { at + 2 <= bytes.count ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func be32(_ at: Int) -> Int? {
            guard let high = be16(at), let low = be16(at + 2) else { return nil }
            return high << 16 | low
        }
        func le24(_ at: Int) -> Int? {
            guard let low = le16(at), at + 3 <= bytes.count else { return nil }
            return low | Int(bytes[at + 2]) << 16
        }
        func positive(_ width: Int?, _ height: Int?) -> (width: Int, height: Int)? {
            guard let width, let height, width > 0, height > 0 else { return nil }
            return (width, height)
        }
        switch type {
        case "image/png":
            // IHDR is the first chunk: width and height at offsets 16 and 20.
            guard bytes.count >= 24, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
            return positive(be32(16), be32(20))
        case "image/gif":
            return positive(le16(6), le16(8))
        case "image/webp":
            guard bytes.count >= 30 else { return nil }
            switch String(decoding: bytes[12..<16], as: UTF8.self) {
            case "VP8 ": return positive(le16(26).map { $0 & 0x3FFF }, le16(28).map { $0 & 0x3FFF })
            case "VP8L":
                let bits = Int(bytes[21]) | Int(bytes[22]) << 8 | Int(bytes[23]) << 16 | Int(bytes[24]) << 24
                return positive((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
            case "VP8X": return positive(le24(24).map { $0 + 1 }, le24(27).map { $0 + 1 })
            default: return nil
            }
        default:
            // JPEG: walk the segments to the first start-of-frame marker.
            var offset = 2
            while offset + 9 < bytes.count {
                guard bytes[offset] == 0xFF else { return nil }
                let marker = bytes[offset + 1]
                if marker == 0xD8 || marker == 0x01 || (0xD0...0xD7).contains(marker) {
                    offset += 2
                    continue
                }
                guard let length = be16(offset + 2), length >= 2 else { return nil }
                if (0xC0...0xCF).contains(marker), ![0xC4, 0xC8, 0xCC].contains(marker) {
                    return positive(be16(offset + 7), be16(offset + 5))
                }
                offset += 2 + length
            }
            return nil
        }
    }
}
