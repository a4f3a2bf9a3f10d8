import Foundation
import GalleryCore
import GalleryMigration
import InMemoryBackend
import LocalBackend
import Testing

/// The everyday cases in which the engine must tell the truth: a changed source is copied again (once), a
/// granular source size is an estimate, a wrong match is never made, and verify sees everything.
@Suite struct HonestEngineTests {
    func copy(
        _ source: any GalleryBackend, _ destination: any GalleryBackend, journal: Journal,
        options: MigrationOptions = MigrationOptions(retry: .immediate)
    ) async throws -> (plan: Plan, result: RunResult) {
        try await Migration.copy(
            source: source, destination: destination, journal: journal, options: options, logger: Fixtures.logger)
    }

    func plan(_ source: any GalleryBackend, _ destination: any GalleryBackend, journal: Journal) async throws -> Plan {
        try await MigrationPlanning.plan(
            source: source, destination: destination, mappings: journal.mappings(), logger: Fixtures.logger
        ).plan
    }

    func verify(_ source: any GalleryBackend, _ destination: any GalleryBackend, journal: Journal) async throws
        -> VerificationReport
    {
        try await Verifier(source: source, destination: destination, logger: Fixtures.logger)
            .verify(mappings: journal.mappings())
    }

    /// A plain folder `g` of three PNG-named files, copied once to a Local destination.
    struct CopiedFolder {
        var root: String
        var source: LocalBackend
        var destinationRoot: String
        var destination: LocalBackend
        var journal: Journal
    }

    func copiedPlainFolder() async throws -> CopiedFolder {
        let root = Fixtures.temporaryPath("src")
        try FileManager.default.createDirectory(atPath: root + "/g", withIntermediateDirectories: true)
        for index in 1...3 {
            try Data(Fixtures.bytes(count: 900 + index, seed: UInt64(index))).write(
                to: URL(fileURLWithPath: "\(root)/g/img\(index).png"))
        }
        let destinationRoot = Fixtures.temporaryPath("dst")
        let folder = CopiedFolder(
            root: root, source: try LocalBackend(root: root, name: "src"), destinationRoot: destinationRoot,
            destination: try LocalBackend(root: destinationRoot, name: "dst"),
            journal: try Fixtures.journal(source: "src", destination: "dst"))
        _ = try await copy(folder.source, folder.destination, journal: folder.journal)
        return folder
    }

    func files(in folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter {
            !$0.hasPrefix(".") && $0 != "gallery.json"
        }
        .sorted()
    }

    // MARK: Change detection

    @Test(arguments: [false, true])
    func aChangedSourceFileIsUpdatedInPlaceOnce(freshJournal: Bool) async throws {
        let folder = try await copiedPlainFolder()
        let (root, source, destinationRoot, destination, journal) = (
            folder.root, folder.source, folder.destinationRoot, folder.destination, folder.journal
        )

        let changed = Fixtures.bytes(count: 1_500, seed: 99)
        try Data(changed).write(to: URL(fileURLWithPath: "\(root)/g/img2.png"))
        let second = freshJournal ? try Fixtures.journal(source: "src", destination: "dst") : journal
        let planned = try await plan(source, destination, journal: second)
        #expect(planned.counts.itemsToUpdate == 1)
        #expect(planned.counts.itemsUnchanged == 2)
        #expect(planned.counts.itemsToUpload == 0)

        let run = try await copy(source, destination, journal: second)
        #expect(run.result.summary.failures == 0, "\(run.result.failures)")
        #expect(run.result.summary.itemsUpdated == 1)
        #expect(try files(in: destinationRoot + "/g") == ["img1.png", "img2.png", "img3.png"])
        #expect(FileManager.default.contents(atPath: destinationRoot + "/g/img2.png") == Data(changed))
        let report = try await verify(source, destination, journal: second)
        #expect(report.isSuccess, "\(report.mismatches)")
    }

    /// A file replaced by one of the same size is told apart by its modification time, as rclone does.
    @Test func aSameSizeChangeIsSeenByItsModificationTime() async throws {
        let folder = try await copiedPlainFolder()
        let (root, source, destinationRoot, destination, journal) = (
            folder.root, folder.source, folder.destinationRoot, folder.destination, folder.journal
        )

        let changed = Fixtures.bytes(count: 902, seed: 77)
        let path = "\(root)/g/img2.png"
        try Data(changed).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 60)], ofItemAtPath: path)
        let planned = try await plan(source, destination, journal: journal)
        #expect(planned.counts.itemsToUpdate == 1)
        _ = try await copy(source, destination, journal: journal)
        #expect(FileManager.default.contents(atPath: destinationRoot + "/g/img2.png") == Data(changed))
    }

    /// A source folder with manifests (a GalleryHub export) lists the digest it recorded; a file edited in place
    /// since, at the same size, still lists that stale digest, and its new modification time gives it away.
    @Test func anExportEditedInPlaceIsCopiedAgainDespiteItsStaleDigest() async throws {
        let root = Fixtures.temporaryPath("export")
        let export = try LocalBackend(root: root, name: "src")
        let gallery = try await export.createGallery(GallerySpec(title: "g"))
        let original = Fixtures.bytes(count: 700, seed: 5)
        _ = try await export.addItem(
            to: gallery, spec: ItemSpec(filename: "a.jpg", mimeType: "image/jpeg", byteCount: 700),
            bytes: .bytes(original))
        try await export.flush()
        let source = try LocalBackend(root: root, name: "src")
        #expect(try await source.gallery(gallery).items.first?.sha256 != nil)
        let destination = try LocalBackend(root: Fixtures.temporaryPath("dst"), name: "dst")
        let journal = try Fixtures.journal(source: "src", destination: "dst")
        _ = try await copy(source, destination, journal: journal)

        let path = "\(root)/\(gallery.rawValue)/a.jpg"
        try Data(Fixtures.bytes(count: 700, seed: 6)).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.modificationDate: Date(timeIntervalSinceNow: 90)], ofItemAtPath: path)
        let planned = try await plan(try LocalBackend(root: root, name: "src"), destination, journal: journal)
        #expect(planned.counts.itemsToReplace == 1)
    }

    // MARK: Granular sizes

    /// A source that reports sizes in KiB rounded up, as Kanka does.
    @Test func aSourceWithKibibyteSizesIsCopiedAndVerified() async throws {
        let memory = InMemoryBackend(name: "kib")
        let gallery = try await memory.createGallery(GallerySpec(title: "Demo"))
        for (index, size) in [9_000, 1_024, 3].enumerated() {
            let data = Fixtures.bytes(count: size, seed: UInt64(index + 1))
            _ = try await memory.addItem(
                to: gallery,
                spec: ItemSpec(filename: "f\(index).jpg", mimeType: "image/jpeg", byteCount: Int64(size)),
                bytes: .bytes(data))
        }
        let source = KibibyteSizes(memory)
        let destinationRoot = Fixtures.temporaryPath("dst")
        let destination = try LocalBackend(root: destinationRoot, name: "dst")
        let journal = try Fixtures.journal(source: "kib", destination: "dst")
        var options = MigrationOptions(retry: .immediate)
        options.acceptLosses = true
        let run = try await copy(source, destination, journal: journal, options: options)
        #expect(run.result.summary.failures == 0, "\(run.result.failures)")
        #expect(run.result.summary.itemsUploaded == 3)
        #expect(FileManager.default.contents(atPath: destinationRoot + "/Demo/f0.jpg")?.count == 9_000)
        let report = try await verify(source, destination, journal: journal)
        #expect(report.isSuccess, "\(report.mismatches)")
        #expect(report.itemsChecked == 3)
        // And a second plan, with a fresh journal, matches the copies by name and size at that granularity.
        let again = try await plan(
            source, destination, journal: try Fixtures.journal(source: "kib", destination: "dst"))
        #expect(again.counts.itemsUnchanged == 3)
    }

    // MARK: What the destination will refuse

    /// A destination that judges bytes by what they are (Kanka answers 422): an empty file and a text file
    /// named `.png` are losses in the plan, not failures in the run; a PNG-named JPEG is taken.
    @Test func bytesTheDestinationWouldRefuseAreLossesInThePlan() async throws {
        let source = InMemoryBackend(name: "source")
        let gallery = try await source.createGallery(GallerySpec(title: "Mixed"))
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0] + Fixtures.bytes(count: 200, seed: 3)
        let files: [(String, String, [UInt8])] = [
            ("empty.jpg", "image/jpeg", []), ("notes.png", "image/png", Array("just text".utf8)),
            ("photo.jpg", "image/jpeg", jpeg), ("renamed.png", "image/png", jpeg),
        ]
        for (name, type, bytes) in files {
            _ = try await source.addItem(
                to: gallery, spec: ItemSpec(filename: name, mimeType: type, byteCount: Int64(bytes.count)),
                bytes: .bytes(bytes))
        }
        let strict = Fixtures.capabilities {
            $0.checksContent = true
            $0.allowedMIMETypes = ["image/jpeg", "image/png"]
        }
        let destination = InMemoryBackend(name: "destination", capabilities: strict)
        let journal = try Fixtures.journal()
        let planned = try await plan(source, destination, journal: journal)
        #expect(
            Set(planned.losses.filter { $0.rule == .content }.compactMap(\.filename)) == ["empty.jpg", "notes.png"])
        var options = MigrationOptions(retry: .immediate)
        options.acceptLosses = true
        let run = try await copy(source, destination, journal: journal, options: options)
        #expect(run.result.failures.isEmpty, "\(run.result.failures)")
        #expect(run.result.summary.itemsUploaded == 2)
    }

    // MARK: Counters

    @Test func theRunSetsExactlyTheOrdersThePlanCountsAndARerunCountsWhatIsThere() async throws {
        let source = try await Fixtures.source(galleries: 4, items: 5)
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()
        let first = try await copy(source, destination, journal: journal)
        #expect(first.plan.counts.ordersToSet == 4)
        #expect(first.result.summary.ordersSet == first.plan.counts.ordersToSet)
        #expect(first.result.summary.coversSet == first.plan.counts.coversToSet)
        let second = try await copy(source, destination, journal: journal)
        #expect(second.result.summary.itemsUnchanged == 20)
        #expect(second.result.summary.ordersSet == 0 && second.plan.counts.ordersToSet == 0)
    }

    // MARK: Verify sees everything

    @Test func verifyReportsItemsThatExistOnlyOnTheDestination() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 4)
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()
        _ = try await copy(source, destination, journal: journal)
        let copied = try #require(try await destination.allGalleries().first)
        for index in 0..<3 {
            let data = Fixtures.bytes(count: 50, seed: UInt64(500 + index))
            _ = try await destination.addItem(
                to: copied.id, spec: ItemSpec(filename: "other\(index).jpg", mimeType: "image/jpeg", byteCount: 50),
                bytes: .bytes(data))
        }
        let report = try await verify(source, destination, journal: journal)
        #expect(!report.isSuccess)
        #expect(report.mismatches.filter { $0.kind.rawValue == "extraItem" }.count == 3)
    }

    @Test func verifyReportsLostNesting() async throws {
        let source = InMemoryBackend(name: "source")
        let trips = try await source.createGallery(GallerySpec(title: "trips"))
        let lisbon = try await source.createGallery(GallerySpec(title: "lisbon", parent: trips))
        let data = Fixtures.bytes(count: 300, seed: 1)
        let spec = ItemSpec(filename: "tram.jpg", mimeType: "image/jpeg", byteCount: 300)
        _ = try await source.addItem(to: lisbon, spec: spec, bytes: .bytes(data))
        // The destination holds both, but flat: lisbon at the top level.
        let destination = InMemoryBackend(name: "destination")
        _ = try await destination.createGallery(GallerySpec(title: "trips"))
        let flat = try await destination.createGallery(GallerySpec(title: "lisbon"))
        _ = try await destination.addItem(to: flat, spec: spec, bytes: .bytes(data))
        let report = try await verify(source, destination, journal: try Fixtures.journal())
        #expect(!report.isSuccess, "lisbon lost its place under trips")
    }

    // MARK: Matching never merges

    @Test func galleriesOfTheSameTitleElsewhereInTheTreeAreNeverMerged() async throws {
        let source = InMemoryBackend(name: "source")
        for year in ["2019", "2023"] {
            let parent = try await source.createGallery(GallerySpec(title: year))
            let rome = try await source.createGallery(GallerySpec(title: "rome", parent: parent))
            let data = Fixtures.bytes(count: 200, seed: UInt64(year)!)
            _ = try await source.addItem(
                to: rome, spec: ItemSpec(filename: "\(year).jpg", mimeType: "image/jpeg", byteCount: 200),
                bytes: .bytes(data))
        }
        let destination = InMemoryBackend(name: "destination")
        let unrelated = try await destination.createGallery(GallerySpec(title: "rome"))
        let planned = try await plan(source, destination, journal: try Fixtures.journal())
        #expect(!planned.galleries.contains { $0.destinationID == unrelated })
        #expect(planned.extraGalleries.map(\.id) == [unrelated])
    }
}

/// Wraps a backend and reports sizes as Kanka does: in KiB, rounded up, with the granularity declared.
final class KibibyteSizes: GalleryBackend {
    let inner: any GalleryBackend
    init(_ inner: any GalleryBackend) { self.inner = inner }

    var name: String { inner.name }
    var capabilities: Capabilities {
        var caps = inner.capabilities
        caps.sizeGranularity = 1024
        caps.digests = []
        return caps
    }
    func resolvedCapabilities() async throws -> Capabilities { capabilities }
    func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> { inner.listGalleries() }
    func gallery(_ id: GalleryID) async throws -> Gallery {
        var gallery = try await inner.gallery(id)
        for index in gallery.items.indices {
            gallery.items[index].byteCount = (gallery.items[index].byteCount + 1023) / 1024 * 1024
            gallery.items[index].digest = nil
        }
        return gallery
    }
    func openItem(_ ref: ItemRef) async throws -> ByteStream { try await inner.openItem(ref) }
}

/// The executor's phases, against a destination that shows added items only after `flush()` (as Stash does
/// after its library scan): order, cover and metadata updates come after the flush.
@Suite struct WriteThenScanTests {
    @Test func orderCoverAndCaptionsLandOnADestinationThatShowsItemsOnlyAfterAFlush() async throws {
        let source = try await Fixtures.source(galleries: 2, items: 6)
        let destination = InMemoryBackend(name: "destination", batchesWrites: true)
        let journal = try Fixtures.journal()
        let run = try await Migration.copy(
            source: source, destination: destination, journal: journal,
            options: MigrationOptions(retry: .immediate), logger: Fixtures.logger)
        #expect(run.result.failures.isEmpty, "\(run.result.failures)")
        #expect(run.result.summary.ordersSet == 2 && run.result.summary.coversSet == 2)
        #expect(destination.flushCount == 2)
        for summary in try await source.allGalleries() {
            let original = try await source.gallery(summary.id)
            let copyID = try #require(try await destination.allGalleries().first { $0.title == original.title }?.id)
            let copied = try await destination.gallery(copyID)
            #expect(copied.items.map(\.filename) == original.items.map(\.filename))
            let coverName = original.items.first { $0.id == original.cover?.itemID }?.filename
            #expect(copied.items.first { $0.id == copied.cover?.itemID }?.filename == coverName)
        }
        let report = try await Verifier(source: source, destination: destination, logger: Fixtures.logger)
            .verify(mappings: journal.mappings())
        #expect(report.isSuccess, "\(report.mismatches)")

        // A caption changed at the source is rewritten after the flush of the second run.
        let gallery = try #require(try await source.allGalleries().first).id
        let item = try #require(try await source.gallery(gallery).items.first)
        try await source.updateItem(ItemRef(gallery: gallery, item: item.id), metadata: ItemMetadata(caption: "New"))
        let second = try await Migration.copy(
            source: source, destination: destination, journal: journal,
            options: MigrationOptions(retry: .immediate), logger: Fixtures.logger)
        #expect(second.result.failures.isEmpty, "\(second.result.failures)")
        #expect(second.result.summary.itemsUpdated == 1)
    }

    /// A flush that fails now and then (a scan whose answers were cut) is tried again; one that keeps failing
    /// ends the run with a failure that says the items are written and what to do, not with an abort naming
    /// nothing; one that cannot succeed (a misconfigured destination) still stops the run.
    @Test func aFailingFlushIsRetriedThenReportedAsWhatIsLeft() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 3)
        func run(failing times: Int, retryable: Bool) async throws -> (RunResult, FlakyBackend) {
            let destination = FlakyBackend(InMemoryBackend(name: "destination", batchesWrites: true))
            destination.failFlush(
                times: times,
                with: GalleryError(
                    .corruptResponse, "Cannot read the response of POST /graphql", isRetryable: retryable))
            let run = try await Migration.copy(
                source: source, destination: destination, journal: try Fixtures.journal(),
                options: MigrationOptions(retry: .immediate), logger: Fixtures.logger)
            return (run.result, destination)
        }

        let (healed, once) = try await run(failing: 1, retryable: true)
        #expect(healed.failures.isEmpty, "\(healed.failures)")
        #expect(healed.summary.ordersSet == 1 && once.flushAttempts == 3)

        let (stuck, always) = try await run(failing: 100, retryable: true)
        let failure = try #require(stuck.failures.first)
        #expect(stuck.failures.count == 2, "the flush after the items and the last one: \(stuck.failures)")
        #expect(failure.message.contains("not all in their galleries yet"), "\(failure.message)")
        #expect(failure.hint?.contains("run the same command again") == true)
        #expect(stuck.summary.ordersSet == 0, "order and cover wait for the items to be visible")
        #expect(always.flushAttempts == 2 * MigrationOptions(retry: .immediate).retry.maxAttempts)

        await #expect(throws: GalleryError.self) { _ = try await run(failing: 1, retryable: false) }

        // A destination that stopped answering: no retries (they would only wait), and what is left is said.
        let gone = FlakyBackend(InMemoryBackend(name: "destination", batchesWrites: true))
        gone.failFlush(
            times: 100,
            with: GalleryError(
                .transport, "did not answer 3 sends in a row", backend: "destination", isRetryable: false))
        let unanswered = try await Migration.copy(
            source: source, destination: gone, journal: try Fixtures.journal(),
            options: MigrationOptions(retry: .immediate), logger: Fixtures.logger
        ).result
        #expect(gone.flushAttempts == 2, "one per flush, no retries")
        #expect(unanswered.failures.first?.message.contains("not all in their galleries yet") == true)
    }
}
