/// A gallery as a backend holds it: metadata, items in order, and a cover.
public struct Gallery: Sendable, Hashable, Codable {
    public var id: GalleryID
    public var title: String
    public var description: String?
    /// A URL-safe handle, where the platform has one; used to match galleries across backends.
    public var slug: String?
    public var visibility: Visibility?
    /// Language code (`en`, `de-AT`) → the gallery's title and description in that language, for languages other
    /// than the one ``title`` and ``description`` are in. A platform that stores its primary language as one more
    /// translation row (Omnitcode) leaves that row out here, so the same gallery reads alike on every backend.
    public var translations: [String: Translation]
    /// Items in the gallery's order (or the server's order when it has none).
    public var items: [Item]
    public var cover: CoverRef?
    /// The containing gallery, for nested folders.
    public var parent: GalleryID?
    /// Platform fields only a lossless destination keeps (Omnitcode `meta_title`, Kanka `visibility_id`, …).
    public var extra: [String: JSONValue]

    public init(
        id: GalleryID,
        title: String,
        description: String? = nil,
        slug: String? = nil,
        visibility: Visibility? = nil,
        translations: [String: Translation] = [:],
        items: [Item] = [],
        cover: CoverRef? = nil,
        parent: GalleryID? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.slug = slug
        self.visibility = visibility
        self.translations = translations
        self.items = items
        self.cover = cover
        self.parent = parent
        self.extra = extra
    }

    /// The summary a listing would give for this gallery.
    public var summary: GallerySummary {
        GallerySummary(id: id, title: title, slug: slug, parent: parent, itemCount: items.count)
    }

    /// The fields a new gallery like this one is created with.
    public var spec: GallerySpec {
        GallerySpec(
            title: title,
            description: description,
            slug: slug,
            visibility: visibility,
            translations: translations,
            parent: parent,
            extra: extra
        )
    }
}

/// A gallery as a listing shows it: enough to match it without reading its items.
public struct GallerySummary: Sendable, Hashable, Codable {
    public var id: GalleryID
    public var title: String
    public var slug: String?
    public var parent: GalleryID?
    /// The number of items, when the listing tells it cheaply.
    public var itemCount: Int?

    public init(id: GalleryID, title: String, slug: String? = nil, parent: GalleryID? = nil, itemCount: Int? = nil) {
        self.id = id
        self.title = title
        self.slug = slug
        self.parent = parent
        self.itemCount = itemCount
    }
}

/// Who may see a gallery. Platforms with a richer model keep their own value in ``Gallery/extra``.
public enum Visibility: String, Sendable, Hashable, Codable, CaseIterable {
    case `public`
    case unlisted
    case `private`
}

/// A gallery's title and description in one language.
public struct Translation: Sendable, Hashable, Codable {
    public var title: String
    public var description: String?
    public init(title: String, description: String? = nil) {
        self.title = title
        self.description = description
    }
}

/// A gallery's cover.
public enum CoverRef: Sendable, Hashable, Codable {
    /// One of the gallery's own items.
    case item(ItemID)
    /// An image that is not an item of the gallery (Omnitcode allows any media); the item describes it and its
    /// bytes open through ``GalleryBackend/openCover(of:)``.
    case standalone(Item)

    /// The member item, when the cover is one.
    public var itemID: ItemID? {
        if case .item(let id) = self { return id }
        return nil
    }

    // JSON as users read it: {"item": "boats.webp"} or {"standalone": {…item…}}.
    private enum CodingKeys: String, CodingKey {
        case item
        case standalone
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let id = try container.decodeIfPresent(ItemID.self, forKey: .item) {
            self = .item(id)
        } else {
            self = .standalone(try container.decode(Item.self, forKey: .standalone))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .item(let id): try container.encode(id, forKey: .item)
        case .standalone(let item): try container.encode(item, forKey: .standalone)
        }
    }
}

/// The fields a gallery is created with.
public struct GallerySpec: Sendable, Hashable, Codable {
    public var title: String
    public var description: String?
    public var slug: String?
    public var visibility: Visibility?
    public var translations: [String: Translation]
    public var parent: GalleryID?
    public var extra: [String: JSONValue]

    public init(
        title: String,
        description: String? = nil,
        slug: String? = nil,
        visibility: Visibility? = nil,
        translations: [String: Translation] = [:],
        parent: GalleryID? = nil,
        extra: [String: JSONValue] = [:]
    ) {
        self.title = title
        self.description = description
        self.slug = slug
        self.visibility = visibility
        self.translations = translations
        self.parent = parent
        self.extra = extra
    }
}

/// Changes to a gallery's metadata; `nil` fields stay as they are.
public struct GalleryChanges: Sendable, Hashable, Codable {
    public var title: String?
    /// `.some(nil)` clears the description.
    public var description: String??
    public var visibility: Visibility?
    /// Replaces the whole set of translations when given.
    public var translations: [String: Translation]?
    /// Replaces the extras when given.
    public var extra: [String: JSONValue]?

    public init(
        title: String? = nil,
        description: String?? = nil,
        visibility: Visibility? = nil,
        translations: [String: Translation]? = nil,
        extra: [String: JSONValue]? = nil
    ) {
        self.title = title
        self.description = description
        self.visibility = visibility
        self.translations = translations
        self.extra = extra
    }

    public var isEmpty: Bool {
        title == nil && description == nil && visibility == nil && translations == nil && extra == nil
    }
}
