import Synchronization

/// Lazily paged listings: the project's one way to turn "fetch page N" into an element stream.
///
/// A page is fetched only when the consumer has used up the previous one, so a listing of any size holds one
/// page in memory and a consumer that stops early fetches no further pages.
public enum PagedStream {
    /// - Parameters:
    ///   - start: the first page's cursor (a page number, an offset, a URL).
    ///   - fetch: returns one page's elements and the next cursor, `nil` after the last page.
    public static func make<Element: Sendable, Cursor: Sendable>(
        start: Cursor,
        fetch: @escaping @Sendable (Cursor) async throws -> (elements: [Element], next: Cursor?)
    ) -> AsyncThrowingStream<Element, any Error> {
        let pager = Pager<Element, Cursor>(start: start)
        return AsyncThrowingStream(unfolding: {
            while true {
                switch pager.take() {
                case .element(let element): return element
                case .finished: return nil
                case .fetch(let cursor):
                    let page = try await fetch(cursor)
                    pager.store(page.elements, next: page.next)
                }
            }
        })
    }
}

/// The buffer and cursor between pulls. `unfolding` pulls one at a time, so the lock only satisfies Sendable.
private final class Pager<Element: Sendable, Cursor: Sendable>: Sendable {
    enum Step {
        case element(Element)
        case fetch(Cursor)
        case finished
    }

    private struct State {
        var buffer: [Element] = []
        var index = 0
        var cursor: Cursor?
    }

    private let state: Mutex<State>

    init(start: Cursor) { state = Mutex(State(cursor: start)) }

    func take() -> Step {
        state.withLock { state in
            if state.index < state.buffer.count {
                defer { state.index += 1 }
                return .element(state.buffer[state.index])
            }
            guard let cursor = state.cursor else { return .finished }
            return .fetch(cursor)
        }
    }

    func store(_ elements: [Element], next: Cursor?) {
        state.withLock { state in
            state.buffer = elements
            state.index = 0
            state.cursor = next
        }
    }
}
