import GalleryCore

/// Computes a ``Plan`` from two snapshots and the journal's mappings: a pure function, no I/O.
///
/// Galleries match by journal mapping, then slug, then title (case-insensitive), each pass over all galleries
/// before the next so a weaker rule never takes a gallery a stronger one would have matched. Items match the
/// same way within a matched gallery pair: journal, then SHA-256, then file name and byte count.
public struct Planner: Sendable {
    public var source: BackendSnapshot
    public var destination: BackendSnapshot
    public var mappings: JournalMappings

    public init(source: BackendSnapshot, destination: BackendSnapshot, mappings: JournalMappings = .empty) {
        self.source = source
        self.destination = destination
        self.mappings = mappings
    }

    public func plan() -> Plan {
        let matches = matchGalleries()
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
            ambiguities: ambiguities
        )
    }

    var rules: DestinationRules {
        DestinationRules(source: source.capabilities, destination: destination.capabilities)
    }

    // MARK: Galleries

    /// Source gallery id → (destination id, rule).
    func matchGalleries() -> [GalleryID: (id: GalleryID, rule: MatchRule)] {
        var result: [GalleryID: (id: GalleryID, rule: MatchRule)] = [:]
        var claimed: Set<GalleryID> = []
        let existing = Set(destination.galleries.map(\.id))

        for gallery in source.galleries {
            if let mapped = mappings.galleries[gallery.id], existing.contains(mapped), !claimed.contains(mapped) {
                result[gallery.id] = (mapped, .journal)
                claimed.insert(mapped)
            }
        }
        var bySlug: [String: [GalleryID]] = [:]
        var byTitle: [String: [GalleryID]] = [:]
        for gallery in destination.galleries {
            if let slug = gallery.slug, !slug.isEmpty { bySlug[slug, default: []].append(gallery.id) }
            byTitle[gallery.title.lowercased(), default: []].append(gallery.id)
        }
        for gallery in source.galleries where result[gallery.id] == nil {
            guard let slug = gallery.slug, !slug.isEmpty,
                let found = bySlug[slug]?.first(where: { !claimed.contains($0) })
            else { continue }
            result[gallery.id] = (found, .slug)
            claimed.insert(found)
        }
        for gallery in source.galleries where result[gallery.id] == nil {
            guard let found = byTitle[gallery.title.lowercased()]?.first(where: { !claimed.contains($0) }) else {
                continue
            }
            result[gallery.id] = (found, .title)
            claimed.insert(found)
        }
        return result
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
