public import GalleryCore

/// What a run did, counted. A second run of a finished migration has every write count at zero.
public struct RunSummary: Sendable, Hashable, Codable {
    public var galleriesCreated = 0
    public var galleriesUpdated = 0
    public var itemsUploaded = 0
    public var bytesUploaded: Int64 = 0
    /// Matched items rewritten: new metadata, or new bytes for an item that changed at the source.
    public var itemsUpdated = 0
    /// Items found in place and in agreement with the source (matched by the journal or otherwise): nothing
    /// was written for them.
    public var itemsUnchanged = 0
    /// Items found at the destination by digest or name (an interrupted run's, or copied by other means) and
    /// recorded in the journal without sending them again.
    public var itemsReconciled = 0
    public var ordersSet = 0
    public var coversSet = 0
    public var extrasDeleted = 0
    /// The plan's losses this run accepted: what the destination still does not hold. Unlike the write counts,
    /// it stays the same on every run of a lossy pair, as the plan's list does; nothing is written for it.
    public var losses = 0
    public var failures = 0

    public init() {}
}

/// One step that failed for good (after its retries).
public struct RunFailure: Sendable, Hashable, Codable {
    public var step: String
    public var gallery: String
    public var item: String?
    public var code: String
    public var message: String
    public var hint: String?

    public init(step: StepKey.Kind, gallery: String, item: String?, error: GalleryError) {
        self.step = step.rawValue
        self.gallery = gallery
        self.item = item
        self.code = error.code.rawValue
        self.message = error.description
        self.hint = error.hint
    }
}

/// One item the run wrote (or tried to): what, where, how many bytes, and how it ended.
public struct RunAction: Sendable, Hashable, Codable {
    /// `upload` (new item), `replace` (new bytes for a changed item) or `update` (caption, alt text, title).
    public var action: String
    /// The source gallery.
    public var gallery: PlanDocument.GalleryRef
    /// The source item's id and file name.
    public var item: String
    public var filename: String
    /// The destination gallery, and the destination item once it exists.
    public var destinationGallery: String
    public var destinationId: String?
    /// Bytes read from the source and sent (0 for a metadata update).
    public var byteCount: Int64
    /// `done` or `failed` (the failure is in the run's failures).
    public var outcome: String
}

/// The outcome of ``Executor/run(_:)``.
public struct RunResult: Sendable {
    public var summary: RunSummary
    public var failures: [RunFailure]
    public var journalPath: String
    /// Every item written or attempted, by source gallery title, gallery id and file name.
    public var actions: [RunAction]

    public init(summary: RunSummary, failures: [RunFailure], journalPath: String, actions: [RunAction] = []) {
        self.summary = summary
        self.failures = failures
        self.journalPath = journalPath
        self.actions = actions
    }
}
