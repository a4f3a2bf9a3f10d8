import Foundation
import GalleryCore
import GalleryHTTP

/// Bringing written files in: one library scan per gallery batch, then the new images attached (Docs/stash.md,
/// "Writing: a library folder and a scan").
extension StashBackend {

    /// Flushes every gallery with work, a few at a time: Stash runs the scans one after another anyway, but their
    /// waits and lookups overlap.
    public func flush() async throws {
        let galleries = await log.galleriesWithWork
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, gallery) in galleries.enumerated() {
                if index >= Self.concurrentFlushes { try await group.next() }
                group.addTask { try await flushGallery(gallery) }
            }
            try await group.waitForAll()
        }
    }

    static let concurrentFlushes = 4

    /// Scans the gallery's folder once for everything queued, then attaches the new images and sets their
    /// titles and captions.
    func flushGallery(_ gallery: GalleryID) async throws {
        guard isWritable, await log.hasWork(gallery) else { return }
        let folder = try await folder(for: gallery)
        let backend = self
        let serverFolder = configuration.serverPath(folder)
        try await log.flush(gallery) { batch in
            try await backend.scan(serverFolder, gallery: gallery)
            guard !batch.files.isEmpty else { return }
            let images = try await backend.imagesUnder(serverFolder)
            var ids: [String] = []
            var updates: [JSONValue] = []
            var settled: [(item: ItemID, path: String)] = []
            for file in batch.files {
                let found = images.first { image in image.visualFiles.contains { $0.path == file.serverPath } }
                guard let image = found, let scanned = image.visualFiles.first(where: { $0.path == file.serverPath })
                else {
                    throw GalleryError(
                        .server, "Stash's scan did not import \((file.localPath as NSString).lastPathComponent)",
                        backend: backend.name, gallery: gallery.rawValue, item: file.localPath,
                        hint: "Check that `serverLibraryDir` is where the server sees `libraryDir`, and that the "
                            + "folder lies inside one of its libraries with images not excluded.")
                }
                guard scanned.md5 == file.md5 else {
                    throw GalleryError(
                        .integrity, "Stash read other bytes than were written to \(file.serverPath)",
                        backend: backend.name, gallery: gallery.rawValue, item: file.localPath,
                        hint: "Another program may have changed the file; run again.", isRetryable: true)
                }
                // A content-dedup hit leaves our file as a secondary file of an older image: that image is ours.
                await backend.log.remember(ItemID(file.md5), image: image.id)
                if image.visualFiles.first?.path == file.serverPath {
                    settled.append((ItemID(file.md5), file.localPath))
                }
                if !ids.contains(image.id) { ids.append(image.id) }
                if (file.title ?? "") != (image.title ?? "") || (file.caption ?? "") != (image.details ?? "") {
                    updates.append(Self.imageUpdate(image.id, title: file.title, caption: file.caption))
                }
            }
            let input: JSONValue = .object([
                "gallery_id": .string(gallery.rawValue), "image_ids": .array(ids.map { .string($0) }),
            ])
            _ = try await backend.graphQL.run(
                StashWire.addImages, variables: ["input": input], mutates: true, repeatable: true,
                as: StashWire.Ignored.self)
            for file in settled { await backend.log.settle(file.item, at: file.path, in: gallery) }
            if !updates.isEmpty {
                _ = try await backend.graphQL.run(
                    StashWire.updateImages, variables: ["input": .array(updates)], mutates: true, repeatable: true,
                    as: StashWire.Ignored.self)
            }
        }
    }

    /// Starts a scan of exactly `path` and waits for its job to end.
    func scan(_ path: String, gallery: GalleryID) async throws {
        let flags = [
            "scanGenerateCovers", "scanGeneratePreviews", "scanGenerateImagePreviews", "scanGenerateSprites",
            "scanGeneratePhashes", "scanGenerateThumbnails", "scanGenerateClipPreviews",
        ]
        var input: [String: JSONValue] = ["paths": .array([.string(path)]), "rescan": .bool(false)]
        for flag in flags { input[flag] = .bool(false) }
        let job = try await graphQL.run(
            StashWire.scan, variables: ["input": .object(input)], mutates: true, repeatable: true,
            as: StashWire.ScanStarted.self
        ).metadataScan
        await log.countScan()
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.scanTimeout
        // Small scans end in milliseconds: poll soon, then back off to the configured interval.
        var wait = Duration.milliseconds(5)
        while true {
            let state = try await graphQL.run(
                StashWire.job, variables: ["input": .object(["id": .string(job)])], as: StashWire.JobState.self
            ).findJob
            // A job that is gone fell out of Stash's ten-entry graveyard: it finished.
            guard let state, state.status != "FINISHED" else { return }
            if ["CANCELLED", "FAILED"].contains(state.status) {
                throw GalleryError(
                    .server, "Stash's scan of \(path) ended \(state.status)", backend: name, gallery: gallery.rawValue,
                    serverMessage: state.error, hint: "Look at the server's log; run again to rescan.",
                    isRetryable: true)
            }
            guard clock.now < deadline else {
                throw GalleryError(
                    .server, "Stash's scan of \(path) did not finish in \(configuration.scanTimeout)",
                    backend: name, gallery: gallery.rawValue,
                    hint: "Another job may be running on the server (jobs run one at a time); run again later.",
                    isRetryable: true)
            }
            try await Task.sleep(for: wait)
            wait = min(wait * 2, configuration.pollInterval)
        }
    }

    /// The images with a file under `directory`, matched exactly afterwards (the filter is a `LIKE`).
    func imagesUnder(_ directory: String) async throws -> [StashWire.ImageRow] {
        let filter: JSONValue = .object([
            "path": .object(["value": .string("\"\(directory)/\""), "modifier": .string("INCLUDES")])
        ])
        return try await graphQL.run(
            StashWire.imagesUnderPath, variables: ["images": filter], as: StashWire.FoundImages.self
        ).findImages.images.filter { image in
            image.visualFiles.contains { $0.path?.hasPrefix(directory + "/") == true }
        }
    }
}
