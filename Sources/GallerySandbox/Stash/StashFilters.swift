import Foundation
import GraphQL

/// Stash's find filters (Docs/stash.md, "Finding"): string criteria with SQL `LIKE` semantics (case-insensitive,
/// `%` and `_` wildcards, `INCLUDES` splits unquoted words and ORs them), int and multi criteria, AND/OR/NOT,
/// the allowed sorts (anything else is `invalid sort: …`), and paging where `per_page: -1` means all.
enum StashFilters {
    static func stringMatches(_ criterion: Map, _ values: [String]) throws -> Bool {
        let value = criterion["value"].string ?? ""
        let modifier = criterion["modifier"].string ?? "EQUALS"
        let nonEmpty = values.filter { !$0.isEmpty }
        switch modifier {
        case "EQUALS": return values.contains { like(value, $0) }
        case "NOT_EQUALS": return !values.contains { like(value, $0) }
        case "INCLUDES": return words(value).contains { word in values.contains { like("%\(word)%", $0) } }
        case "INCLUDES_ALL": return words(value).allSatisfy { word in values.contains { like("%\(word)%", $0) } }
        case "EXCLUDES": return !words(value).contains { word in values.contains { like("%\(word)%", $0) } }
        case "IS_NULL": return nonEmpty.isEmpty
        case "NOT_NULL": return !nonEmpty.isEmpty
        case "MATCHES_REGEX", "NOT_MATCHES_REGEX":
            let regex = try NSRegularExpression(pattern: value)
            let hit = values.contains { regex.firstMatch(in: $0, range: NSRange($0.startIndex..., in: $0)) != nil }
            return modifier == "MATCHES_REGEX" ? hit : !hit
        default: throw StashFieldError("unsupported modifier \(modifier)")
        }
    }

    static func intMatches(_ criterion: Map, _ actual: Int) -> Bool {
        let value = criterion["value"].int ?? 0
        let upper = criterion["value2"].int ?? value
        switch criterion["modifier"].string ?? "EQUALS" {
        case "NOT_EQUALS": return actual != value
        case "GREATER_THAN": return actual > value
        case "LESS_THAN": return actual < value
        case "BETWEEN": return (value...max(value, upper)).contains(actual)
        case "NOT_BETWEEN": return !(value...max(value, upper)).contains(actual)
        default: return actual == value
        }
    }

    static func multiMatches(_ criterion: Map, _ actual: Set<Int>) -> Bool {
        let wanted = (criterion["value"].array ?? []).compactMap(id)
        let excluded = (criterion["excludes"].array ?? []).compactMap(id)
        if excluded.contains(where: actual.contains) { return false }
        switch criterion["modifier"].string ?? "INCLUDES" {
        case "INCLUDES_ALL": return wanted.allSatisfy(actual.contains)
        case "EXCLUDES": return !wanted.contains(where: actual.contains)
        case "IS_NULL": return actual.isEmpty
        case "NOT_NULL": return !actual.isEmpty
        default: return wanted.isEmpty || wanted.contains(where: actual.contains)
        }
    }

    /// Whitespace-separated words; a double-quoted phrase stays one word (quotes removed).
    static func words(_ value: String) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" {
                quoted.toggle()
            } else if character.isWhitespace, !quoted {
                if !current.isEmpty { result.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    /// SQL `LIKE`: the whole string, case-insensitively, `%` any run and `_` any one character.
    static func like(_ pattern: String, _ text: String) -> Bool {
        var regex = "^"
        for character in pattern {
            switch character {
            case "%": regex += ".*"
            case "_": regex += "."
            default: regex += NSRegularExpression.escapedPattern(for: String(character))
            }
        }
        regex += "$"
        return text.range(of: regex, options: [.regularExpression, .caseInsensitive]) != nil
    }

    static func id(_ value: Map) -> Int? {
        if let text = value.string { return Int(text) }
        return value.int
    }

    /// Page and per-page from a `FindFilterType`: 25 by default, all for a negative size, page at least 1.
    static func page<T>(_ rows: [T], filter: Map) -> [T] {
        let perPage = filter["per_page"].int ?? 25
        guard perPage >= 0 else { return rows }
        let page = max(1, filter["page"].int ?? 1)
        let start = (page - 1) * perPage
        guard start < rows.count else { return [] }
        return Array(rows[start..<min(rows.count, start + perPage)])
    }

    static let gallerySorts: Set<String> = [
        "created_at", "date", "file_count", "file_mod_time", "id", "images_count", "path", "performer_count",
        "random", "rating", "tag_count", "title", "updated_at",
    ]
    static let imageSorts: Set<String> = [
        "created_at", "date", "file_count", "file_mod_time", "filesize", "id", "o_counter", "path",
        "performer_count", "random", "rating", "resolution", "tag_count", "title", "updated_at",
    ]

    /// The sort name and direction, or `nil` when none is given (Stash then has no ORDER BY: id order here).
    static func sort(_ filter: Map, allowed: Set<String>) throws -> (key: String, descending: Bool)? {
        guard let key = filter["sort"].string, !key.isEmpty else { return nil }
        let base = key.hasPrefix("random_") ? "random" : key
        guard allowed.contains(base) else { throw StashFieldError("invalid sort: \(key)") }
        if let direction = filter["direction"].string, direction != "ASC", direction != "DESC" {
            throw StashFieldError("\(direction) is not a valid SortDirectionEnum")
        }
        return (base, filter["direction"].string == "DESC")
    }

    /// Orders by `key` (ascending unless `descending`), ties by title-or-id in natural order.
    static func ordered<T>(
        _ rows: [T], by sort: (key: String, descending: Bool)?, key: (T) -> String, tie: (T) -> String,
        id: (T) -> Int
    ) -> [T] {
        guard let sort else { return rows.sorted { id($0) < id($1) } }
        return rows.sorted { a, b in
            let (x, y) = (key(a), key(b))
            if x != y { return sort.descending ? StashNaturalOrder.less(y, x) : StashNaturalOrder.less(x, y) }
            let (p, q) = (tie(a), tie(b))
            if p != q { return StashNaturalOrder.less(p, q) }
            return id(a) < id(b)
        }
    }

    /// A sortable text for numbers and dates, so natural order sorts them by value.
    static func number(_ value: Int) -> String { String(value) }
    static func time(_ date: Date) -> String { String(format: "%020.6f", date.timeIntervalSince1970) }
}
