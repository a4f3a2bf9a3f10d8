import Foundation
import GalleryCore
import GalleryHTTP

extension KankaBackend {
    var imagesPath: String { "/campaigns/\(configuration.campaign)/images" }

    /// One page of the flat list (45 rows; `limit` is ignored by the server, so it is not sent).
    func listPage(_ page: Int) async throws -> KankaPage {
        try await api.json(RemoteRequest("GET", imagesPath, query: [("page", String(page))]), as: KankaPage.self)
    }

    /// Every row of the campaign gallery, page by page.
    func allRows() -> AsyncThrowingStream<KankaRow, any Error> {
        let backend = self
        return PagedStream.make(start: 1) { page -> (elements: [KankaRow], next: Int?) in
            let rows = try await backend.listPage(page)
            let last = rows.meta?.lastPage ?? page
            return (rows.data, page < last && !rows.data.isEmpty ? page + 1 : nil)
        }
    }

    func fetchRow(_ id: String, gallery: GalleryID) async throws -> KankaRow {
        do {
            return try await api.json(RemoteRequest("GET", "\(imagesPath)/\(id)"), as: KankaEnvelope<KankaRow>.self)
                .data
        } catch let error as GalleryError {
            throw error.adding(backend: name, gallery: gallery.rawValue, item: id)
        }
    }
}
