import GalleryCore

extension ConformanceSuite {
    static let metadataChecks: [Check] = [
        metadataCheck("captions", .captions, \.caption, \.captions),
        metadataCheck("altText", .altText, \.altText, \.altText),
        metadataCheck("itemTitles", .itemTitles, \.title, \.itemTitles),
        Check(name: "captions.maxLength") { context in
            guard context.caps.captions, let max = context.caps.maxCaptionLength else {
                throw CheckSkipped("no caption limit declared")
            }
            let gallery = try await context.scratchGallery("caption-length")
            let item = try await context.addImage(to: gallery, name: "long", seed: 41)
            let caption = String(repeating: "é", count: max)
            try await context.backend.updateItem(
                ItemRef(gallery: gallery, item: item.id), metadata: ItemMetadata(caption: caption))
            try expectEqual(
                try await context.reread(item, in: gallery).caption, caption, "caption of exactly \(max) characters")
            return "a \(max)-character caption is kept whole"
        },
        Check(name: "captions.maxLengthPlusOneRefused") { context in
            guard context.caps.isWritable, context.caps.captions, let max = context.caps.maxCaptionLength else {
                throw CheckSkipped("no caption limit declared")
            }
            let gallery = try await context.scratchGallery("caption-over")
            let item = try await context.addImage(to: gallery, name: "over", seed: 42)
            let ref = ItemRef(gallery: gallery, item: item.id)
            do {
                try await context.backend.updateItem(
                    ref, metadata: ItemMetadata(caption: String(repeating: "é", count: max + 1)))
                throw CheckFailure("a caption of \(max + 1) characters was accepted over the declared \(max)")
            } catch let error as GalleryError where error.code == .invalidInput {}
            try expectEqual(try await context.reread(item, in: gallery).caption, nil, "caption after the refusal")
            return "a \(max + 1)-character caption refused as invalidInput, nothing written"
        },
        Check(name: "gallery.metadata") { context in
            guard context.caps.createGalleries else { throw CheckSkipped("cannot create galleries") }
            let spec = GallerySpec(
                title: "Harbour walk \(context.runID) — ünïcode",
                description: context.caps.galleryDescriptions ? "Evening photos" : nil
            )
            let id = try await context.backend.createGallery(spec)
            let gallery = try await context.backend.gallery(id)
            try expectEqual(gallery.title, spec.title, "title")
            if context.caps.galleryDescriptions {
                try expectEqual(gallery.description, spec.description, "description")
            }
            guard try await context.backend.allGalleries().contains(where: { $0.id == id }) else {
                throw CheckFailure("a created gallery is not listed")
            }
            return "title and description kept; the gallery is listed"
        },
        Check(name: "gallery.translations") { context in
            guard context.caps.createGalleries else { throw CheckSkipped("cannot create galleries") }
            let translations = [
                "de": Translation(title: "Hafenspaziergang", description: "Abendfotos"),
                "fr": Translation(title: "Promenade au port"),
            ]
            guard context.caps.translations else {
                return try await context.expectUnsupported(.translations) {
                    _ = try await context.backend.createGallery(
                        GallerySpec(title: "t \(context.runID)", translations: translations))
                }
            }
            let id = try await context.backend.createGallery(
                GallerySpec(title: "t \(context.runID)", translations: translations))
            for (language, translation) in translations {
                let stored = try await context.backend.gallery(id).translations[language]
                try expectEqual(stored?.title, translation.title, "\(language) title")
                try expectEqual(stored?.description, translation.description, "\(language) description")
            }
            var changed = translations
            changed["de"] = Translation(title: "Am Hafen")
            try await context.backend.updateGallery(id, GalleryChanges(translations: changed))
            try expectEqual(
                try await context.backend.gallery(id).translations["de"]?.title, "Am Hafen", "updated de title")
            return "\(translations.count) translations created and updated"
        },
        Check(name: "gallery.visibility") { context in
            guard context.caps.createGalleries else { throw CheckSkipped("cannot create galleries") }
            let declared = Visibility.allCases.filter { context.caps.visibilities.contains($0) }
            guard let first = declared.first else { throw CheckSkipped("no visibilities declared") }
            // Each declared value is kept when a gallery is created with it, and when one is changed to it.
            let id = try await context.backend.createGallery(
                GallerySpec(title: "v \(context.runID)", visibility: first))
            try expectEqual(try await context.backend.gallery(id).visibility, first, "visibility given on create")
            for visibility in declared.reversed() {
                try await context.backend.updateGallery(id, GalleryChanges(visibility: visibility))
                try expectEqual(
                    try await context.backend.gallery(id).visibility, visibility, "visibility after an update")
            }
            return "visibilities \(declared.map(\.rawValue).joined(separator: ", ")) kept on create and update"
        },
        Check(name: "gallery.extras") { context in
            guard context.caps.createGalleries, context.caps.extras else { throw CheckSkipped("extras not declared") }
            let extra: [String: JSONValue] = ["omnitcode.meta_title": .string("SEO"), "n": .number(3)]
            let id = try await context.backend.createGallery(GallerySpec(title: "x \(context.runID)", extra: extra))
            try expectEqual(try await context.backend.gallery(id).extra, extra, "extras")
            return "platform extras stored as given"
        },
    ]

    /// A metadata field round-trips on add and on update where declared, and is refused where not.
    static func metadataCheck(
        _ name: String,
        _ capability: Capability,
        _ field: any WritableKeyPath<ItemMetadata, String?> & Sendable,
        _ declared: any KeyPath<Capabilities, Bool> & Sendable
    ) -> Check {
        Check(name: "metadata.\(name)") { context in
            guard context.caps.isWritable else { throw CheckSkipped("read-only") }
            let gallery = try await context.scratchGallery(name)
            var metadata = ItemMetadata()
            metadata[keyPath: field] = "Lighthouse at dusk, ünïcode ✓"
            guard context.caps[keyPath: declared] else {
                let item = try await context.addImage(to: gallery, name: name, seed: 31)
                return try await context.expectUnsupported(capability) {
                    try await context.backend.updateItem(ItemRef(gallery: gallery, item: item.id), metadata: metadata)
                }
            }
            let item = try await context.addImage(to: gallery, name: name, seed: 31, metadata: metadata)
            try expectEqual(
                try await context.reread(item, in: gallery).metadata[keyPath: field], metadata[keyPath: field],
                "\(name) given on add")
            metadata[keyPath: field] = "Changed"
            try await context.backend.updateItem(ItemRef(gallery: gallery, item: item.id), metadata: metadata)
            let updated = try await context.reread(item, in: gallery)
            try expectEqual(updated.metadata[keyPath: field], "Changed", "\(name) after update")
            try expectEqual(updated.byteCount, item.byteCount, "size after a metadata update")
            return "\(name) kept on add and on update"
        }
    }
}
