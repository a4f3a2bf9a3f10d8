public import GalleryCore

/// Computes a ``Plan`` from two snapshots and the journal's mappings: a pure function, no I/O.
///
/// Galleries match by the user's resolutions, the journal's mappings, slug, then title (case-insensitive), each
/// pass over all galleries before the next so a weaker rule never takes a gallery a stronger one would have
/// matched. A title match is taken only where the gallery's place in the tree agrees (its parent's match is the
/// candidate's parent), or the destination is flat and the title is unique among the source's galleries; any
/// other same-titled candidate is an ambiguity the user settles. Items match within a matched gallery pair:
/// journal (trusted while the source item looks as recorded), SHA-256, file name and size, then file name
/// alone (a changed item, replaced in place).
public struct Planner: Sendable {
    public var source: BackendSnapshot
    public var destination: BackendSnapshot
    public var mappings: JournalMappings
    public var resolutions: GalleryResolutions
    /// Plan the removal of destination-only items of matched galleries.
    public var deleteExtras: Bool
    /// Source items whose bytes a destination that checks content would refuse, with the reason (found by
    /// ``MigrationPlanning`` from the items' first bytes).
    public var contentRefusals: [ItemRef: String]

    public init(
        source: BackendSnapshot, destination: BackendSnapshot, mappings: JournalMappings = .empty,
        resolutions: GalleryResolutions = .none, deleteExtras: Bool = false,
        contentRefusals: [ItemRef: String] = [:]
    ) {
        self.source = source
        self.destination = destination
        self.mappings = mappings
        self.resolutions = resolutions
        self.deleteExtras = deleteExtras
        self.contentRefusals = contentRefusals
    }

    public func plan() -> Plan {
        let (matches, galleryAmbiguities) = matchGalleries()
        let destinationByID = Dictionary(
            destination.galleries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var losses: [Loss] = []
        var ambiguities: [Ambiguity] = []
        var galleryPlans: [GalleryPlan] = []
        galleryPlans.reserveCapacity(source.galleries.count)

        for gallery in parentsFirst(source.galleries) {
            let match = matches[gallery.id]
            let target = match.flatMap { destinationByID[$0.id] }
            var context = GalleryContext(gallery: gallery, rules: rules)
            if match == nil, isLostAsEmpty(gallery) {
                context.loss(.emptyGalleries, "an empty gallery is not kept: the destination has no place for it")
                losses.append(contentsOf: context.losses)
                continue
            }
            let plan = planGallery(gallery, match: match, target: target, context: &context)
            losses.append(contentsOf: context.losses)
            ambiguities.append(contentsOf: context.ambiguities)
            galleryPlans.append(plan)
        }

        let matched = Set(matches.values.map(\.id))
        let extraGalleries = destination.galleries.filter { !matched.contains($0.id) }.map(\.summary)
        return Plan(
            source: source.name,
            destination: destination.name,
            sourceCapabilities: source.capabilities,
            destinationCapabilities: destination.capabilities,
            galleries: galleryPlans,
            losses: losses,
            extraGalleries: extraGalleries,
            ambiguities: ambiguities,
            galleryAmbiguities: galleryAmbiguities,
            ignored: source.ignored,
            deletesExtras: deleteExtras
        )
    }

    var rules: DestinationRules {
        DestinationRules(source: source.capabilities, destination: destination.capabilities)
    }

    // MARK: Galleries

    typealias GalleryMatches = [GalleryID: (id: GalleryID, rule: MatchRule)]

    /// Source gallery id → (destination id, rule), and the same-titled candidates no rule may take.
    func matchGalleries() -> (GalleryMatches, [GalleryAmbiguity]) {
        var result: GalleryMatches = [:]
        var claimed: Set<GalleryID> = []
        let existing = Dictionary(
            destination.galleries.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        func take(_ gallery: GalleryID, _ found: GalleryID, _ rule: MatchRule) {
            result[gallery] = (found, rule)
            claimed.insert(found)
        }

        for gallery in source.galleries {
            if let named = resolutions.matches[gallery.id], existing[named] != nil, !claimed.contains(named) {
                take(gallery.id, named, .user)
            }
        }
        // The journal comes before "create anew": a gallery an earlier run created for that answer is this
        // source gallery's copy, not a title match, and making another would duplicate it on every run.
        for gallery in source.galleries where result[gallery.id] == nil {
            if let mapped = mappings.galleries[gallery.id], existing[mapped] != nil, !claimed.contains(mapped) {
                take(gallery.id, mapped, .journal)
            }
        }
        let open = source.galleries.filter { result[$0.id] == nil && !resolutions.create.contains($0.id) }
        var bySlug: [String: [GalleryID]] = [:]
        var byTitle: [String: [GalleryID]] = [:]
        for gallery in destination.galleries {
            if let slug = gallery.slug, !slug.isEmpty { bySlug[slug, default: []].append(gallery.id) }
            byTitle[gallery.title.lowercased(), default: []].append(gallery.id)
        }
        for gallery in open where result[gallery.id] == nil {
            guard let slug = gallery.slug, !slug.isEmpty,
                let found = bySlug[slug]?.first(where: { !claimed.contains($0) })
            else { continue }
            take(gallery.id, found, .slug)
        }

        var sourceTitles: [String: Int] = [:]
        for gallery in source.galleries { sourceTitles[gallery.title.lowercased(), default: 0] += 1 }
        let sourceIDs = Set(source.galleries.map(\.id))
        let flat = !destination.capabilities.nestedGalleries
        var ambiguities: [GalleryAmbiguity] = []
        // Parents first, so a child's expected place (its parent's match) is known when it is matched.
        let pending = Set(open.map(\.id))
        for gallery in parentsFirst(source.galleries) where pending.contains(gallery.id) && result[gallery.id] == nil {
            let title = gallery.title.lowercased()
            let candidates = (byTitle[title] ?? []).filter { !claimed.contains($0) }.compactMap { existing[$0] }
            guard !candidates.isEmpty else { continue }
            let agreeing: [Gallery]
            let reason: String
            if flat {
                let unique = sourceTitles[title] == 1
                agreeing = unique ? candidates : []
                reason = "\(sourceTitles[title] ?? 0) source galleries share this title"
            } else {
                // Where the copy goes: under the parent's match, or at the top level. A parent that is new has
                // no gallery under it yet, so nothing there agrees.
                if let parent = gallery.parent, sourceIDs.contains(parent) {
                    let place = result[parent]?.id
                    agreeing = place.map { place in candidates.filter { $0.parent == place } } ?? []
                } else {
                    agreeing = candidates.filter { $0.parent == nil }
                }
                reason = "the title agrees, but not the gallery's place in the tree"
            }
            if agreeing.count == 1 {
                take(gallery.id, agreeing[0].id, .title)
            } else {
                ambiguities.append(
                    GalleryAmbiguity(
                        source: gallery.summary, candidates: (agreeing.isEmpty ? candidates : agreeing).map(\.summary),
                        reason: agreeing.count > 1 ? "several destination galleries fit" : reason))
            }
        }
        return (result, ambiguities)
    }

    func planGallery(
        _ gallery: Gallery,
        match: (id: GalleryID, rule: MatchRule)?,
        target: Gallery?,
        context: inout GalleryContext
    ) -> GalleryPlan {
        guard destination.capabilities.isWritable else {
            context.loss(.write, "nothing can be written to \(destination.name)")
            return GalleryPlan(source: gallery.summary, target: .createByHand, items: [])
        }
        let spec = context.rules.spec(for: gallery, parentKnown: parentIsCopied(gallery), context: &context)
        let planTarget: GalleryPlan.Target
        var changes: GalleryChanges?
        if let match, let target {
            planTarget = .existing(match.id, matchedBy: match.rule)
            changes = context.rules.changes(from: target, to: spec)
        } else if destination.capabilities.createGalleries {
            planTarget = .create(spec, parent: spec.parent)
        } else {
            context.loss(
                .createGalleries,
                "no gallery on \(destination.name) matches “\(gallery.title)”: create it there by hand, then plan again"
            )
            return GalleryPlan(source: gallery.summary, target: .createByHand, items: [])
        }
        var plan = planItems(of: gallery, into: target, context: &context)
        plan.source = gallery.summary
        plan.target = planTarget
        plan.changes = changes
        return plan
    }

    /// An empty gallery the destination cannot hold, and that no copied child needs as its parent.
    func isLostAsEmpty(_ gallery: Gallery) -> Bool {
        let caps = destination.capabilities
        guard gallery.items.isEmpty, !caps.emptyGalleries, caps.isWritable else { return false }
        return !caps.nestedGalleries || !source.galleries.contains { $0.parent == gallery.id }
    }

    /// Whether the gallery's parent is itself in the source, so the copy can nest under the parent's copy.
    func parentIsCopied(_ gallery: Gallery) -> Bool {
        guard let parent = gallery.parent else { return false }
        return source.galleries.contains { $0.id == parent }
    }

    /// Galleries ordered so every parent comes before its children (creation needs the parent's new id).
    func parentsFirst(_ galleries: [Gallery]) -> [Gallery] {
        guard galleries.contains(where: { $0.parent != nil }) else { return galleries }
        let ids = Set(galleries.map(\.id))
        var placed: Set<GalleryID> = []
        var result: [Gallery] = []
        var remaining = galleries
        while !remaining.isEmpty {
            let before = remaining.count
            remaining.removeAll { gallery in
                let ready = gallery.parent.map { !ids.contains($0) || placed.contains($0) } ?? true
                if ready {
                    result.append(gallery)
                    placed.insert(gallery.id)
                }
                return ready
            }
            // A parent cycle cannot be created in any order: keep the rest as listed.
            if remaining.count == before {
                result.append(contentsOf: remaining)
                break
            }
        }
        return result
    }
}

/// The losses and ambiguities found while planning one gallery.
struct GalleryContext {
    let gallery: Gallery
    let rules: DestinationRules
    var losses: [Loss] = []
    var ambiguities: [Ambiguity] = []

    init(gallery: Gallery, rules: DestinationRules) {
        self.gallery = gallery
        self.rules = rules
    }

    mutating func loss(_ rule: LossRule, _ detail: String, item: Item? = nil) {
        losses.append(
            Loss(
                rule: rule,
                gallery: gallery.id,
                galleryTitle: gallery.title,
                item: item?.id,
                filename: item?.filename,
                detail: detail
            )
        )
    }
}
