import GalleryCore

extension Planner {
    /// Matches a gallery's items against its destination (if any) and plans uploads, updates, order and cover.
    func planItems(of gallery: Gallery, into target: Gallery?, context: inout GalleryContext) -> GalleryPlan {
        let destinationItems = target?.items ?? []
        let matches = matchItems(gallery, against: target, context: &context)
        var plans: [ItemPlan] = []
        plans.reserveCapacity(gallery.items.count)
        var claimed: Set<ItemID> = []

        for item in gallery.items {
            let spec = context.rules.itemSpec(for: item, context: &context)
            let ref = ItemRef(gallery: gallery.id, item: item.id)
            if let match = matches[item.id] {
                claimed.insert(match.item.id)
                let action: ItemPlan.Action
                if match.changed {
                    action = .replace(match.item.id, spec)
                } else if match.item.metadata == spec.metadata {
                    action = .keep(match.item.id)
                } else {
                    action = .update(match.item.id, spec.metadata)
                }
                plans.append(ItemPlan(source: item, action: action, matchedBy: match.rule))
            } else if let (rule, detail) = context.rules.refusal(of: item) {
                context.loss(rule, detail, item: item)
                plans.append(ItemPlan(source: item, action: .skip))
            } else {
                plans.append(
                    ItemPlan(
                        source: item, action: .upload(spec), needsReconciliation: mappings.pendingItems.contains(ref))
                )
            }
        }
        let extras = destinationItems.filter { !claimed.contains($0.id) }
        let order = planOrder(of: gallery, items: plans, target: target, context: &context)
        let cover = planCover(of: gallery, items: plans, target: target, context: &context)
        return GalleryPlan(
            source: gallery.summary, target: .createByHand, items: plans, order: order, cover: cover, extras: extras)
    }

    /// A destination item a source item matched, and whether the source item changed since (its bytes must be
    /// sent again).
    struct ItemMatch {
        var item: Item
        var rule: MatchRule
        var changed: Bool
    }

    /// Source item id → matched destination item. Each destination item is claimed once.
    ///
    /// A journal mapping is trusted while the source item looks as recorded (``SourceFingerprint``) and, where
    /// both sides have a digest, the digests agree; otherwise the item changed and is replaced in place. An item
    /// of the same file name whose size or digest differs is the same item, changed.
    func matchItems(
        _ gallery: Gallery,
        against target: Gallery?,
        context: inout GalleryContext
    ) -> [ItemID: ItemMatch] {
        guard let target, !target.items.isEmpty else { return [:] }
        var result: [ItemID: ItemMatch] = [:]
        var claimed: Set<ItemID> = []
        var byID: [ItemID: Item] = [:]
        var byDigest: [String: [Item]] = [:]
        var byName: [String: [Item]] = [:]
        for item in target.items {
            byID[item.id] = item
            if let sha = item.sha256 { byDigest[sha, default: []].append(item) }
            byName[item.filename, default: []].append(item)
        }
        let granularity = source.capabilities.sizeGranularity

        for item in gallery.items {
            let ref = ItemRef(gallery: gallery.id, item: item.id)
            guard let mapped = mappings.items[ref], mapped.gallery == target.id, let found = byID[mapped.item],
                !claimed.contains(found.id)
            else { continue }
            var changed = mappings.fingerprints[ref].map { !$0.matches(item, granularity: granularity) } ?? false
            if let mine = item.sha256, let theirs = found.sha256, mine != theirs { changed = true }
            result[item.id] = ItemMatch(item: found, rule: .journal, changed: changed)
            claimed.insert(found.id)
        }
        for item in gallery.items where result[item.id] == nil {
            guard let sha = item.sha256, let found = byDigest[sha]?.first(where: { !claimed.contains($0.id) }) else {
                continue
            }
            result[item.id] = ItemMatch(item: found, rule: .digest, changed: false)
            claimed.insert(found.id)
        }
        for item in gallery.items where result[item.id] == nil {
            let candidates = (byName[item.filename] ?? []).filter { candidate in
                guard !claimed.contains(candidate.id),
                    context.rules.sizesMatch(source: item.byteCount, destination: candidate.byteCount)
                else { return false }
                // Both digests known and different: same name and size, other content.
                if let mine = item.sha256, let theirs = candidate.sha256 { return mine == theirs }
                return true
            }
            guard let first = candidates.first else { continue }
            if candidates.count > 1 {
                context.ambiguities.append(
                    Ambiguity(
                        sourceGallery: gallery.id,
                        sourceItem: item.id,
                        destinationGallery: target.id,
                        candidates: candidates.map(\.id)
                    )
                )
            }
            result[item.id] = ItemMatch(item: first, rule: .nameAndSize, changed: false)
            claimed.insert(first.id)
        }
        // The same name with another size or digest: the source's item changed since it was copied.
        for item in gallery.items where result[item.id] == nil {
            guard let found = byName[item.filename]?.first(where: { !claimed.contains($0.id) }) else { continue }
            result[item.id] = ItemMatch(item: found, rule: .filename, changed: true)
            claimed.insert(found.id)
        }
        return result
    }

    /// The order to set, or `nil` when the destination's order already agrees or cannot be set.
    func planOrder(
        of gallery: Gallery,
        items: [ItemPlan],
        target: Gallery?,
        context: inout GalleryContext
    ) -> [ItemID]? {
        let copied = items.filter { !$0.isSkipped }
        guard source.capabilities.order != .none, copied.count > 1 else { return nil }
        switch destination.capabilities.order {
        case .none:
            context.loss(.order, "the order of \(copied.count) items is not kept")
            return nil
        case .byFilename:
            let names = copied.map(\.source.filename)
            let sorted = names.sorted(by: NaturalOrder.areInIncreasingOrder)
            if names != sorted {
                context.loss(.orderByFilename, "items will sort by file name, not in the source's order")
            }
            return nil
        case .explicit:
            let desired = copied.map(\.source.id)
            // New and replaced items arrive at the end in whatever order transfers finish: the order must be set.
            if copied.contains(where: \.sendsBytes) { return desired }
            guard let target else { return desired }
            let position = Dictionary(target.items.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            let current = copied.compactMap { plan in plan.destinationID.flatMap { position[$0] } }
            return current == current.sorted() ? nil : desired
        }
    }

    /// The cover to set, or `nil` when the destination's cover already agrees or cannot be set.
    func planCover(
        of gallery: Gallery,
        items: [ItemPlan],
        target: Gallery?,
        context: inout GalleryContext
    ) -> CoverPlan? {
        guard let cover = gallery.cover else { return nil }
        let model = destination.capabilities.cover
        if model == .none {
            context.loss(.cover, "the gallery's cover is not kept")
            return nil
        }
        switch cover {
        case .item(let id):
            guard let plan = items.first(where: { $0.source.id == id }) else { return nil }
            if plan.isSkipped {
                context.loss(.coverItemLost, "the cover \(plan.source.filename) is not copied", item: plan.source)
                return nil
            }
            // A replaced item may come back under a new id, so its cover is set again.
            if let destinationID = plan.destinationID, !plan.isReplace, target?.cover == .item(destinationID) {
                return nil
            }
            return .item(id)
        case .standalone(let image):
            guard model == .any else {
                context.loss(.nonMemberCover, "the standalone cover \(image.filename) is not kept")
                return nil
            }
            if let refusal = context.rules.refusal(of: image) {
                context.loss(refusal.0, "standalone cover: " + refusal.1)
                return nil
            }
            if case .standalone(let existing) = target?.cover, existing.byteCount == image.byteCount,
                existing.sha256 == image.sha256 || existing.filename == image.filename
            {
                return nil
            }
            return .standalone(image)
        }
    }
}
