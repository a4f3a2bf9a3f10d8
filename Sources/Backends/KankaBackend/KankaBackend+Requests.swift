import Foundation
import GalleryCore
import GalleryHTTP

extension KankaBackend {
    /// How many times a replayable request (list, get, update, delete) is re-sent after a 429. Each attempt first
    /// waits for the governor, which after a 429 means waiting for the window to roll.
    static let rateLimitAttempts = 3

    /// Sends one API request under the governor and returns the 2xx body.
    ///
    /// The HTTP client never waits on a 429 itself (its `maxRetryAfter` is zero): the governor knows the
    /// window and makes every task wait, not only the one that was refused. Upload bodies are streams that
    /// cannot be re-read, so a refused upload fails as `rateLimited` for the caller to retry with fresh bytes.
    func call(_ request: RemoteRequest) async throws -> [UInt8] {
        let request = authorized(request)
        var attempt = 1
        while true {
            let slot = try await governor.acquire()
            do {
                return try await send(request, slot: slot)
            } catch let error as GalleryError where error.code == .rateLimited {
                guard Self.isReplayable(request.body), attempt < Self.rateLimitAttempts else { throw error }
                attempt += 1
            }
        }
    }

    /// Streams (uploads) cannot be read twice; in-memory bodies can.
    static func isReplayable(_ body: RemoteRequest.Body) -> Bool {
        if case .stream = body { return false }
        return true
    }

    /// The request with the token and Kanka's recommended `Accept` header.
    func authorized(_ request: RemoteRequest) -> RemoteRequest {
        var request = request
        request.headers.append(("Authorization", "Bearer \(configuration.token)"))
        request.headers.append(("Accept", "application/json"))
        return request
    }

    /// Sends once on a granted slot and reports the outcome to the governor.
    func send(_ request: RemoteRequest, slot: KankaRateGovernor.Ticket) async throws -> [UInt8] {
        do {
            let answer = try await api.data(request)
            await governor.completed(
                slot, remaining: Self.header("x-ratelimit-remaining", answer.headers),
                limit: Self.header("x-ratelimit-limit", answer.headers))
            return answer.body
        } catch let error as GalleryError where error.code == .rateLimited {
            let wait = await governor.throttled(slot)
            var refused = error
            refused.retryAfter = wait
            refused.hint = """
                Kanka's per-minute budget is spent (another client may share this user's budget); the window \
                rolls in \(wait.components.seconds + 1) s and the run resumes.
                """
            throw refused
        } catch {
            await governor.completed(slot, remaining: nil, limit: nil)
            throw error
        }
    }

    static func header(_ name: String, _ headers: [(name: String, value: String)]) -> Int? {
        headers.first { $0.name == name }.flatMap { Int($0.value.trimmingCharacters(in: .whitespaces)) }
    }

    var imagesPath: String { "/campaigns/\(configuration.campaign)/images" }

    /// One page of the flat list (45 rows; `limit` is ignored by the server, so it is not sent).
    func listPage(_ page: Int) async throws -> KankaPage {
        let request = RemoteRequest("GET", imagesPath, query: [("page", String(page))])
        return try api.decode(KankaPage.self, from: try await call(request), endpoint: request.endpoint)
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
        let request = RemoteRequest("GET", "\(imagesPath)/\(id)")
        do {
            return try api.decode(
                KankaEnvelope<KankaRow>.self, from: try await call(request), endpoint: request.endpoint
            ).data
        } catch let error as GalleryError {
            throw error.adding(backend: name, gallery: gallery.rawValue, item: id)
        }
    }
}
