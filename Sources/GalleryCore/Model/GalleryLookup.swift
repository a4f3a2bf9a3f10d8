import Foundation

/// Finds a gallery the way users name one: by id, then slug, then title (case-insensitive), so what `ls` shows
/// can be typed back.
public enum GalleryLookup {
    /// The one gallery among `galleries` that `name` names; `notFound` (two titles alike included, with the ids
    /// to choose from) otherwise.
    public static func find(_ name: String, among galleries: [GallerySummary], backend: String) throws
        -> GallerySummary
    {
        if let match = galleries.first(where: { $0.id.rawValue == name }) { return match }
        if let match = galleries.first(where: { $0.slug == name }) { return match }
        let byTitle = galleries.filter { $0.title.caseInsensitiveCompare(name) == .orderedSame }
        if byTitle.count == 1 { return byTitle[0] }
        throw GalleryError(
            .notFound,
            byTitle.isEmpty
                ? "No gallery '\(name)'"
                : "\(byTitle.count) galleries are titled '\(name)' (ids "
                    + byTitle.map(\.id.rawValue).joined(separator: ", ") + ")",
            backend: backend,
            gallery: name,
            hint: "Run `gallery-hub ls REMOTE` and use the gallery's id."
        )
    }

    public static func find(_ name: String, in backend: any GalleryBackend) async throws -> GalleryID {
        try find(name, among: try await backend.allGalleries(), backend: backend.name).id
    }
}
