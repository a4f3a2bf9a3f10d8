public import GalleryCore

/// What an earlier run recorded: which destination gallery and item each source one became.
///
/// The planner trusts a mapping only while its destination still exists; a mapping to something deleted since
/// is ignored and the thing is matched afresh.
public struct JournalMappings: Sendable, Hashable {
    /// Source gallery → destination gallery, for galleries created or matched before.
    public var galleries: [GalleryID: GalleryID]
    /// Source item → destination item, for uploads recorded *done*.
    public var items: [ItemRef: ItemRef]
    /// Source items whose upload was recorded as *intent* and never as *done*: the destination may or may not
    /// hold them, so they are reconciled before any retry.
    public var pendingItems: Set<ItemRef>
    /// What each mapped source item looked like when it was copied or matched; a mapping whose source item
    /// looks different now is a changed item, replaced in place.
    public var fingerprints: [ItemRef: SourceFingerprint]

    public init(
        galleries: [GalleryID: GalleryID] = [:],
        items: [ItemRef: ItemRef] = [:],
        pendingItems: Set<ItemRef> = [],
        fingerprints: [ItemRef: SourceFingerprint] = [:]
    ) {
        self.galleries = galleries
        self.items = items
        self.pendingItems = pendingItems
        self.fingerprints = fingerprints
    }

    public static let empty = JournalMappings()
}
