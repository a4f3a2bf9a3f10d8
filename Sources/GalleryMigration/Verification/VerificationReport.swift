/// What `verify` found: counts of what was compared and every mismatch. Success only when nothing mismatches;
/// the plan's declared losses are allowed and counted apart.
public struct VerificationReport: Sendable, Hashable, Codable {
    public var schema = "gallery-hub/verify"
    public var schemaVersion = 1
    public var source: String
    public var destination: String
    public var galleriesChecked = 0
    public var itemsChecked = 0
    public var bytesChecked: Int64 = 0
    /// Losses the plan declares (allowed differences).
    public var losses = 0
    public var mismatches: [Mismatch] = []

    public var isSuccess: Bool { mismatches.isEmpty }

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }

    public struct Mismatch: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case missingGallery
            case galleryMetadata
            case missingItem
            case metadata
            case bytes
            case order
            case cover
        }

        public var kind: Kind
        public var gallery: String
        public var item: String?
        public var detail: String

        public init(kind: Kind, gallery: String, item: String? = nil, detail: String) {
            self.kind = kind
            self.gallery = gallery
            self.item = item
            self.detail = detail
        }
    }

    /// A terminal rendering.
    public var text: String {
        var lines = [
            "Verify: \(source) → \(destination): " + (isSuccess ? "OK" : "\(mismatches.count) mismatches"),
            "  \(galleriesChecked) galleries, \(itemsChecked) items, \(ByteFormat.string(bytesChecked)) compared by "
                + "SHA-256; \(losses) declared losses allowed",
        ]
        for mismatch in mismatches {
            let item = mismatch.item.map { " / \($0)" } ?? ""
            lines.append("  - [\(mismatch.kind.rawValue)] “\(mismatch.gallery)”\(item): \(mismatch.detail)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
