import GalleryCore

/// The plan's totals, as reports and the executor's summary show them. Each has one meaning, documented in
/// Docs/report-schema.md, and `copy`'s summary counts the same things as they are done.
public struct PlanCounts: Sendable, Hashable, Codable {
    public var galleriesToCreate = 0
    public var galleriesToCreateByHand = 0
    public var galleriesToUpdate = 0
    /// New items: their bytes are sent.
    public var itemsToUpload = 0
    /// The bytes of new and changed items, as the source lists them.
    public var bytesToUpload: Int64 = 0
    /// Matched items to rewrite: new metadata, or new bytes for an item that changed at the source.
    public var itemsToUpdate = 0
    /// Of ``itemsToUpdate``, those whose bytes changed at the source and are sent again.
    public var itemsToReplace = 0
    /// Matched items that already agree.
    public var itemsUnchanged = 0
    public var itemsSkipped = 0
    public var ordersToSet = 0
    public var coversToSet = 0
    public var extraItems = 0
    /// Destination-only items that will be removed (`--delete-extras`).
    public var itemsToDelete = 0
    public var extraGalleries = 0
    public var losses = 0
    /// What the source saw and does not copy (other file types, unreadable names).
    public var ignored = 0
    /// Source galleries whose match the user must settle before a copy starts.
    public var galleryAmbiguities = 0

    public init() {}
}

extension Plan {
    public var counts: PlanCounts {
        var counts = PlanCounts()
        for gallery in galleries {
            switch gallery.target {
            case .create: counts.galleriesToCreate += 1
            case .createByHand: counts.galleriesToCreateByHand += 1
            case .existing: if gallery.changes != nil { counts.galleriesToUpdate += 1 }
            }
            for item in gallery.items {
                switch item.action {
                case .upload:
                    counts.itemsToUpload += 1
                    counts.bytesToUpload += item.source.byteCount
                case .update: counts.itemsToUpdate += 1
                case .replace:
                    counts.itemsToUpdate += 1
                    counts.itemsToReplace += 1
                    counts.bytesToUpload += item.source.byteCount
                case .keep: counts.itemsUnchanged += 1
                case .skip: counts.itemsSkipped += 1
                }
            }
            if gallery.order != nil { counts.ordersToSet += 1 }
            if gallery.cover != nil { counts.coversToSet += 1 }
            counts.extraItems += gallery.extras.count
            if deletesExtras, gallery.destinationID != nil { counts.itemsToDelete += gallery.extras.count }
        }
        counts.extraGalleries = extraGalleries.count
        counts.losses = losses.count
        counts.ignored = ignored.count
        counts.galleryAmbiguities = galleryAmbiguities.count
        return counts
    }

    /// Whether running the plan would write nothing (losses and extras aside).
    public var isNoOp: Bool {
        let counts = counts
        return counts.galleriesToCreate == 0 && counts.galleriesToCreateByHand == 0 && counts.galleriesToUpdate == 0
            && counts.itemsToUpload == 0 && counts.itemsToUpdate == 0 && counts.ordersToSet == 0
            && counts.coversToSet == 0 && counts.itemsToDelete == 0 && counts.galleryAmbiguities == 0
    }
}
