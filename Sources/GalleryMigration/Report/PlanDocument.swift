public import GalleryCore

/// The plan as JSON: a stable, versioned document (see `Docs/report-schema.md`). Changing a field's meaning or
/// removing one raises ``schemaVersion``; adding one does not.
public struct PlanDocument: Sendable, Codable, Hashable {
    public static let currentSchemaVersion = 3

    public var schema = "gallery-hub/plan"
    public var schemaVersion = PlanDocument.currentSchemaVersion
    public var source: Side
    public var destination: Side
    public var counts: PlanCounts
    public var galleries: [GalleryEntry]
    public var losses: [LossEntry]
    public var galleriesToCreateByHand: [GalleryRef]
    public var extraGalleries: [GalleryRef]
    /// Source galleries whose match the user must settle; `copy` refuses to start while there are any.
    public var galleryAmbiguities: [GalleryAmbiguityEntry]
    /// What the source saw and does not copy, with the reason.
    public var ignored: [IgnoredEntry]
    /// Whether the copy removes destination-only items of matched galleries (each gallery's `deletions`).
    public var deletesExtras: Bool

    public struct GalleryAmbiguityEntry: Sendable, Codable, Hashable {
        public var source: GalleryRef
        public var candidates: [GalleryRef]
        public var reason: String
    }

    /// A remote, in every document: its name as typed, and (in a plan) what its backend declares it can hold.
    public struct Side: Sendable, Codable, Hashable {
        public var name: String
        public var capabilities: Capabilities?

        public init(name: String, capabilities: Capabilities? = nil) {
            self.name = name
            self.capabilities = capabilities
        }
    }

    public struct GalleryRef: Sendable, Codable, Hashable {
        public var id: String
        public var title: String
        public var slug: String?
        /// The containing gallery's id, for a nested one.
        public var parent: String?
    }

    public struct GalleryEntry: Sendable, Codable, Hashable {
        public var source: GalleryRef
        /// `create`, `existing` or `createByHand`.
        public var action: String
        public var destinationId: String?
        /// `journal`, `slug` or `title` for an existing gallery.
        public var matchedBy: String?
        /// Gallery fields that will change on an existing gallery.
        public var changes: [String]
        public var uploads: [ItemEntry]
        public var updates: [ItemEntry]
        public var unchanged: Int
        public var skipped: [ItemEntry]
        /// Source item ids in the order to set, when it will be set.
        public var order: [String]?
        public var cover: CoverEntry?
        public var extras: [ItemEntry]
        /// Destination items that will be removed: the extras, under `--delete-extras`.
        public var deletions: [ItemEntry]
    }

    public struct ItemEntry: Sendable, Codable, Hashable {
        public var id: String
        public var filename: String
        public var byteCount: Int64
        /// The source's digest, as every document writes one: `{ "algorithm", "hex" }`.
        public var digest: Digest?
        public var destinationId: String?
        public var matchedBy: String?
        /// Fields that change, for an update: `caption`, `altText`, `title`; `bytes` for an item that changed
        /// at the source and is sent again.
        public var fields: [String]?
        /// An earlier run left this upload unfinished; the destination was looked at first.
        public var reconciled: Bool?
    }

    public struct CoverEntry: Sendable, Codable, Hashable {
        /// `item` (a source item id) or `standalone` (an image outside the gallery).
        public var kind: String
        public var sourceItem: String?
        public var filename: String?
    }

    public struct LossEntry: Sendable, Codable, Hashable {
        public var rule: String
        public var explanation: String
        public var gallery: String
        public var galleryTitle: String
        public var item: String?
        public var filename: String?
        public var detail: String
    }
}

extension PlanDocument {
    public init(_ plan: Plan) {
        source = Side(name: plan.source, capabilities: plan.sourceCapabilities)
        destination = Side(name: plan.destination, capabilities: plan.destinationCapabilities)
        counts = plan.counts
        galleries = plan.galleries.map(GalleryEntry.init)
        losses = plan.losses.map { loss in
            LossEntry(
                rule: loss.rule.rawValue, explanation: loss.rule.explanation, gallery: loss.gallery.rawValue,
                galleryTitle: loss.galleryTitle, item: loss.item?.rawValue, filename: loss.filename, detail: loss.detail
            )
        }
        galleriesToCreateByHand = plan.galleriesToCreateByHand.map { GalleryRef($0.source) }
        extraGalleries = plan.extraGalleries.map(GalleryRef.init)
        galleryAmbiguities = plan.galleryAmbiguities.map { ambiguity in
            GalleryAmbiguityEntry(
                source: GalleryRef(ambiguity.source), candidates: ambiguity.candidates.map(GalleryRef.init),
                reason: ambiguity.reason)
        }
        ignored = plan.ignored
        deletesExtras = plan.deletesExtras
        if plan.deletesExtras {
            for index in galleries.indices where plan.galleries[index].destinationID != nil {
                galleries[index].deletions = galleries[index].extras
            }
        }
    }
}

extension PlanDocument.GalleryRef {
    init(_ summary: GallerySummary) {
        self.init(id: summary.id.rawValue, title: summary.title, slug: summary.slug, parent: summary.parent?.rawValue)
    }
}

extension PlanDocument.GalleryEntry {
    init(_ gallery: GalleryPlan) {
        source = PlanDocument.GalleryRef(gallery.source)
        switch gallery.target {
        case .create: action = "create"
        case .createByHand: action = "createByHand"
        case .existing(let id, let rule):
            action = "existing"
            destinationId = id.rawValue
            matchedBy = rule.rawValue
        }
        changes = gallery.changes.map(Self.fieldNames) ?? []
        var uploads: [PlanDocument.ItemEntry] = []
        var updates: [PlanDocument.ItemEntry] = []
        var skipped: [PlanDocument.ItemEntry] = []
        var unchanged = 0
        for item in gallery.items {
            var entry = PlanDocument.ItemEntry(item.source)
            entry.matchedBy = item.matchedBy?.rawValue
            switch item.action {
            case .upload:
                entry.reconciled = item.needsReconciliation ? true : nil
                uploads.append(entry)
            case .update(let id, let metadata):
                entry.destinationId = id.rawValue
                entry.fields = Self.writtenFields(metadata)
                updates.append(entry)
            case .replace(let id, let spec):
                entry.destinationId = id.rawValue
                entry.fields = ["bytes"] + Self.writtenFields(spec.metadata)
                updates.append(entry)
            case .keep: unchanged += 1
            case .skip: skipped.append(entry)
            }
        }
        self.uploads = uploads
        self.updates = updates
        self.skipped = skipped
        self.unchanged = unchanged
        order = gallery.order?.map(\.rawValue)
        cover = gallery.cover.map { cover in
            switch cover {
            case .item(let id):
                PlanDocument.CoverEntry(
                    kind: "item", sourceItem: id.rawValue,
                    filename: gallery.items.first { $0.source.id == id }?.source.filename
                )
            case .standalone(let image):
                PlanDocument.CoverEntry(kind: "standalone", sourceItem: nil, filename: image.filename)
            }
        }
        extras = gallery.extras.map(PlanDocument.ItemEntry.init)
        deletions = []
    }

    static func fieldNames(_ changes: GalleryChanges) -> [String] {
        var names: [String] = []
        if changes.title != nil { names.append("title") }
        if changes.description != nil { names.append("description") }
        if changes.visibility != nil { names.append("visibility") }
        if changes.translations != nil { names.append("translations") }
        if changes.extra != nil { names.append("extra") }
        return names
    }

    /// The metadata fields an update leaves holding text (the update writes all three).
    static func writtenFields(_ target: ItemMetadata) -> [String] {
        var names: [String] = []
        if target.caption != nil { names.append("caption") }
        if target.altText != nil { names.append("altText") }
        if target.title != nil { names.append("title") }
        return names
    }
}

extension PlanDocument.ItemEntry {
    init(_ item: Item) {
        self.init(
            id: item.id.rawValue, filename: item.filename, byteCount: item.byteCount,
            digest: item.sha256.map(Digest.sha256))
    }
}
