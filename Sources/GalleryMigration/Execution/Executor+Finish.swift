import GalleryCore

extension Executor {
    /// Phase 4 (second part), per gallery once its items are in and visible: the order, the cover, and (if
    /// asked) the removal of extras.
    func finishGalleries(_ plan: Plan, ledger: RunLedger) async throws {
        for gallery in plan.galleries {
            try Task.checkCancellation()
            guard let destinationGallery = ledger.destinationGallery(gallery.source.id) else { continue }
            if let order = gallery.order {
                try await setOrder(order, of: gallery, in: destinationGallery, ledger: ledger)
            }
            if let cover = gallery.cover {
                await setCover(cover, of: gallery, in: destinationGallery, ledger: ledger)
            }
            if plan.deletesExtras || options.deleteExtras {
                for extra in gallery.extras {
                    try Task.checkCancellation()
                    let key = StepKey(.removeExtra, gallery: gallery.source.id, item: extra.id)
                    let done = await perform(key, title: gallery.source.title, item: extra.filename, ledger: ledger) {
                        try await destination.removeItem(ItemRef(gallery: destinationGallery, item: extra.id))
                        return extra.id.rawValue
                    }
                    if done != nil { ledger.count { $0.extrasDeleted += 1 } }
                }
            }
        }
    }

    /// Sets the order the plan asks for: the copied items in source order, then any other items in their
    /// current order (the call must name every item). It is set even when the items happened to land in order,
    /// so the run sets exactly the orders the plan counts.
    ///
    /// A gallery this run created holds only what this run added, so its order is set without reading it back
    /// first (a request per gallery saved); if the destination answers that the list misses items (an upload
    /// whose answer was lost stored one anyway), the gallery is read and the order set from what it holds.
    func setOrder(_ order: [ItemID], of gallery: GalleryPlan, in destinationGallery: GalleryID, ledger: RunLedger)
        async throws
    {
        let title = gallery.source.title
        let key = StepKey(.setOrder, gallery: gallery.source.id)
        let wanted = order.compactMap { ledger.destinationItem(ItemRef(gallery: gallery.source.id, item: $0)) }
        let destination = destination
        /// The order from what the gallery holds now: the copied items in source order, then the others.
        func orderFromGallery() async throws -> [ItemID] {
            let current = try await destination.gallery(destinationGallery).items.map(\.id)
            let present = Set(current)
            let mapped = wanted.filter { present.contains($0) }
            let mappedSet = Set(mapped)
            return mapped + current.filter { !mappedSet.contains($0) }
        }
        var readOrder: [ItemID]? = nil
        if !ledger.wasCreatedHere(gallery.source.id) {
            do {
                readOrder = try await orderFromGallery()
            } catch {
                ledger.fail(key, title: title, item: nil, error: GalleryError.wrapping(error, gallery: title))
                return
            }
        }
        await perform(key, title: title, item: nil, ledger: ledger) {
            if let readOrder {
                try await destination.setOrder(of: destinationGallery, to: readOrder)
            } else {
                do {
                    try await destination.setOrder(of: destinationGallery, to: wanted)
                } catch let error as GalleryError where error.code == .invalidInput {
                    try await destination.setOrder(of: destinationGallery, to: try await orderFromGallery())
                }
            }
            ledger.count { $0.ordersSet += 1 }
            return nil
        }
    }

    func setCover(_ cover: CoverPlan, of gallery: GalleryPlan, in destinationGallery: GalleryID, ledger: RunLedger)
        async
    {
        let title = gallery.source.title
        let key = StepKey(.setCover, gallery: gallery.source.id)
        switch cover {
        case .item(let sourceItem):
            // The cover's item failed to copy: that failure is already counted.
            guard let item = ledger.destinationItem(ItemRef(gallery: gallery.source.id, item: sourceItem)) else {
                return
            }
            await perform(key, title: title, item: nil, ledger: ledger) {
                try await destination.setCover(of: destinationGallery, to: .item(item))
                ledger.count { $0.coversSet += 1 }
                return item.rawValue
            }
        case .standalone(let image):
            await perform(key, title: title, item: image.filename, ledger: ledger) {
                let digester = StreamDigester()
                let bytes = try await source.openCover(of: gallery.source.id).tapped { digester.update($0) }
                var spec = image.spec
                spec.metadata = ItemMetadata()
                try await destination.setStandaloneCover(of: destinationGallery, spec: spec, bytes: bytes)
                if let expected = image.sha256, expected != digester.finalize() {
                    throw GalleryError(
                        .integrity, "The cover's bytes do not match the source's SHA-256",
                        backend: destination.name, gallery: title, isRetryable: true)
                }
                ledger.count { $0.coversSet += 1 }
                return nil
            }
        }
    }
}
