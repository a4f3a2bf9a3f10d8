public import GalleryCore

/// Where one journaled step stands. A pure state machine: ``applying(_:)`` is the only way to move, and the
/// ``Journal`` persists each move in its own transaction.
///
/// ```
/// pending ──attempt──▶ intent ──succeed──▶ done
///    ▲                  │  │                 │
///    │        fail /    │  └──matched──▶ done │ destinationVanished
///    │  reconcileMissing▼                      ▼
///    │               failed ──attempt──▶ intent     pending
/// ```
/// A step is never attempted from *intent*: after an interruption the destination must be looked at first
/// (``StepEvent/matched(destination:)`` when the thing is there, ``StepEvent/reconcileMissing`` when not).
public enum StepState: Sendable, Hashable {
    case pending
    /// An attempt was recorded before it started; `attempts` counts them.
    case intent(attempts: Int)
    /// Finished, with the destination's id for what was made.
    case done(destination: String?)
    case failed(attempts: Int, message: String)

    public var name: String {
        switch self {
        case .pending: "pending"
        case .intent: "intent"
        case .done: "done"
        case .failed: "failed"
        }
    }

    public var attempts: Int {
        switch self {
        case .pending, .done: 0
        case .intent(let attempts), .failed(let attempts, _): attempts
        }
    }

    /// The state after `event`, or an error when the move is not allowed.
    public func applying(_ event: StepEvent) throws -> StepState {
        switch (self, event) {
        case (.pending, .attempt): return .intent(attempts: 1)
        case (.failed(let attempts, _), .attempt): return .intent(attempts: attempts + 1)
        case (.intent, .succeed(let destination)): return .done(destination: destination)
        case (.intent(let attempts), .fail(let message)): return .failed(attempts: attempts, message: message)
        case (.intent(let attempts), .reconcileMissing):
            return .failed(attempts: attempts, message: "interrupted before it finished; not at the destination")
        case (.pending, .matched(let destination)), (.intent, .matched(let destination)),
            (.failed, .matched(let destination)):
            return .done(destination: destination)
        case (.done, .destinationVanished), (.done, .redo): return .pending
        default:
            throw GalleryError(
                .integrity,
                "Journal step cannot go from \(name) on \(event.name)",
                hint: "The journal may have been edited or written by another run at once; use a fresh --journal."
            )
        }
    }
}

/// What happened to a step.
public enum StepEvent: Sendable, Hashable {
    /// About to try it (recorded before the attempt).
    case attempt
    case succeed(destination: String?)
    case fail(message: String)
    /// Found at the destination without (re)doing it: a match by digest or name+size, or a gallery by title.
    case matched(destination: String?)
    /// An interrupted attempt left nothing at the destination.
    case reconcileMissing
    /// What a finished step made is gone from the destination.
    case destinationVanished
    /// An idempotent step (order, cover, metadata) is needed again because the source changed since.
    case redo

    public var name: String {
        switch self {
        case .attempt: "attempt"
        case .succeed: "succeed"
        case .fail: "fail"
        case .matched: "matched"
        case .reconcileMissing: "reconcileMissing"
        case .destinationVanished: "destinationVanished"
        case .redo: "redo"
        }
    }
}

/// Which step: its kind and the source gallery and item it is about.
public struct StepKey: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case createGallery
        case updateGallery
        case upload
        case updateItem
        case setOrder
        case setCover
        case removeExtra
    }

    public var kind: Kind
    public var gallery: GalleryID
    public var item: ItemID?

    public init(_ kind: Kind, gallery: GalleryID, item: ItemID? = nil) {
        self.kind = kind
        self.gallery = gallery
        self.item = item
    }

    /// The journal's primary key. Ids are length-prefixed so no two keys collide whatever the ids hold.
    public var description: String {
        let galleryPart = "\(gallery.rawValue.utf8.count):\(gallery.rawValue)"
        guard let item else { return "\(kind.rawValue)/\(galleryPart)" }
        return "\(kind.rawValue)/\(galleryPart)/\(item.rawValue.utf8.count):\(item.rawValue)"
    }
}
