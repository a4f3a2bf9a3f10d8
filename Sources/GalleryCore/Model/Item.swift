public import Foundation

/// One image (or other media file) in a gallery.
public struct Item: Sendable, Hashable, Codable {
    public var id: ItemID
    /// The file name as the user knows it (Omnitcode's `original_filename`, not its UUID name).
    public var filename: String
    public var mimeType: String
    /// Always bytes; backends convert at the edge (Kanka reports KiB).
    public var byteCount: Int64
    /// A content digest, when the backend knows it without downloading.
    public var digest: Digest?
    public var caption: String?
    public var altText: String?
    public var title: String?
    public var focus: FocusPoint?
    public var created: Date?
    /// When the bytes last changed, where the backend knows it (a file's modification time): with the size, what
    /// tells a changed item from an unchanged one when the backend has no digest.
    public var modified: Date?
    /// Platform fields only a lossless destination keeps.
    public var extra: [String: JSONValue]

    public init(
        id: ItemID,
        filename: String,
        mimeType: String,
        byteCount: Int64,
        digest: Digest? = nil,
        caption: String? = nil,
        altText: String? = nil,
        title: String? = nil,
        focus: FocusPoint? = nil,
        created: Date? = nil,
        modified: Date? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.filename = filename
        self.mimeType = mimeType
        self.byteCount = byteCount
        self.digest = digest
        self.caption = caption
        self.altText = altText
        self.title = title
        self.focus = focus
        self.created = created
        self.modified = modified
        self.extra = extra
    }

    /// The item a backend stored from `spec`: the spec's metadata, with what the backend decided (its id and
    /// file name, the bytes it counted, the digest it computed).
    public init(id: ItemID, storing spec: ItemSpec, filename: String? = nil, byteCount: Int64, digest: Digest?) {
        self.init(
            id: id, filename: filename ?? spec.filename, mimeType: spec.mimeType, byteCount: byteCount,
            digest: digest, caption: spec.metadata.caption, altText: spec.metadata.altText,
            title: spec.metadata.title, focus: spec.focus, created: spec.created, extra: spec.extra)
    }

    /// The SHA-256 digest in hex, when known.
    public var sha256: String? { digest?.algorithm == .sha256 ? digest?.hex : nil }

    /// The item's descriptive text.
    public var metadata: ItemMetadata {
        get { ItemMetadata(caption: caption, altText: altText, title: title) }
        set {
            caption = newValue.caption
            altText = newValue.altText
            title = newValue.title
        }
    }

    /// The fields a copy of this item is added with.
    public var spec: ItemSpec {
        ItemSpec(
            filename: filename,
            mimeType: mimeType,
            byteCount: byteCount,
            sha256: sha256,
            metadata: metadata,
            focus: focus,
            created: created,
            extra: extra
        )
    }
}

/// A content digest.
public struct Digest: Sendable, Hashable, Codable, CustomStringConvertible {
    public var algorithm: DigestAlgorithm
    /// Lowercase hexadecimal.
    public var hex: String
    public init(_ algorithm: DigestAlgorithm, hex: String) {
        self.algorithm = algorithm
        self.hex = hex.lowercased()
    }
    public static func sha256(_ hex: String) -> Digest { Digest(.sha256, hex: hex) }
    public var description: String { "\(algorithm.rawValue):\(hex)" }
}

/// Where the interesting part of an image is, as fractions of width and height from the top left.
public struct FocusPoint: Sendable, Hashable, Codable {
    public var x: Double
    public var y: Double
    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }
}

/// An item's descriptive text: caption, alt text, title. Written as a whole by ``GalleryBackend/updateItem(_:metadata:)``.
public struct ItemMetadata: Sendable, Hashable, Codable {
    public var caption: String?
    public var altText: String?
    public var title: String?
    public init(caption: String? = nil, altText: String? = nil, title: String? = nil) {
        self.caption = caption
        self.altText = altText
        self.title = title
    }
    public var isEmpty: Bool { caption == nil && altText == nil && title == nil }
}

/// The fields an item is added with; its bytes come separately as a ``ByteStream``.
public struct ItemSpec: Sendable, Hashable, Codable {
    public var filename: String
    public var mimeType: String
    /// The exact number of bytes the stream will yield.
    public var byteCount: Int64
    /// The SHA-256 of the bytes, when the caller knows it already.
    public var sha256: String?
    public var metadata: ItemMetadata
    public var focus: FocusPoint?
    public var created: Date?
    public var extra: [String: JSONValue]
    /// The item's 1-based place in its gallery's intended order, when the writer knows it (the engine sets it
    /// from the plan's order; `nil` unless set). A destination whose order follows file names names the file so
    /// it sorts there from the start, however concurrent writes arrive; the order is still set afterwards. Not
    /// stored.
    public var position: Int?

    public init(
        filename: String,
        mimeType: String,
        byteCount: Int64,
        sha256: String? = nil,
        metadata: ItemMetadata = ItemMetadata(),
        focus: FocusPoint? = nil,
        created: Date? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.filename = filename
        self.mimeType = mimeType
        self.byteCount = byteCount
        self.sha256 = sha256
        self.metadata = metadata
        self.focus = focus
        self.created = created
        self.extra = extra
    }
}
