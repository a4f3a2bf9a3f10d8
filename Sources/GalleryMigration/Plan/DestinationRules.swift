public import GalleryCore

/// Cuts source data down to what the destination holds, recording a loss for each cut.
///
/// The planner and the verifier use the same rules, so what the verifier allows is exactly what the plan
/// declared.
public struct DestinationRules: Sendable, Hashable {
    public var source: Capabilities
    public var destination: Capabilities

    public init(source: Capabilities, destination: Capabilities) {
        self.source = source
        self.destination = destination
    }

    /// The metadata the destination will hold for `metadata`, without recording losses.
    public func metadata(_ metadata: ItemMetadata) -> ItemMetadata {
        var result = metadata
        if !destination.captions {
            result.caption = nil
        } else if let caption = result.caption, let max = destination.maxCaptionLength, caption.count > max {
            result.caption = String(caption.prefix(max))
        }
        if !destination.altText { result.altText = nil }
        if !destination.itemTitles { result.title = nil }
        return result
    }

    /// The spec an item is uploaded with, recording what is cut.
    func itemSpec(for item: Item, context: inout GalleryContext) -> ItemSpec {
        var spec = item.spec
        spec.metadata = metadata(item.metadata)
        if item.caption != nil, !destination.captions {
            context.loss(.captions, "caption dropped", item: item)
        } else if let caption = item.caption, let max = destination.maxCaptionLength, caption.count > max {
            context.loss(.captionLength, "caption of \(caption.count) characters cut to \(max)", item: item)
        }
        if item.altText != nil, !destination.altText { context.loss(.altText, "alt text dropped", item: item) }
        if item.title != nil, !destination.itemTitles { context.loss(.itemTitles, "title dropped", item: item) }
        if !item.extra.isEmpty, !destination.extras {
            context.loss(.extras, "fields \(item.extra.keys.sorted().joined(separator: ", ")) dropped", item: item)
            spec.extra = [:]
        }
        return spec
    }

    /// Why the destination refuses an item's bytes, if it does.
    func refusal(of item: Item) -> (LossRule, String)? {
        if let max = destination.maxItemBytes, item.byteCount > max {
            return (.fileSize, "\(item.byteCount) bytes exceed the \(max)-byte limit: not copied")
        }
        if let allowed = destination.allowedMIMETypes, !allowed.contains(item.mimeType.lowercased()) {
            return (
                .fileType,
                "type \(item.mimeType) is not taken (\(allowed.sorted().joined(separator: ", "))): not copied"
            )
        }
        return nil
    }

    /// The spec a gallery is created with, recording what is cut.
    func spec(for gallery: Gallery, parentKnown: Bool, context: inout GalleryContext) -> GallerySpec {
        var spec = gallery.spec
        spec.parent = nil
        if let description = gallery.description, !description.isEmpty, !destination.galleryDescriptions {
            context.loss(.galleryDescriptions, "gallery description dropped")
            spec.description = nil
        }
        if let visibility = gallery.visibility, !destination.visibilities.contains(visibility) {
            let held = destination.visibilities.map(\.rawValue).sorted()
            context.loss(
                .visibility,
                held.isEmpty
                    ? "visibility \(visibility.rawValue) not kept: the destination has no visibility setting"
                    : "visibility \(visibility.rawValue) not kept as such: the destination has only "
                        + held.joined(separator: ", "))
        }
        if !gallery.translations.isEmpty, !destination.translations {
            let languages = gallery.translations.keys.sorted().joined(separator: ", ")
            context.loss(.translations, "translations (\(languages)) dropped")
            spec.translations = [:]
        }
        if let known = destination.translationLanguages, destination.translations {
            let missing = spec.translations.keys.filter { !known.contains($0) }.sorted()
            if !missing.isEmpty {
                context.loss(
                    .translationLanguages,
                    "translations (\(missing.joined(separator: ", "))) dropped: the destination has only "
                        + known.sorted().joined(separator: ", "))
                for language in missing { spec.translations[language] = nil }
            }
        }
        if !gallery.extra.isEmpty, !destination.extras {
            context.loss(.extras, "gallery fields \(gallery.extra.keys.sorted().joined(separator: ", ")) dropped")
            spec.extra = [:]
        }
        if gallery.parent != nil {
            if !destination.nestedGalleries {
                context.loss(.nestedGalleries, "nesting dropped: the gallery is copied at the top level")
            } else if parentKnown {
                spec.parent = gallery.parent
            }
        }
        return spec
    }

    /// The changes that bring an existing destination gallery in line with `spec`; `nil` when it agrees.
    func changes(from target: Gallery, to spec: GallerySpec) -> GalleryChanges? {
        var changes = GalleryChanges()
        if target.title != spec.title { changes.title = spec.title }
        if destination.galleryDescriptions, target.description != spec.description, spec.description != nil {
            changes.description = .some(spec.description)
        }
        // Only a visibility the destination holds as given is compared: another would be stored as something
        // else, read back different, and "changed" again on every run.
        if let visibility = spec.visibility, destination.visibilities.contains(visibility),
            target.visibility != visibility
        {
            changes.visibility = visibility
        }
        // Languages and platform fields only the destination has are its own data, like its extra items: the
        // source's values win where both have one, the rest are kept (a change replaces the whole set).
        let translations = target.translations.merging(spec.translations) { _, source in source }
        if destination.translations, translations != target.translations {
            changes.translations = translations
        }
        let extra = target.extra.merging(spec.extra) { _, source in source }
        if destination.extras, extra != target.extra {
            changes.extra = extra
        }
        return changes.isEmpty ? nil : changes
    }

    /// Whether a destination size agrees with a source size, given both sides' size units (Kanka reports KiB
    /// rounded up, as a source or as a destination): equal once both are rounded up to the coarser unit.
    public func sizesMatch(source size: Int64, destination other: Int64) -> Bool {
        if size == other { return true }
        let unit = max(source.sizeGranularity, destination.sizeGranularity)
        return SourceFingerprint.rounded(size, unit) == SourceFingerprint.rounded(other, unit)
    }
}
