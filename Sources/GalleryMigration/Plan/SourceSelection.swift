public import Foundation
public import GalleryCore

#if canImport(Glibc)
    import Glibc
#endif

/// The part of a source a migration command takes (Docs/cli.md, "Selecting what is copied"): one gallery and
/// the galleries nested in it (`REMOTE:GALLERY`), items whose names pass `--include`/`--exclude`, and items
/// changed within `--max-age`.
///
/// Only the source is narrowed: the destination is read whole, so a gallery or item outside the selection is
/// never taken for missing and made twice.
public struct SourceSelection: Sendable, Hashable {
    /// A gallery id, slug or title (``GalleryLookup``).
    public var gallery: String?
    /// Glob patterns (fnmatch: `*`, `?`, `[…]`); a pattern without `/` is matched against the file name, one with
    /// `/` against the item's path `GALLERY/…/NAME` (gallery titles from the top, `*` crossing `/`).
    public var include: [String]
    public var exclude: [String]
    /// Items last changed (else created) before this are left out; items with no date are kept.
    public var changedSince: Date?

    public init(gallery: String? = nil, include: [String] = [], exclude: [String] = [], changedSince: Date? = nil) {
        self.gallery = gallery
        self.include = include
        self.exclude = exclude
        self.changedSince = changedSince
    }

    public static let everything = SourceSelection()

    /// Whether some items of a gallery may be left out (the gallery's other items then look like extras at the
    /// destination, so deleting extras is refused with it).
    public var filtersItems: Bool { !include.isEmpty || !exclude.isEmpty || changedSince != nil }

    /// Reads the selected galleries of `backend` with their items: only the named gallery and its descendants
    /// when ``gallery`` is set (not the whole remote), then filters the items.
    func read(from backend: any GalleryBackend, concurrency: Int) async throws -> [Gallery] {
        var galleries: [Gallery]
        if let name = gallery {
            let summaries = try await backend.allGalleries()
            let chosen = try GalleryLookup.find(name, among: summaries, backend: backend.name)
            var wanted: Set<GalleryID> = [chosen.id]
            // Descendants, in listing order: a child is listed after its parent only on some backends.
            var grew = true
            while grew {
                grew = false
                for summary in summaries where !wanted.contains(summary.id) {
                    if let parent = summary.parent, wanted.contains(parent) {
                        wanted.insert(summary.id)
                        grew = true
                    }
                }
            }
            galleries = []
            for summary in summaries where wanted.contains(summary.id) {
                galleries.append(try await backend.gallery(summary.id))
            }
            // The chosen gallery is the top of the copy: its parent stays behind.
            if let index = galleries.firstIndex(where: { $0.id == chosen.id }) { galleries[index].parent = nil }
        } else {
            galleries = try await backend.allGalleriesWithItems(concurrency: concurrency)
        }
        guard filtersItems else { return galleries }
        let paths = Self.paths(of: galleries)
        // An empty gallery with nothing nested in it is copied as it is: no filter emptied it.
        let parentsBefore = Set(galleries.compactMap(\.parent))
        let emptyLeaves = Set(galleries.filter { $0.items.isEmpty && !parentsBefore.contains($0.id) }.map(\.id))
        for index in galleries.indices {
            let path = paths[galleries[index].id] ?? galleries[index].title
            galleries[index].items.removeAll { !selects($0, galleryPath: path) }
            if case .item(let cover) = galleries[index].cover,
                !galleries[index].items.contains(where: { $0.id == cover })
            {
                galleries[index].cover = nil
            }
        }
        // A gallery the filters emptied (itself, or everything nested in it) is not made at the destination.
        while true {
            let parents = Set(galleries.compactMap(\.parent))
            let before = galleries.count
            galleries.removeAll { $0.items.isEmpty && !parents.contains($0.id) && !emptyLeaves.contains($0.id) }
            if galleries.count == before { return galleries }
        }
    }

    /// Whether `item`, in the gallery at `galleryPath`, is taken.
    public func selects(_ item: Item, galleryPath: String) -> Bool {
        if let changedSince, let date = item.modified ?? item.created, date < changedSince { return false }
        let path = galleryPath + "/" + item.filename
        func matches(_ pattern: String) -> Bool {
            let subject = pattern.contains("/") ? path : item.filename
            return fnmatch(pattern, subject, 0) == 0
        }
        if exclude.contains(where: matches) { return false }
        return include.isEmpty || include.contains(where: matches)
    }

    /// Each gallery's path: the titles from the top of the listing down, joined by `/`.
    static func paths(of galleries: [Gallery]) -> [GalleryID: String] {
        let byID = Dictionary(galleries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var paths: [GalleryID: String] = [:]
        for gallery in galleries {
            var titles = [gallery.title]
            var seen: Set<GalleryID> = [gallery.id]
            var parent = gallery.parent
            while let id = parent, let next = byID[id], seen.insert(id).inserted {
                titles.insert(next.title, at: 0)
                parent = next.parent
            }
            paths[gallery.id] = titles.joined(separator: "/")
        }
        return paths
    }

    /// `30d`, `12h`, `90m`, `45s`, `2w`, `1y` before `now`, or a date (`2026-01-31`, or ISO 8601 with a time).
    public static func changedSince(_ text: String, now: Date = Date()) -> Date? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "y": 31_557_600]
        if let unit = text.last, let seconds = units[unit], let count = Double(text.dropLast()), count >= 0 {
            return now.addingTimeInterval(-count * seconds)
        }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle().year().month().day())
    }
}
