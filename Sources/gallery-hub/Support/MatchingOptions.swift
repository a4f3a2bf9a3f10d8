import ArgumentParser
import GalleryCore
import GalleryMigration

/// How `plan`, `copy` and `verify` compare the two sides: what the source lists, whether digests are trusted,
/// and the user's answers to gallery ambiguities.
struct MatchingOptions: ParsableArguments {
    @Flag(
        help:
            "Re-hash every item on both sides instead of trusting listed digests and the journal: a changed or corrupted copy is found (and `copy` sends it again)."
    )
    var checksum = false

    @Flag(
        help:
            "List files of every type as items (a Local source lists only images and videos otherwise; the rest is reported as ignored)."
    )
    var allFiles = false

    @Option(
        name: .customLong("match-gallery"),
        help: ArgumentHelp(
            "Settle an ambiguity: the source gallery is this destination gallery (ids as `plan` shows them).",
            valueName: "SOURCE_ID=DESTINATION_ID"))
    var matchGallery: [String] = []

    @Option(
        name: .customLong("new-gallery"),
        help: ArgumentHelp(
            "Settle an ambiguity: copy this source gallery to a new gallery.", valueName: "SOURCE_ID"))
    var newGallery: [String] = []

    @Option(
        name: .customLong("include"),
        help: ArgumentHelp(
            "Take only source items matching this glob (repeatable): without `/` it matches the file name, with `/` the path GALLERY/NAME.",
            valueName: "PATTERN"))
    var include: [String] = []

    @Option(
        name: .customLong("exclude"),
        help: ArgumentHelp(
            "Leave out source items matching this glob (repeatable; wins over --include).", valueName: "PATTERN"))
    var exclude: [String] = []

    @Option(
        name: .customLong("max-age"),
        help: ArgumentHelp(
            "Take only source items changed within this long (30d, 12h, 2w, 1y) or since this date (2026-01-31).",
            valueName: "AGE"))
    var maxAge: String?

    func validate() throws {
        if let maxAge, SourceSelection.changedSince(maxAge) == nil {
            throw ValidationError(
                "--max-age takes a length such as 30d, 12h, 2w or a date such as 2026-01-31, not '\(maxAge)'.")
        }
        for pair in matchGallery where !pair.contains("=") {
            throw ValidationError("--match-gallery takes SOURCE_ID=DESTINATION_ID, not '\(pair)'.")
        }
    }

    /// The answers given on the command line.
    var commandLineResolutions: GalleryResolutions {
        var resolutions = GalleryResolutions(create: Set(newGallery.map { GalleryID($0) }))
        for pair in matchGallery {
            guard let equals = pair.lastIndex(of: "=") else { continue }
            let source = GalleryID(String(pair[..<equals]))
            resolutions.matches[source] = GalleryID(String(pair[pair.index(after: equals)...]))
            resolutions.origins[source] = "--match-gallery \(pair)"
        }
        for id in newGallery { resolutions.origins[GalleryID(id)] = "--new-gallery \(id)" }
        resolutions.fromCommandLine = resolutions.create.union(resolutions.matches.keys)
        return resolutions
    }

    /// The destination's `[NAME.match]` answers, overridden by the command line's.
    func resolutions(settledIn destination: RemoteConfig) -> GalleryResolutions {
        var file = GalleryResolutions(fromCommandLine: [])
        let place = "[\(destination.name).match] in the remotes file"
        for (source, target) in destination.galleryMatches {
            let id = GalleryID(source)
            if target == RemoteConfig.newGallery {
                file.create.insert(id)
            } else {
                file.matches[id] = GalleryID(target)
            }
            file.origins[id] = "\(place) (\"\(source)\" = \"\(target)\")"
        }
        return file.overridden(by: commandLineResolutions)
    }

    /// The part of the source taken: `gallery` (from `REMOTE:GALLERY`) and the filters.
    func selection(gallery: String?) -> SourceSelection {
        SourceSelection(
            gallery: gallery, include: include, exclude: exclude,
            changedSince: maxAge.flatMap { SourceSelection.changedSince($0) })
    }

    /// Refuses `--delete-extras` with filters: the items a filter leaves out would look like extras and be
    /// deleted.
    func refuseDeletingExtrasWithFilters(_ deleteExtras: Bool) throws {
        if deleteExtras, selection(gallery: nil).filtersItems {
            throw ValidationError(
                "--delete-extras cannot be used with --include, --exclude or --max-age: the items they leave out would be deleted as extras."
            )
        }
    }

    func planning(
        settledIn destination: RemoteConfig, gallery: String?, deleteExtras: Bool = false, concurrency: Int = 4
    ) -> PlanningOptions {
        var options = PlanningOptions(
            checksum: checksum, resolutions: resolutions(settledIn: destination), deleteExtras: deleteExtras,
            concurrency: concurrency)
        options.selection = selection(gallery: gallery)
        return options
    }
}
