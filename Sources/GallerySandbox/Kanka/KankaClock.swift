import Foundation

/// Time helpers: UUIDv7 ids and Laravel's timestamp format.
enum KankaClock {
    /// `2026-08-21T09:14:05.000000Z`: whole seconds, six zero fraction digits.
    static func timestamp(_ seconds: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        let text = formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
        return text.replacingOccurrences(of: "Z", with: ".000000Z")
    }

    /// Whole Unix seconds of an ISO-8601 timestamp, with or without fraction digits.
    static func seconds(fromTimestamp text: String) -> Int? {
        let plain = ISO8601DateFormatter()
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let trimmed = text.replacingOccurrences(of: ".000000Z", with: "Z")
        guard let date = plain.date(from: trimmed) ?? fractional.date(from: text) else { return nil }
        return Int(date.timeIntervalSince1970)
    }

    static func nowSeconds() -> Int { Int(Date().timeIntervalSince1970) }

    /// A lower-case UUIDv7: 48 bits of Unix milliseconds, then random bits with the version and variant set.
    static func uuid7() -> String {
        let millis = UInt64(Date().timeIntervalSince1970 * 1000)
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<6 { bytes[index] = UInt8((millis >> (8 * (5 - UInt64(index)))) & 0xFF) }
        var generator = SystemRandomNumberGenerator()
        for index in 6..<16 { bytes[index] = UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)
        bytes[8] = 0x80 | (bytes[8] & 0x3F)
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }

    /// Whether `id` has the UUID shape Laravel's route binding accepts.
    static func isUUID(_ id: String) -> Bool {
        let groups = id.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
