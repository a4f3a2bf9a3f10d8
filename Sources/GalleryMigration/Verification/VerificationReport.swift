public import GalleryCore

/// What `verify` found: counts of what was compared and every mismatch. Success only when nothing mismatches;
/// the plan's declared losses are allowed and counted apart.
public struct VerificationReport: Sendable, Hashable, Codable {
    public var schema = "gallery-hub/verify"
    public var schemaVersion = 2
    public var source: String
    public var destination: String
    public var galleriesChecked = 0
    public var itemsChecked = 0
    public var bytesChecked: Int64 = 0
    /// Losses the plan declares (allowed differences).
    public var losses = 0
    public var mismatches: [Mismatch] = []
    /// What the source saw and does not copy, with the reason: allowed, and listed so nothing goes unseen.
    public var ignored: [IgnoredEntry] = []
    /// Destination galleries no source gallery matched: not the copy's, so allowed, and listed.
    public var destinationOnlyGalleries: [PlanDocument.GalleryRef] = []
    /// Destination items of matched galleries that no selected source item matched, with `--include`,
    /// `--exclude` or `--max-age`: outside what was asked, so neither checked nor counted against the copy.
    public var destinationItemsOutsideSelection: Int?
    /// The requests verifying spent per HTTP remote; absent when no remote talks HTTP.
    public var requests: [RemoteRequests]?

    public var isSuccess: Bool { mismatches.isEmpty }

    private enum CodingKeys: String, CodingKey {
        case schema, schemaVersion, source, destination, galleriesChecked, itemsChecked, bytesChecked, losses
        case mismatches, ignored, destinationOnlyGalleries, destinationItemsOutsideSelection
    }

    /// The remotes are written as every document writes a remote (`{ "name" }`, Docs/report-schema.md).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(schema, forKey: .schema)
        try container.encode(schemaVersion, forKey: .schemaVersion)
        try container.encode(PlanDocument.Side(name: source), forKey: .source)
        try container.encode(PlanDocument.Side(name: destination), forKey: .destination)
        try container.encode(galleriesChecked, forKey: .galleriesChecked)
        try container.encode(itemsChecked, forKey: .itemsChecked)
        try container.encode(bytesChecked, forKey: .bytesChecked)
        try container.encode(losses, forKey: .losses)
        try container.encode(mismatches, forKey: .mismatches)
        try container.encode(ignored, forKey: .ignored)
        try container.encode(destinationOnlyGalleries, forKey: .destinationOnlyGalleries)
        try container.encodeIfPresent(destinationItemsOutsideSelection, forKey: .destinationItemsOutsideSelection)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schema = try container.decode(String.self, forKey: .schema)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        source = try container.decode(PlanDocument.Side.self, forKey: .source).name
        destination = try container.decode(PlanDocument.Side.self, forKey: .destination).name
        galleriesChecked = try container.decode(Int.self, forKey: .galleriesChecked)
        itemsChecked = try container.decode(Int.self, forKey: .itemsChecked)
        bytesChecked = try container.decode(Int64.self, forKey: .bytesChecked)
        losses = try container.decode(Int.self, forKey: .losses)
        mismatches = try container.decode([Mismatch].self, forKey: .mismatches)
        ignored = try container.decode([IgnoredEntry].self, forKey: .ignored)
        destinationOnlyGalleries = try container.decode(
            [PlanDocument.GalleryRef].self, forKey: .destinationOnlyGalleries)
        destinationItemsOutsideSelection = try container.decodeIfPresent(
            Int.self, forKey: .destinationItemsOutsideSelection)
    }

    public init(source: String, destination: String) {
        self.source = source
        self.destination = destination
    }

    public struct Mismatch: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Hashable, Codable {
            case missingGallery
            /// A same-titled destination gallery the matching rules cannot decide on.
            case ambiguousGallery
            case galleryMetadata
            /// The gallery is not where the source has it in the tree.
            case nesting
            case missingItem
            /// An item only the destination holds, in a matched gallery.
            case extraItem
            case metadata
            case bytes
            case order
            case cover
        }

        public var kind: Kind
        /// The source gallery's title (the destination's, for an extra item).
        public var gallery: String
        /// The source gallery's id.
        public var galleryId: String?
        public var item: String?
        public var detail: String

        public init(kind: Kind, gallery: String, galleryId: String? = nil, item: String? = nil, detail: String) {
            self.kind = kind
            self.gallery = gallery
            self.galleryId = galleryId
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
            let id = mismatch.galleryId.map { " (\($0))" } ?? ""
            lines.append("  - [\(mismatch.kind.rawValue)] “\(mismatch.gallery)”\(id)\(item): \(mismatch.detail)")
        }
        if let outside = destinationItemsOutsideSelection, outside > 0 {
            lines.append("  \(outside) destination items outside --include/--exclude/--max-age, not checked")
        }
        if !ignored.isEmpty {
            lines.append("  \(ignored.count) ignored at the source (not copied, allowed):")
            for entry in ignored { lines.append("    - \(entry.path): \(entry.reason)") }
        }
        if !destinationOnlyGalleries.isEmpty {
            lines.append("  \(destinationOnlyGalleries.count) galleries only on the destination (left alone):")
            for gallery in destinationOnlyGalleries { lines.append("    - \(gallery.id) “\(gallery.title)”") }
        }
        lines += RemoteRequests.text(requests ?? [])
        return lines.joined(separator: "\n") + "\n"
    }
}
