/// What a backend can hold and do, declared up front.
///
/// The planner reads only this value to decide what a destination will lose, and the conformance suite holds
/// every backend to it: a declared capability must work, an undeclared one must fail with
/// ``GalleryError/Code/unsupported`` naming the ``Capability``.
public struct Capabilities: Sendable, Hashable, Codable {
    /// How a gallery's item order is kept.
    public enum OrderModel: String, Sendable, Codable, CaseIterable {
        /// Any order can be set and is kept (Local, Omnitcode, Konigle products).
        case explicit
        /// The order follows file names (Stash): the backend names files so they sort.
        case byFilename
        /// The server decides the order (Kanka).
        case none
    }

    /// What can be a gallery's cover.
    public enum CoverModel: String, Sendable, Codable, CaseIterable {
        /// Any image, member of the gallery or not.
        case any
        /// Only one of the gallery's own items.
        case member
        /// No cover.
        case none
    }

    public var order: OrderModel
    public var cover: CoverModel
    /// Per-item captions.
    public var captions: Bool
    /// The longest caption kept, in characters; `nil` for no limit.
    public var maxCaptionLength: Int?
    /// Per-item alternative text.
    public var altText: Bool
    /// Per-item titles (distinct from the caption).
    public var itemTitles: Bool
    /// Gallery descriptions.
    public var galleryDescriptions: Bool
    /// Galleries inside galleries.
    public var nestedGalleries: Bool
    /// A gallery with no items is kept. False where a gallery exists only through its items (Konigle's tag
    /// sets): an empty source gallery is then a loss, not a gallery to create.
    public var emptyGalleries: Bool
    /// Titles and descriptions in several languages.
    public var translations: Bool
    /// The language codes this instance can hold translations in; `nil` for any. Only an instance knows (an
    /// Omnitcode site has the languages its admins created), so it comes from
    /// ``GalleryBackend/resolvedCapabilities()``.
    public var translationLanguages: Set<String>?
    /// Platform fields (``Gallery/extra``, ``Item/extra``) stored as given.
    public var extras: Bool
    /// The gallery visibilities kept as given: one written is read back the same. Empty when the destination has
    /// no such setting; a value outside the set is stored as the backend's nearest (Omnitcode keeps only
    /// published or draft, so `unlisted` comes back `private`).
    public var visibilities: Set<Visibility>
    /// New galleries can be created through the API (Kanka's folders cannot).
    public var createGalleries: Bool
    /// Items and galleries can be deleted.
    public var deletes: Bool
    /// Items can be added and metadata changed at all.
    public var isWritable: Bool
    /// Digests the server offers without downloading the bytes.
    public var digests: Set<DigestAlgorithm>
    /// The largest item the destination takes, in bytes; `nil` for no limit.
    public var maxItemBytes: Int64?
    /// MIME types the destination takes; `nil` for any.
    public var allowedMIMETypes: Set<String>?
    /// The unit the server reports sizes in (1 for bytes, 1024 for Kanka's KiB): sizes read back are only
    /// accurate to this many bytes.
    public var sizeGranularity: Int64
    /// The server looks at the bytes, not the name: it refuses an empty file, and bytes whose type is not one of
    /// ``allowedMIMETypes`` (Kanka sniffs uploads and answers 422). The planner looks at the first bytes of
    /// what it would send, and lists what would be refused as a loss.
    public var checksContent: Bool
    /// Items one write request can carry (Kanka: 20 `file[]` parts per upload); 1 for one request per item. The
    /// engine keeps this many items in flight per transfer, so a batching backend always finds a full batch.
    public var itemsPerRequest: Int

    public init(
        order: OrderModel,
        cover: CoverModel,
        captions: Bool,
        maxCaptionLength: Int? = nil,
        altText: Bool,
        itemTitles: Bool,
        galleryDescriptions: Bool,
        nestedGalleries: Bool,
        translations: Bool,
        translationLanguages: Set<String>? = nil,
        extras: Bool,
        createGalleries: Bool,
        deletes: Bool,
        isWritable: Bool,
        digests: Set<DigestAlgorithm> = [],
        maxItemBytes: Int64? = nil,
        allowedMIMETypes: Set<String>? = nil,
        sizeGranularity: Int64 = 1,
        visibilities: Set<Visibility> = [],
        checksContent: Bool = false,
        emptyGalleries: Bool = true,
        itemsPerRequest: Int = 1
    ) {
        self.order = order
        self.cover = cover
        self.captions = captions
        self.maxCaptionLength = maxCaptionLength
        self.altText = altText
        self.itemTitles = itemTitles
        self.galleryDescriptions = galleryDescriptions
        self.nestedGalleries = nestedGalleries
        self.translations = translations
        self.translationLanguages = translationLanguages
        self.extras = extras
        self.createGalleries = createGalleries
        self.deletes = deletes
        self.isWritable = isWritable
        self.digests = digests
        self.maxItemBytes = maxItemBytes
        self.allowedMIMETypes = allowedMIMETypes
        self.sizeGranularity = sizeGranularity
        self.visibilities = visibilities
        self.checksContent = checksContent
        self.emptyGalleries = emptyGalleries
        self.itemsPerRequest = max(1, itemsPerRequest)
    }

    /// Everything, kept exactly: what Local and the in-memory reference backend declare.
    public static let lossless = Capabilities(
        order: .explicit,
        cover: .any,
        captions: true,
        altText: true,
        itemTitles: true,
        galleryDescriptions: true,
        nestedGalleries: true,
        translations: true,
        extras: true,
        createGalleries: true,
        deletes: true,
        isWritable: true,
        digests: [.sha256],
        visibilities: Set(Visibility.allCases)
    )

    /// Encodes every set as a sorted array, so two runs print the same document (a `Set`'s order changes from
    /// one process to the next).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order, forKey: .order)
        try container.encode(cover, forKey: .cover)
        try container.encode(captions, forKey: .captions)
        try container.encodeIfPresent(maxCaptionLength, forKey: .maxCaptionLength)
        try container.encode(altText, forKey: .altText)
        try container.encode(itemTitles, forKey: .itemTitles)
        try container.encode(galleryDescriptions, forKey: .galleryDescriptions)
        try container.encode(nestedGalleries, forKey: .nestedGalleries)
        try container.encode(emptyGalleries, forKey: .emptyGalleries)
        try container.encode(translations, forKey: .translations)
        try container.encodeIfPresent(translationLanguages?.sorted(), forKey: .translationLanguages)
        try container.encode(extras, forKey: .extras)
        try container.encode(visibilities.map(\.rawValue).sorted(), forKey: .visibilities)
        try container.encode(createGalleries, forKey: .createGalleries)
        try container.encode(deletes, forKey: .deletes)
        try container.encode(isWritable, forKey: .isWritable)
        try container.encode(digests.map(\.rawValue).sorted(), forKey: .digests)
        try container.encodeIfPresent(maxItemBytes, forKey: .maxItemBytes)
        try container.encodeIfPresent(allowedMIMETypes?.sorted(), forKey: .allowedMIMETypes)
        try container.encode(sizeGranularity, forKey: .sizeGranularity)
        try container.encode(checksContent, forKey: .checksContent)
        try container.encode(itemsPerRequest, forKey: .itemsPerRequest)
    }

    /// Whether `capability` is declared.
    public func supports(_ capability: Capability) -> Bool {
        switch capability {
        case .explicitOrder: order == .explicit
        case .cover: cover != .none
        case .nonMemberCover: cover == .any
        case .captions: captions
        case .altText: altText
        case .itemTitles: itemTitles
        case .galleryDescriptions: galleryDescriptions
        case .nestedGalleries: nestedGalleries
        case .translations: translations
        case .extras: extras
        case .createGalleries: createGalleries
        case .deletes: deletes
        case .write: isWritable
        }
    }

    /// Whether an item of this type and size can be stored, and if not, which rule refuses it.
    public func refusal(mimeType: String, byteCount: Int64) -> String? {
        if let maxItemBytes, byteCount > maxItemBytes {
            return "max item size \(maxItemBytes) bytes"
        }
        if let allowedMIMETypes, !allowedMIMETypes.contains(mimeType.lowercased()) {
            return "allowed types \(allowedMIMETypes.sorted().joined(separator: ", "))"
        }
        return nil
    }
}

/// One thing a backend may or may not do; named in `unsupported` errors and in plan losses.
public enum Capability: String, Sendable, Codable, CaseIterable {
    case explicitOrder
    case cover
    case nonMemberCover
    case captions
    case altText
    case itemTitles
    case galleryDescriptions
    case nestedGalleries
    case translations
    case extras
    case createGalleries
    case deletes
    case write

    /// A phrase for messages: "does not support <summary>".
    public var summary: String {
        switch self {
        case .explicitOrder: "an explicit item order"
        case .cover: "gallery covers"
        case .nonMemberCover: "covers that are not items of the gallery"
        case .captions: "captions"
        case .altText: "alt text"
        case .itemTitles: "item titles"
        case .galleryDescriptions: "gallery descriptions"
        case .nestedGalleries: "nested galleries"
        case .translations: "translations"
        case .extras: "platform-specific fields"
        case .createGalleries: "creating galleries through its API"
        case .deletes: "deleting items or galleries"
        case .write: "writing"
        }
    }
}

/// A content digest algorithm a backend may offer.
public enum DigestAlgorithm: String, Sendable, Codable, Hashable, CaseIterable {
    case sha256
    case md5
}
