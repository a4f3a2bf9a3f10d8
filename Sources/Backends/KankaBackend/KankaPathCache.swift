import Synchronization

/// Item id → storage path of its original, learnt from listings; paths never change for an id.
final class KankaPathCache: Sendable {
    private let paths = Mutex<[String: String]>([:])

    subscript(id: String) -> String? {
        get { paths.withLock { $0[id] } }
        set { paths.withLock { $0[id] = newValue } }
    }
}
