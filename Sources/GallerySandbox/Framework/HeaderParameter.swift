import Foundation

/// Parameters of a structured header value, as servers read them from `Content-Type` (`boundary`) and
/// `Content-Disposition` (`name`, `filename`).
enum HeaderParameter {
    /// A `key=value` or `key="value"` parameter of a header value (the key case-insensitive).
    static func value(_ key: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            return value
        }
        return nil
    }
}
