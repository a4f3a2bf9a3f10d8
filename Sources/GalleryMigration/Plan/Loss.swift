public import GalleryCore

/// Something the source holds that the destination cannot, and the rule that decided it.
///
/// Losses are never silent: the plan lists every one, reports show them, and a copy refuses to start while there
/// are any unless the user accepts them.
public struct Loss: Sendable, Hashable {
    public var rule: LossRule
    /// The source gallery the loss belongs to.
    public var gallery: GalleryID
    public var galleryTitle: String
    /// The source item, for item-level losses.
    public var item: ItemID?
    public var filename: String?
    /// What exactly is lost, in a sentence.
    public var detail: String

    public init(
        rule: LossRule,
        gallery: GalleryID,
        galleryTitle: String,
        item: ItemID? = nil,
        filename: String? = nil,
        detail: String
    ) {
        self.rule = rule
        self.gallery = gallery
        self.galleryTitle = galleryTitle
        self.item = item
        self.filename = filename
        self.detail = detail
    }

    /// "Gallery “Trips” / beach.jpg: caption dropped (destination has no captions)".
    public var summary: String {
        var place = "“\(galleryTitle)”"
        if let filename { place += " / \(filename)" }
        return "\(place): \(detail) [\(rule.rawValue): \(rule.explanation)]"
    }
}

/// The rule behind a loss: one per thing a destination's ``Capabilities`` can refuse.
public enum LossRule: String, Sendable, Hashable, Codable, CaseIterable {
    /// The destination keeps no order of its own (`order == .none`).
    case order
    /// The destination orders by file name and the source order is not the file names' order.
    case orderByFilename
    /// The destination has no covers.
    case cover
    /// The source cover is not an item of the gallery and the destination takes only member covers.
    case nonMemberCover
    /// The cover's item is itself lost (too large, wrong type), so the cover cannot point at it.
    case coverItemLost
    case captions
    /// A caption longer than the destination keeps; it is cut.
    case captionLength
    case altText
    case itemTitles
    case galleryDescriptions
    case translations
    /// Translations in languages the destination instance does not have.
    case translationLanguages
    case nestedGalleries
    /// The gallery has no items and the destination holds a gallery only through its items.
    case emptyGalleries
    /// Platform fields (`extra`) the destination does not store.
    case extras
    /// A gallery visibility the destination cannot hold as given.
    case visibility
    /// The item is larger than the destination's maximum.
    case fileSize
    /// The item's type is not one the destination takes.
    case fileType
    /// The item's bytes would be refused by a destination that looks at them: an empty file, or bytes of a type
    /// it does not take whatever the name says.
    case content
    /// The destination cannot create galleries and this one has no match there: create it by hand.
    case createGalleries
    /// The destination is read-only.
    case write

    /// Why the rule applies, naming the capability it comes from.
    public var explanation: String {
        switch self {
        case .order: "the destination keeps no explicit item order (capabilities.order = none)"
        case .orderByFilename: "the destination orders items by file name (capabilities.order = byFilename)"
        case .cover: "the destination has no gallery covers (capabilities.cover = none)"
        case .nonMemberCover: "the destination's cover must be an item of the gallery (capabilities.cover = member)"
        case .coverItemLost: "the cover's item cannot be copied, so neither can the cover"
        case .captions: "the destination has no captions (capabilities.captions = false)"
        case .captionLength: "the destination cuts captions (capabilities.maxCaptionLength)"
        case .altText: "the destination has no alt text (capabilities.altText = false)"
        case .itemTitles: "the destination has no item titles (capabilities.itemTitles = false)"
        case .galleryDescriptions:
            "the destination has no gallery descriptions (capabilities.galleryDescriptions = false)"
        case .translations: "the destination has no translations (capabilities.translations = false)"
        case .translationLanguages:
            "the destination has no such language; add it there to keep these (capabilities.translationLanguages)"
        case .nestedGalleries: "the destination has no nested galleries (capabilities.nestedGalleries = false)"
        case .emptyGalleries:
            "the destination keeps a gallery only while it holds items (capabilities.emptyGalleries = false)"
        case .extras: "the destination does not keep platform fields (capabilities.extras = false)"
        case .visibility: "the destination does not have this gallery visibility (capabilities.visibilities)"
        case .fileSize: "the file is larger than the destination takes (capabilities.maxItemBytes)"
        case .fileType: "the destination does not take this type (capabilities.allowedMIMETypes)"
        case .content:
            "the destination checks the bytes themselves and refuses these (capabilities.checksContent)"
        case .createGalleries:
            "the destination cannot create galleries through its API (capabilities.createGalleries = false)"
        case .write: "the destination is read-only (capabilities.isWritable = false)"
        }
    }
}
