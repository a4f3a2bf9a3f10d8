public import GalleryCore

/// What a copy will do and what the destination cannot hold: a pure value, computed by ``Planner`` from two
/// snapshots and the journal's mappings, and rendered by the reports.
public struct Plan: Sendable, Hashable {
    /// The source's and destination's names, as reports show them.
    public var source: String
    public var destination: String
    public var sourceCapabilities: Capabilities
    public var destinationCapabilities: Capabilities
    /// One entry per source gallery, parents before their children.
    public var galleries: [GalleryPlan]
    /// Everything the destination cannot hold.
    public var losses: [Loss]
    /// Destination galleries no source gallery matched: left alone.
    public var extraGalleries: [GallerySummary]
    /// Name+size matches with several candidates and no digests to decide: resolved by hashing before the plan
    /// is final (see ``MigrationPlanning``).
    public var ambiguities: [Ambiguity]
    /// Source galleries with a same-titled destination gallery the matching rules cannot take: a copy refuses
    /// to start until the user says which it is (``GalleryResolutions``).
    public var galleryAmbiguities: [GalleryAmbiguity]
    /// What the source saw and does not copy, with the reason (other file types, unreadable names).
    public var ignored: [IgnoredEntry]
    /// Whether destination-only items of matched galleries will be removed (`copy --delete-extras`).
    public var deletesExtras: Bool

    public init(
        source: String,
        destination: String,
        sourceCapabilities: Capabilities,
        destinationCapabilities: Capabilities,
        galleries: [GalleryPlan],
        losses: [Loss],
        extraGalleries: [GallerySummary],
        ambiguities: [Ambiguity] = [],
        galleryAmbiguities: [GalleryAmbiguity] = [],
        ignored: [IgnoredEntry] = [],
        deletesExtras: Bool = false
    ) {
        self.source = source
        self.destination = destination
        self.sourceCapabilities = sourceCapabilities
        self.destinationCapabilities = destinationCapabilities
        self.galleries = galleries
        self.losses = losses
        self.extraGalleries = extraGalleries
        self.ambiguities = ambiguities
        self.galleryAmbiguities = galleryAmbiguities
        self.ignored = ignored
        self.deletesExtras = deletesExtras
    }

    /// Source galleries that have no match and that the destination cannot create: the user must create them
    /// by hand (then the next plan matches them by title). A copy refuses to start while there are any.
    public var galleriesToCreateByHand: [GalleryPlan] {
        galleries.filter { if case .createByHand = $0.target { true } else { false } }
    }
}

/// What happens to one source gallery.
public struct GalleryPlan: Sendable, Hashable {
    public var source: GallerySummary
    public var target: Target
    /// Metadata to change on a matched destination gallery; `nil` when it already agrees.
    public var changes: GalleryChanges?
    public var items: [ItemPlan]
    /// The source item ids in the order to set, when the order must be set.
    public var order: [ItemID]?
    /// The cover to set, when it must be set.
    public var cover: CoverPlan?
    /// Destination items no source item matched: left alone unless extras are deleted.
    public var extras: [Item]

    public init(
        source: GallerySummary,
        target: Target,
        changes: GalleryChanges? = nil,
        items: [ItemPlan],
        order: [ItemID]? = nil,
        cover: CoverPlan? = nil,
        extras: [Item] = []
    ) {
        self.source = source
        self.target = target
        self.changes = changes
        self.items = items
        self.order = order
        self.cover = cover
        self.extras = extras
    }

    /// Where the gallery goes.
    public enum Target: Sendable, Hashable {
        /// An existing destination gallery, and how it was matched.
        case existing(GalleryID, matchedBy: MatchRule)
        /// A new gallery; `parent` is the *source* parent, whose destination id the executor knows by then.
        case create(GallerySpec, parent: GalleryID?)
        /// No match, and the destination cannot create galleries.
        case createByHand
    }

    /// The destination gallery, when it exists already.
    public var destinationID: GalleryID? {
        if case .existing(let id, _) = target { return id }
        return nil
    }

    public var uploads: [ItemPlan] { items.filter(\.isUpload) }
    /// Matched items to rewrite: metadata updates and items whose bytes changed at the source.
    public var updates: [ItemPlan] { items.filter { $0.isUpdate || $0.isReplace } }
}

/// What happens to one source item.
public struct ItemPlan: Sendable, Hashable {
    public var source: Item
    public var action: Action
    /// How the destination item was found, for a matched item.
    public var matchedBy: MatchRule?
    /// An earlier run recorded the upload's intent but not its end: look at the destination before uploading.
    public var needsReconciliation: Bool

    public init(source: Item, action: Action, matchedBy: MatchRule? = nil, needsReconciliation: Bool = false) {
        self.source = source
        self.action = action
        self.matchedBy = matchedBy
        self.needsReconciliation = needsReconciliation
    }

    public enum Action: Sendable, Hashable {
        /// Stream the bytes and add the item with this spec (metadata already cut to what the destination holds).
        case upload(ItemSpec)
        /// The item is there; replace its metadata.
        case update(ItemID, ItemMetadata)
        /// The item is there but changed at the source since: its bytes and metadata are replaced in place.
        case replace(ItemID, ItemSpec)
        /// The item is there and agrees.
        case keep(ItemID)
        /// The destination cannot hold the item (see the plan's losses).
        case skip
    }

    public var isUpload: Bool { if case .upload = action { true } else { false } }
    public var isUpdate: Bool { if case .update = action { true } else { false } }
    public var isReplace: Bool { if case .replace = action { true } else { false } }
    /// Whether the item's bytes are sent: a new item or a changed one.
    public var sendsBytes: Bool { isUpload || isReplace }
    public var isSkipped: Bool { action == .skip }

    /// The destination item, for a matched one.
    public var destinationID: ItemID? {
        switch action {
        case .update(let id, _), .replace(let id, _), .keep(let id): id
        case .upload, .skip: nil
        }
    }
}

/// The cover a gallery gets.
public enum CoverPlan: Sendable, Hashable {
    /// One of the gallery's items, by its *source* id.
    case item(ItemID)
    /// A standalone image, streamed from the source's cover.
    case standalone(Item)
}

/// How a source gallery or item was matched to a destination one.
public enum MatchRule: String, Sendable, Hashable, Codable {
    case journal
    case slug
    case title
    case digest
    case nameAndSize
    /// The same file name, other content: the item changed at the source.
    case filename
    /// Named by the user (`--match-gallery`, or the remotes file).
    case user
}

/// A source gallery that a same-titled destination gallery may or may not be, which the rules cannot decide:
/// the title agrees but not the gallery's place in the tree, or the title is not unique.
public struct GalleryAmbiguity: Sendable, Hashable {
    public var source: GallerySummary
    public var candidates: [GallerySummary]
    public var reason: String

    public init(source: GallerySummary, candidates: [GallerySummary], reason: String) {
        self.source = source
        self.candidates = candidates
        self.reason = reason
    }
}

/// How the user settled gallery ambiguities: a source gallery is a given destination gallery, or a new one.
///
/// Answers come from the command line or from the destination's `[NAME.match]` table in the remotes file. The
/// file keeps answers for every source ever copied into that remote, so one naming a source gallery this
/// source does not hold is simply not needed; a command-line answer must name a gallery of this source.
public struct GalleryResolutions: Sendable, Hashable {
    /// Source gallery id → destination gallery id.
    public var matches: [GalleryID: GalleryID]
    /// Source galleries to create anew, whatever the destination holds.
    public var create: Set<GalleryID>
    /// Where each answer was given (`--match-gallery`, `[cms.match] in ~/.config/…`), for errors that name it.
    public var origins: [GalleryID: String]
    /// The answers given on the command line, which must name galleries of this source.
    public var fromCommandLine: Set<GalleryID>

    public init(
        matches: [GalleryID: GalleryID] = [:], create: Set<GalleryID> = [], origins: [GalleryID: String] = [:],
        fromCommandLine: Set<GalleryID>? = nil
    ) {
        self.matches = matches
        self.create = create
        self.origins = origins
        self.fromCommandLine = fromCommandLine ?? create.union(matches.keys)
    }

    public static let none = GalleryResolutions()

    /// These answers, with `other`'s wherever both answer for the same source gallery.
    public func overridden(by other: GalleryResolutions) -> GalleryResolutions {
        var result = self
        for source in other.create.union(other.matches.keys) {
            result.matches[source] = nil
            result.create.remove(source)
            result.origins[source] = other.origins[source]
        }
        result.matches.merge(other.matches) { _, new in new }
        result.create.formUnion(other.create)
        result.fromCommandLine.formUnion(other.fromCommandLine)
        return result
    }

    /// Refuses answers that name what is not there: a source gallery of a command-line answer, or the
    /// destination gallery a needed answer points at. A stale answer would otherwise be dropped without a word.
    public func check(source: BackendSnapshot, destination: BackendSnapshot) throws {
        let sourceIDs = Set(source.galleries.map(\.id))
        let destinationIDs = Set(destination.galleries.map(\.id))
        for id in fromCommandLine.sorted(by: { $0.rawValue < $1.rawValue }) where !sourceIDs.contains(id) {
            throw GalleryError(
                .notFound,
                "\(origins[id] ?? "The answer") names source gallery '\(id)', which \(source.name) does not hold",
                backend: source.name, gallery: id.rawValue,
                hint: "Use a source gallery id as `gallery-hub plan` shows it."
            )
        }
        for (id, target) in matches.sorted(by: { $0.key.rawValue < $1.key.rawValue })
        where sourceIDs.contains(id) && !destinationIDs.contains(target) {
            throw GalleryError(
                .notFound,
                "\(origins[id] ?? "The answer") matches source gallery '\(id)' to gallery '\(target)', which "
                    + "\(destination.name) does not hold",
                backend: destination.name, gallery: target.rawValue,
                hint: "Use a destination gallery id as `gallery-hub ls` or `plan` shows it, or \"new\" for a gallery of its own."
            )
        }
    }
}

/// A source item with several destination candidates of the same name and size and no digest to tell them
/// apart.
public struct Ambiguity: Sendable, Hashable {
    public var sourceGallery: GalleryID
    public var sourceItem: ItemID
    public var destinationGallery: GalleryID
    public var candidates: [ItemID]

    public init(sourceGallery: GalleryID, sourceItem: ItemID, destinationGallery: GalleryID, candidates: [ItemID]) {
        self.sourceGallery = sourceGallery
        self.sourceItem = sourceItem
        self.destinationGallery = destinationGallery
        self.candidates = candidates
    }
}
