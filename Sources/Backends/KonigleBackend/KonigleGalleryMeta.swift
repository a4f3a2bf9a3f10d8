import GalleryCore

/// How a tagged gallery is written on each member image (Docs/konigle.md "tags mode"): `meta.gallery` holds
/// the gallery's id, title, the image's 0-based position and whether it is the cover; the tag `gallery:<slug>`
/// makes members findable, `gallery-cover:<slug>` marks the cover. Where the server does not keep `meta`, the
/// position also goes into a tag, `gallery-pos:<slug>:0007`.
struct KonigleGalleryMeta: Sendable, Equatable, Encodable {
    var id: String
    var title: String?
    var position: Int?
    var cover: Bool

    static func memberTag(_ slug: String) -> String { "gallery:\(slug)" }
    static func coverTag(_ slug: String) -> String { "gallery-cover:\(slug)" }
    static func positionTag(_ slug: String, _ position: Int) -> String {
        let digits = String(position)
        return "gallery-pos:\(slug):" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// The member's record for gallery `slug`: from `meta` when it names this gallery, else from the tags.
    init?(slug: String, meta: [String: JSONValue]?, tags: [String]) {
        guard tags.contains(Self.memberTag(slug)) else { return nil }
        id = slug
        cover = tags.contains(Self.coverTag(slug))
        let prefix = "gallery-pos:\(slug):"
        position = tags.first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) }
        if case .object(let gallery)? = meta?["gallery"], gallery["id"]?.stringValue == slug {
            title = gallery["title"]?.stringValue
            if case .number(let value)? = gallery["position"], value.isFinite { position = Int(value) }
            if case .bool(let value)? = gallery["cover"] { cover = value }
        }
    }

    init(id: String, title: String?, position: Int?, cover: Bool) {
        self.id = id
        self.title = title
        self.position = position
        self.cover = cover
    }

    /// Whether `meta` as the server answered holds this record (it keeps `meta` as sent).
    func isKept(in meta: [String: JSONValue]?) -> Bool {
        guard case .object(let gallery)? = meta?["gallery"] else { return false }
        let position = gallery["position"].flatMap { value -> Int? in
            if case .number(let number) = value { return Int(number) }
            return nil
        }
        return gallery["id"]?.stringValue == id && gallery["title"]?.stringValue == title && position == self.position
    }

    /// The image's tags with this gallery's membership, cover and (when `positionTag`) position set.
    func tags(replacing existing: [String], positionTag: Bool) -> [String] {
        let prefix = "gallery-pos:\(id):"
        var tags = existing.filter { $0 != Self.coverTag(id) && !$0.hasPrefix(prefix) }
        if !tags.contains(Self.memberTag(id)) { tags.append(Self.memberTag(id)) }
        if cover { tags.append(Self.coverTag(id)) }
        if positionTag, let position { tags.append(Self.positionTag(id, position)) }
        return tags
    }

    /// `meta` with this record under `gallery`, the image's other keys kept.
    func meta(replacing existing: [String: JSONValue]?) -> [String: JSONValue] {
        var meta = existing ?? [:]
        var gallery: [String: JSONValue] = ["id": .string(id), "cover": .bool(cover)]
        if let title { gallery["title"] = .string(title) }
        if let position { gallery["position"] = .number(Double(position)) }
        meta["gallery"] = .object(gallery)
        return meta
    }

    /// `[a-z0-9-]`: a slug a tag can carry (no commas, no spaces).
    static func slug(_ text: String) -> String {
        var slug = ""
        for scalar in text.lowercased().unicodeScalars {
            if scalar.isASCII, scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.isEmpty, !slug.hasSuffix("-") {
                slug += "-"
            }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        return slug.isEmpty ? "gallery" : String(slug.prefix(100))
    }
}
