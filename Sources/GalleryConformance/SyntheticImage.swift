public import GalleryCore

/// Deterministic test images of any size: a JPEG signature (services sniff content) followed by generated
/// bytes. Two streams made with the same size and seed are identical, so a digest can be computed from a second
/// stream instead of keeping the first in memory.
public enum SyntheticImage {
    static let jpegHeader: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01]

    public static func stream(byteCount: Int64, seed: UInt64) -> ByteStream {
        precondition(byteCount >= Int64(jpegHeader.count))
        let body = ByteStream.pattern(count: byteCount - Int64(jpegHeader.count), seed: seed)
        return ByteStream(byteCount: byteCount) {
            var sentHeader = false
            var iterator = body.makeAsyncIterator()
            return ByteStream.AsyncIterator {
                if !sentHeader {
                    sentHeader = true
                    return jpegHeader
                }
                return try await iterator.next()
            }
        }
    }

    /// The SHA-256 of ``stream(byteCount:seed:)``, computed by streaming.
    public static func sha256(byteCount: Int64, seed: UInt64) async throws -> String {
        try await SHA256Digester.digest(of: stream(byteCount: byteCount, seed: seed)).sha256
    }

    public static func spec(_ filename: String, byteCount: Int64, metadata: ItemMetadata = ItemMetadata()) -> ItemSpec {
        ItemSpec(filename: filename, mimeType: "image/jpeg", byteCount: byteCount, metadata: metadata)
    }
}
