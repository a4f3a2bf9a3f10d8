public import GalleryCore

/// Language codes ↔ the service's language UUIDs, loaded once from `/api/v1/languages` (or configured).
actor OmnitcodeLanguages {
    private let configured: [String: String]
    private var byCode: [String: String]?

    init(configured: [String: String]) {
        self.configured = configured
        if !configured.isEmpty { byCode = configured }
    }

    /// The code → id table, loading it with `load` the first time.
    func table(load: () async throws -> [OmnitcodeWire.Language]) async throws -> [String: String] {
        if let byCode { return byCode }
        var table: [String: String] = [:]
        for language in try await load() { table[language.code] = language.id.lowercased() }
        byCode = table
        return table
    }
}

extension OmnitcodeBackend {
    /// Code → id for every language the service knows.
    ///
    /// The languages route is inferred (Docs/omnitcode.md, "Languages"): a deployment without it (404), or whose
    /// admin role may not read it (403), needs the table in the remote's `languages` option. Without one, the
    /// error says so instead of guessing which translation is which.
    func languageTable() async throws -> [String: String] {
        try await languages.table {
            var all: [OmnitcodeWire.Language] = []
            do {
                try await paginate(path: "/api/v1/languages") { (page: [OmnitcodeWire.Language]) in all += page }
            } catch let error as GalleryError where error.httpStatus == 404 || error.httpStatus == 403 {
                throw GalleryError(
                    .configuration,
                    "\(name) cannot list its languages: GET /api/v1/languages answered HTTP \(error.httpStatus ?? 0)"
                        + (error.httpStatus == 404 ? " (this deployment has no such route)" : " (not permitted)"),
                    backend: name, httpStatus: error.httpStatus, serverMessage: error.serverMessage,
                    hint: """
                        Set `languages = "en=<uuid>,de=<uuid>"` in this remote's table of the remotes file, with the \
                        language ids from Omnitcode's admin; GalleryHub never guesses which translation is which.
                        """)
            }
            return all
        }
    }

    /// The id of language `code`, or a configuration error naming it.
    func languageID(_ code: String) async throws -> String {
        let table = try await languageTable()
        guard let id = table[code] else {
            throw GalleryError(
                .configuration,
                "\(name) has no language '\(code)' (known: \(table.keys.sorted().joined(separator: ", ")))",
                backend: name,
                hint:
                    "Create the language in Omnitcode, or set `language` to one it has. Languages are never created implicitly."
            )
        }
        return id
    }

    /// Reads every row of a list, page by page (see ``OmnitcodePager``).
    func paginate<Element: Decodable & Sendable & Identified>(
        path: String,
        _ consume: ([Element]) async throws -> Void
    ) async throws {
        var pager = OmnitcodePager<Element>(path: path)
        while let page = try await pager.next(using: self) { try await consume(page) }
    }
}

/// Pages through a list in whichever dialect the server answers: a bare array is paged with skip/limit until a
/// short page; an envelope is followed by `has_next`. A server that ignores the paging parameters cannot loop us:
/// a page with nothing new ends the listing.
struct OmnitcodePager<Element: Decodable & Sendable & Identified>: Sendable {
    let path: String
    var pageSize = 100
    private var skip = 0
    private var pageNumber = 1
    private var seen = Set<String>()
    private var isFinished = false

    init(path: String) { self.path = path }

    /// The next page's new rows, or `nil` at the end.
    mutating func next(using backend: OmnitcodeBackend) async throws -> [Element]? {
        guard !isFinished else { return nil }
        let query = [
            ("skip", "\(skip)"), ("limit", "\(pageSize)"), ("page", "\(pageNumber)"), ("per_page", "\(pageSize)"),
        ]
        let page = try await backend.get(
            path, query: query.map { (name: $0.0, value: $0.1) }, as: OmnitcodeWire.Page<Element>.self)
        let fresh = page.items.filter { seen.insert($0.identity).inserted }
        if let hasNext = page.hasNext {
            pageNumber += 1
            isFinished = !hasNext
        } else {
            skip += page.items.count
            isFinished = page.items.count < pageSize
        }
        if fresh.isEmpty {
            isFinished = true
            return nil
        }
        return fresh
    }
}

/// A listed row with a stable id, so paging can tell new rows from repeats.
protocol Identified {
    var identity: String { get }
}

extension OmnitcodeWire.Language: Identified { var identity: String { id } }
extension OmnitcodeWire.Summary: Identified { var identity: String { id } }

extension OmnitcodeBackend {
    /// The static capabilities plus the languages this site has: translations in any other language are a loss
    /// the plan reports, not a failure in the middle of a run.
    public func resolvedCapabilities() async throws -> Capabilities {
        var resolved = capabilities
        resolved.translationLanguages = Set(try await languageTable().keys)
        resolved.altText = try await mediaUpdates.canWriteAltText { try await probeMediaUpdate() }
        return resolved
    }
}
