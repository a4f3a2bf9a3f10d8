/// Something a backend found but does not offer as an item or gallery, and why: listed by plans and verify as
/// "ignored", never dropped silently.
public struct IgnoredEntry: Sendable, Hashable, Codable {
    /// Where it is, as the user would find it (a path relative to a folder's root, with invalid bytes escaped).
    public var path: String
    /// The gallery it sits in, when it is inside one.
    public var gallery: GalleryID?
    /// Why it is not copied, and what to do to copy it.
    public var reason: String

    public init(path: String, gallery: GalleryID? = nil, reason: String) {
        self.path = path
        self.gallery = gallery
        self.reason = reason
    }
}
