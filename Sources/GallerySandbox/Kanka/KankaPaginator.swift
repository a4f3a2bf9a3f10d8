/// Laravel's `LengthAwarePaginator` as a paginated API resource renders it: `links` and `meta` of
/// Docs/kanka.md, URLs keeping only `page`, and `meta.links` windowed like `UrlWindow` (3 on each side).
struct KankaPaginator {
    var total: Int
    var perPage: Int
    var currentPage: Int
    /// The request URL without its query.
    var path: String

    var lastPage: Int { max(1, (total + perPage - 1) / perPage) }

    /// The rows of the current page, `nil` past the end.
    var range: Range<Int>? {
        let start = (currentPage - 1) * perPage
        guard start < total else { return nil }
        return start..<min(total, start + perPage)
    }

    func url(_ page: Int) -> String { "\(path)?page=\(page)" }

    var links: KankaJSON {
        .object([
            ("first", .string(url(1))),
            ("last", .string(url(lastPage))),
            ("prev", currentPage > 1 ? .string(url(currentPage - 1)) : .null),
            ("next", currentPage < lastPage ? .string(url(currentPage + 1)) : .null),
        ])
    }

    var meta: KankaJSON {
        let from = range.map { $0.lowerBound + 1 }
        let to = range.map(\.upperBound)
        return .object([
            ("current_page", .int(currentPage)),
            ("from", .int(from)),
            ("last_page", .int(lastPage)),
            ("links", .array(linkEntries)),
            ("path", .string(path)),
            ("per_page", .int(perPage)),
            ("to", .int(to)),
            ("total", .int(total)),
        ])
    }

    private var linkEntries: [KankaJSON] {
        func entry(_ page: Int?, label: String, active: Bool = false) -> KankaJSON {
            .object([
                ("url", page.map { .string(url($0)) } ?? .null), ("label", .string(label)),
                ("page", .int(page)), ("active", .bool(active)),
            ])
        }
        let gap = KankaJSON.object([("url", .null), ("label", "..."), ("active", false)])
        var entries = [entry(currentPage > 1 ? currentPage - 1 : nil, label: "&laquo; Previous")]
        for element in window {
            if let pages = element {
                entries += pages.map { entry($0, label: String($0), active: $0 == currentPage) }
            } else {
                entries.append(gap)
            }
        }
        entries.append(entry(currentPage < lastPage ? currentPage + 1 : nil, label: "Next &raquo;"))
        return entries
    }

    /// Page ranges with `nil` for each "..." gap.
    private var window: [ClosedRange<Int>?] {
        let onEachSide = 3
        let slider = onEachSide + 4
        if lastPage < onEachSide * 2 + 8 { return [1...lastPage] }
        let finish = (lastPage - 1)...lastPage
        if currentPage <= slider { return [1...(slider + onEachSide), nil, finish] }
        if currentPage > lastPage - slider { return [1...2, nil, (lastPage - (slider + onEachSide - 1))...lastPage] }
        return [1...2, nil, (currentPage - onEachSide)...(currentPage + onEachSide), nil, finish]
    }
}
