import Foundation
import GalleryConformance
import GalleryCore
import GallerySandbox
import StashBackend
import Testing

@Suite struct StashConformanceTests {
    /// What Stash does not declare (caption limits, extras, visibilities, size limits) and the read-only check.
    static let skippedWriting: Set<String> = [
        "captions.maxLength", "captions.maxLengthPlusOneRefused", "create.refusedWhereUndeclared", "gallery.extras",
        "gallery.visibility", "limits.maxItemBytes", "write.readOnlyRefuses",
    ]
    /// Without a library folder nothing can be written: every writing check is skipped.
    static let skippedReadOnly: Set<String> = [
        "bytes.largeStreamed", "bytes.listedSizeAndDigest", "bytes.medium", "bytes.small", "captions.maxLength",
        "captions.maxLengthPlusOneRefused", "cover.member", "cover.standalone", "deletes", "gallery.extras",
        "gallery.metadata", "gallery.translations", "gallery.visibility", "integrity.shortStream",
        "limits.maxItemBytes", "limits.mimeTypes", "listing.pages", "metadata.altText", "metadata.captions",
        "metadata.itemTitles", "nesting", "order", "write.idempotentSecondPut",
    ]

    @Test func passesTheSuiteWritingThroughTheLibrary() async throws {
        try await withStash { stash in
            var options = ConformanceSuite.Options()
            options.mediumItemBytes = 2_000_000
            options.largeItemBytes = 20_000_000
            let report = await ConformanceSuite(options: options) { stash.writer() }.run()
            #expect(report.failures.isEmpty, "\(report)")
            #expect(report.skipped == Self.skippedWriting, "\(report)")
            #expect(report.passed == ConformanceSuite.checkNames.subtracting(Self.skippedWriting))
        }
    }

    @Test func passesTheSuiteReadOnlyWithoutALibraryFolder() async throws {
        try await withStash { stash in
            // The read checks take an existing item whose size is not a multiple of 1,024.
            let writer = stash.writer()
            let existing = try await writer.createGallery(GallerySpec(title: "Existing"))
            let odd = image(7, size: 5_001)
            _ = try await writer.addItem(to: existing, spec: spec("odd.png", odd), bytes: .bytes(odd))
            try await writer.flush()
            let report = await ConformanceSuite { stash.backend() }.run()
            #expect(report.failures.isEmpty, "\(report)")
            #expect(report.skipped == Self.skippedReadOnly, "\(report)")
            #expect(report.passed == ConformanceSuite.checkNames.subtracting(Self.skippedReadOnly))
            let backend = stash.backend()
            #expect(!backend.capabilities.isWritable)
            #expect(!backend.capabilities.createGalleries)
        }
    }
}

@Suite struct StashWritingTests {
    @Test func oneScanPerGalleryBatchAndOrderFromFileNames() async throws {
        try await withStash { stash in
            let backend = stash.writer()
            let gallery = try await backend.createGallery(GallerySpec(title: "Harbour", description: "Evening"))
            var added: [Item] = []
            for (index, name) in ["c.png", "a.png", "b.png", "d.png", "e.png"].enumerated() {
                let bytes = image(UInt8(index))
                added.append(
                    try await backend.addItem(
                        to: gallery, spec: spec(name, bytes, caption: "caption \(name)"), bytes: .bytes(bytes)))
            }
            #expect(stash.emulator.scansFinished() == 0, "nothing is scanned before the flush")
            try await backend.flush()
            #expect(stash.emulator.scansFinished() == 1, "one scan for the whole batch")
            let read = try await backend.gallery(gallery)
            #expect(read.items.map(\.id) == added.map(\.id), "adding order is kept by the 0001- names")
            #expect(read.items.map(\.filename) == ["c.png", "a.png", "b.png", "d.png", "e.png"])
            #expect(read.items.map(\.caption) == added.map { "caption \($0.filename)" })
            #expect(read.description == "Evening")
            let files = try FileManager.default.contentsOfDirectory(atPath: stash.library)
                .flatMap { folder in
                    (try? FileManager.default.contentsOfDirectory(atPath: stash.library + "/" + folder)) ?? []
                }.sorted()
            #expect(files == [".nogallery", "0001-c.png", "0002-a.png", "0003-b.png", "0004-d.png", "0005-e.png"])
            #expect(stash.emulator.scansFinished() == 1, "reading a flushed gallery scans nothing")

            try await backend.setOrder(of: gallery, to: added.map(\.id).reversed())
            try await backend.setCover(of: gallery, to: .item(added[2].id))
            try await backend.flush()
            let reordered = try await backend.gallery(gallery)
            #expect(reordered.items.map(\.id) == added.map(\.id).reversed())
            #expect(reordered.cover == .item(added[2].id))
            #expect(stash.emulator.scansFinished() == 2, "the renames took one rescan")
        }
    }

    @Test func anOrderSetBeforeTheScanCostsNoSecondScan() async throws {
        try await withStash { stash in
            let backend = stash.writer()
            let gallery = try await backend.createGallery(GallerySpec(title: "Arrived out of order"))
            var added: [Item] = []
            for index in 0..<4 {
                let bytes = image(UInt8(20 + index))
                added.append(
                    try await backend.addItem(to: gallery, spec: spec("p\(index).png", bytes), bytes: .bytes(bytes)))
            }
            let waiting = try await backend.gallery(gallery)
            #expect(waiting.items.map(\.id) == added.map(\.id), "written files read back before their scan")
            #expect(stash.emulator.scansFinished() == 0)
            let wanted = [added[2], added[0], added[3], added[1]].map(\.id)
            try await backend.setOrder(of: gallery, to: wanted)
            try await backend.setCover(of: gallery, to: .item(added[3].id))
            try await backend.flush()
            #expect(stash.emulator.scansFinished() == 1, "the renames happened before the one scan")
            let read = try await backend.gallery(gallery)
            #expect(read.items.map(\.id) == wanted)
            #expect(read.cover == .item(added[3].id))
        }
    }

    @Test func twoGalleriesWithTheSameTitleStayTwoAndALostCreateIsFoundAgain() async throws {
        try await withStash { stash in
            let backend = stash.writer()
            let first = try await backend.createGallery(GallerySpec(title: "Rome"))
            let second = try await backend.createGallery(GallerySpec(title: "Rome"))
            #expect(first != second, "same title, two source galleries: two Stash galleries")
            // A later run whose first create lost its answer finds the empty gallery instead of making a third.
            let resumed = try await stash.writer().createGallery(GallerySpec(title: "Rome"))
            #expect(resumed == first)
            let bytes = image(70)
            _ = try await backend.addItem(to: second, spec: spec("r.png", bytes), bytes: .bytes(bytes))
            try await backend.flush()
            let again = stash.writer()
            _ = try await again.createGallery(GallerySpec(title: "Rome"))
            let other = try await again.createGallery(GallerySpec(title: "Rome"))
            #expect(other != second, "a gallery with images is never taken for a lost create")
        }
    }

    @Test func contentAlreadyInStashIsTheSameItem() async throws {
        try await withStash { stash in
            let backend = stash.writer()
            let bytes = image(9)
            let first = try await backend.createGallery(GallerySpec(title: "First"))
            let second = try await backend.createGallery(GallerySpec(title: "Second"))
            let one = try await backend.addItem(to: first, spec: spec("x.png", bytes), bytes: .bytes(bytes))
            try await backend.flush()
            let two = try await backend.addItem(to: second, spec: spec("y.png", bytes), bytes: .bytes(bytes))
            try await backend.flush()
            #expect(one.id == two.id)
            #expect(try await backend.gallery(second).items.map(\.id) == [one.id])
            let read = try await SHA256Digester.digest(of: backend.openItem(ItemRef(gallery: second, item: two.id)))
            #expect(read.byteCount == Int64(bytes.count))
        }
    }

    @Test func writesThroughAPathMappingWhenTheServerSeesTheFolderElsewhere() async throws {
        try await withStash { stash in
            // This machine reaches the library through another path (a mount); the server scans its own.
            let mount = NSTemporaryDirectory() + "stash-mount-\(UUID().uuidString)"
            try FileManager.default.createSymbolicLink(atPath: mount, withDestinationPath: stash.library)
            defer { try? FileManager.default.removeItem(atPath: mount) }
            let backend = stash.backend(libraryDir: mount, serverLibraryDir: stash.library)
            let gallery = try await backend.createGallery(GallerySpec(title: "Mapped"))
            let bytes = image(3)
            let item = try await backend.addItem(to: gallery, spec: spec("m.png", bytes), bytes: .bytes(bytes))
            try await backend.flush()
            #expect(try await backend.gallery(gallery).items.map(\.id) == [item.id])

            let unmapped = stash.backend(libraryDir: mount)
            let other = try await unmapped.createGallery(GallerySpec(title: "Unmapped"))
            _ = try await unmapped.addItem(to: other, spec: spec("u.png", image(4)), bytes: .bytes(image(4)))
            await #expect(throws: GalleryError.self) { try await unmapped.flush() }
        }
    }

    @Test func readOnlyWithoutALibraryFolderSaysHowToWrite() async throws {
        try await withStash { stash in
            let backend = stash.backend()
            do {
                _ = try await backend.createGallery(GallerySpec(title: "Nope"))
                Issue.record("a read-only backend created a gallery")
            } catch let error as GalleryError {
                #expect(error.code == .unsupported)
                #expect(error.capability == .createGalleries)
                #expect(error.hint?.contains("libraryDir") == true)
            }
        }
    }

    @Test func readsFolderGalleriesInNaturalPathOrderWithTheirCover() async throws {
        try await withStash { stash in
            for (name, seed) in [("img10.png", 1), ("img2.png", 2), ("Board.png", 3), ("img1.png", 4)] {
                try stash.put("trip/\(name)", image(UInt8(seed)))
            }
            try stash.put("trip/.forcegallery", [])
            try await stash.scanLibrary()
            let backend = stash.backend()
            let summary = try #require(try await backend.allGalleries().first { $0.title == "trip" })
            let gallery = try await backend.gallery(summary.id)
            #expect(gallery.items.map(\.filename) == ["Board.png", "img1.png", "img2.png", "img10.png"])
            #expect(gallery.cover == .item(gallery.items[0].id), "Board.png matches the cover pattern")
            #expect(gallery.items.allSatisfy { $0.digest?.algorithm == .md5 })
        }
    }

    @Test func graphQLErrorsInsideA200AreTypedErrors() async throws {
        try await withStash { stash in
            let backend = stash.writer()
            do {
                try await backend.updateGallery("999999", GalleryChanges(title: "x"))
                Issue.record("updating a missing gallery succeeded")
            } catch let error as GalleryError {
                #expect(error.code == .notFound)
                #expect(error.serverMessage == "gallery with id 999999 not found")
                #expect(error.backend == "sandbox-stash")
            }
            let wrongKey = stash.backend(apiKey: "wrong")
            do {
                _ = try await wrongKey.allGalleries()
                Issue.record("a wrong key was accepted")
            } catch let error as GalleryError {
                #expect(error.code == .auth)
            }
        }
    }
}
