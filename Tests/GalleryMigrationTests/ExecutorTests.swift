import GalleryCore
import GalleryMigration
import InMemoryBackend
import Testing

struct ExecutorTests {
    func copy(
        _ source: any GalleryBackend,
        _ destination: any GalleryBackend,
        journal: Journal,
        options: MigrationOptions = MigrationOptions(retry: .immediate)
    ) async throws -> (plan: Plan, result: RunResult) {
        try await Migration.copy(
            source: source, destination: destination, journal: journal, options: options, logger: Fixtures.logger
        )
    }

    func verify(_ source: any GalleryBackend, _ destination: any GalleryBackend, journal: Journal) async throws
        -> VerificationReport
    {
        try await Verifier(source: source, destination: destination, logger: Fixtures.logger)
            .verify(mappings: journal.mappings())
    }

    @Test func threeHundredItemsRoundTripAndASecondRunWritesNothing() async throws {
        let source = try await Fixtures.source(galleries: 3, items: 100)
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()

        let first = try await copy(source, destination, journal: journal)
        #expect(first.result.summary.galleriesCreated == 3)
        #expect(first.result.summary.itemsUploaded == 300)
        #expect(first.result.summary.ordersSet <= 3)  // zero when uploads happen to finish in order
        #expect(first.result.summary.coversSet == 3)
        #expect(first.result.summary.failures == 0)
        #expect(first.result.failures.isEmpty)

        let report = try await verify(source, destination, journal: journal)
        #expect(report.isSuccess, "\(report.mismatches)")
        #expect(report.itemsChecked == 300)

        // The destination holds the source's order, cover and captions.
        for summary in try await source.allGalleries() {
            let original = try await source.gallery(summary.id)
            let copyID = try #require(try await destination.allGalleries().first { $0.title == original.title }?.id)
            let copied = try await destination.gallery(copyID)
            #expect(copied.items.map(\.filename) == original.items.map(\.filename))
            #expect(copied.items.map(\.metadata) == original.items.map(\.metadata))
            #expect(copied.description == original.description)
            let coverName = original.items.first { $0.id == original.cover?.itemID }?.filename
            #expect(copied.items.first { $0.id == copied.cover?.itemID }?.filename == coverName)
        }

        let writes = destination.writeCount
        let second = try await copy(source, destination, journal: journal)
        #expect(second.plan.isNoOp)
        #expect(second.result.summary.writesNothing(unchanged: 300))
        #expect(destination.writeCount == writes)
    }

    @Test func aSecondRunWithAFreshJournalMatchesByDigestAndWritesNothing() async throws {
        let source = try await Fixtures.source(galleries: 2, items: 10)
        let destination = InMemoryBackend(name: "destination")
        _ = try await copy(source, destination, journal: try Fixtures.journal())
        let writes = destination.writeCount
        let again = try await copy(source, destination, journal: try Fixtures.journal())
        #expect(again.result.summary.itemsUploaded == 0)
        #expect(again.result.summary.itemsReconciled == 20)
        #expect(destination.writeCount == writes)
    }

    @Test func anUploadInterruptedAfterTheServerStoredItIsReconciledNotDuplicated() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 20)
        let memory = InMemoryBackend(name: "destination")
        let destination = FlakyBackend(memory)
        let journal = try Fixtures.journal()
        // The first run "dies" right after the server stored img-3.jpg: the journal holds only its intent.
        let first = try await copy(source, destination, journal: journal)
        #expect(first.result.summary.itemsUploaded == 20)
        let key = StepKey(
            .upload, gallery: try await source.allGalleries()[0].id,
            item: try await source.gallery(source.allGalleries()[0].id).items[3].id)
        try await journal.record(.redo, for: key)
        try await journal.record(.attempt, for: key)
        #expect(try await journal.mappings().pendingItems.count == 1)

        let calls = destination.addItemCalls
        let resumed = try await copy(source, destination, journal: journal)
        #expect(resumed.result.summary.itemsUploaded == 0)
        #expect(resumed.result.summary.itemsReconciled == 1)
        #expect(destination.addItemCalls == calls)
        #expect(try await journal.state(of: key).name == "done")
        let gallery = try await memory.gallery(memory.allGalleries()[0].id)
        #expect(gallery.items.count == 20)
    }

    @Test func anUploadInterruptedBeforeTheServerStoredItIsSentOnce() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 5)
        let memory = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()
        let galleryID = try await source.allGalleries()[0].id
        let item = try await source.gallery(galleryID).items[0]
        // An earlier run recorded the intent and died before any byte arrived.
        try await journal.record(.attempt, for: StepKey(.upload, gallery: galleryID, item: item.id))
        let run = try await copy(source, memory, journal: journal)
        #expect(run.plan.galleries[0].items.first { $0.source.id == item.id }?.needsReconciliation == true)
        #expect(run.result.summary.itemsUploaded == 5)
        #expect(
            try await memory.gallery(memory.allGalleries()[0].id).items.filter { $0.filename == item.filename }.count
                == 1)
    }

    @Test func transientFailuresAreRetriedAndPermanentOnesCollectedWhileTheRunGoesOn() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 10)
        let memory = InMemoryBackend(name: "destination")
        let destination = FlakyBackend(memory)
        destination.fail("img-2.jpg", times: 2, when: .beforeWrite, with: GalleryError(.server, "503"))
        destination.fail("img-7.jpg", times: 99, when: .beforeWrite, with: GalleryError(.invalidInput, "refused"))
        let journal = try Fixtures.journal()
        let run = try await copy(source, destination, journal: journal)
        #expect(run.result.summary.itemsUploaded == 9)
        #expect(run.result.summary.failures == 1)
        #expect(run.result.failures.map(\.item) == ["img-7.jpg"])
        #expect(run.result.failures.first?.code == "invalidInput")
        #expect(try await memory.gallery(memory.allGalleries()[0].id).items.count == 9)
        // Only the missing item differs: the nine copied items are in the source's order, the cover is set.
        let report = try await verify(source, destination, journal: journal)
        #expect(report.mismatches.map(\.kind) == [.missingItem])
    }

    @Test func aRetryAfterAWriteThatBrokeOffDoesNotDuplicateWhenTheDestinationHasDigests() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 4)
        let memory = InMemoryBackend(name: "destination")
        let destination = FlakyBackend(memory)
        destination.fail("img-1.jpg", times: 1, when: .afterWrite, with: GalleryError(.transport, "reset"))
        let journal = try Fixtures.journal()
        _ = try await copy(
            source, destination, journal: journal,
            options: MigrationOptions(retry: RetryPolicy(maxAttempts: 1, initialDelay: .zero, maxDelay: .zero)))
        // The run recorded a failure; the resumed run finds the stored item by digest instead of sending it again.
        let resumed = try await copy(source, destination, journal: journal)
        #expect(resumed.result.summary.itemsUploaded == 0)
        #expect(resumed.result.summary.itemsReconciled == 1)
        let gallery = try await memory.gallery(memory.allGalleries()[0].id)
        #expect(gallery.items.filter { $0.filename == "img-1.jpg" }.count == 1)
        #expect(try await verify(source, destination, journal: journal).isSuccess)
    }

    @Test func losses_must_be_accepted_and_are_then_allowed_by_verify() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 3)
        let narrowed = InMemoryBackend(
            name: "destination",
            capabilities: Fixtures.capabilities {
                $0.captions = false
                $0.cover = .none
            })
        let journal = try Fixtures.journal()
        let refusal = await #expect(throws: GalleryError.self) { try await copy(source, narrowed, journal: journal) }
        #expect(refusal?.message.contains("captions") == true)
        #expect(refusal?.hint?.contains("--accept-losses") == true)
        #expect(narrowed.writeCount == 0)

        let run = try await copy(
            source, narrowed, journal: journal, options: MigrationOptions(acceptLosses: true, retry: .immediate))
        #expect(run.result.summary.losses == 4)  // three captions and the cover
        #expect(run.result.summary.itemsUploaded == 3)
        let report = try await verify(source, narrowed, journal: journal)
        #expect(report.isSuccess, "\(report.mismatches)")
        #expect(report.losses == 4)
    }

    @Test func aGalleryThatMustBeCreatedByHandBlocksOnlyItself() async throws {
        let source = try await Fixtures.source(galleries: 2, items: 2)
        // A destination that holds "Gallery 0" (made by hand, as on Kanka) and cannot create "Gallery 1".
        let noCreation = Fixtures.capabilities { $0.createGalleries = false }
        let kanka = InMemoryBackend(name: "kanka", capabilities: .lossless, resolvedCapabilities: noCreation)
        let made = try await kanka.createGallery(GallerySpec(title: "Gallery 0"))
        let run = try await copy(
            source, kanka, journal: try Fixtures.journal(),
            options: MigrationOptions(acceptLosses: true, retry: .immediate))
        #expect(run.plan.galleriesToCreateByHand.map(\.source.title) == ["Gallery 1"])
        #expect(try await kanka.gallery(made).items.count == 2)
        #expect(try await kanka.allGalleries().count == 1)
        #expect(run.result.summary.itemsUploaded == 2)
        let failure = try #require(run.result.failures.first)
        #expect(run.result.failures.count == 1 && run.result.summary.failures == 1)
        #expect(failure.gallery == "Gallery 1" && failure.message.contains("cannot create galleries"), "\(failure)")
    }

    @Test func verifyCatchesBytesThatDifferUnderTheSameNameAndSize() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 2)
        let noDigests = Fixtures.capabilities { $0.digests = [] }
        let destination = InMemoryBackend(name: "destination", capabilities: noDigests)
        let id = try await destination.createGallery(
            GallerySpec(title: "Gallery 0", description: "About 0", slug: "gallery-0"))
        let original = try await source.gallery(source.allGalleries()[0].id)
        for item in original.items {
            let wrong = Fixtures.bytes(count: Int(item.byteCount), seed: 999)
            var spec = item.spec
            spec.sha256 = nil
            _ = try await destination.addItem(to: id, spec: spec, bytes: .bytes(wrong))
        }
        let coverIndex = try #require(original.items.firstIndex { $0.id == original.cover?.itemID })
        try await destination.setCover(of: id, to: .item(try await destination.gallery(id).items[coverIndex].id))
        let report = try await Verifier(source: source, destination: destination, logger: Fixtures.logger).verify()
        #expect(report.mismatches.map(\.kind) == [.bytes, .bytes])
    }

    @Test func deleteExtrasRemovesOnlyDestinationOnlyItemsOfMatchedGalleries() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 3)
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()
        _ = try await copy(source, destination, journal: journal)
        let copyID = try await destination.allGalleries()[0].id
        _ = try await destination.addItem(
            to: copyID, spec: ItemSpec(filename: "stray.jpg", mimeType: "image/jpeg", byteCount: 3),
            bytes: .bytes([1, 2, 3]))
        let other = try await destination.createGallery(GallerySpec(title: "Unrelated"))
        let kept = try await copy(source, destination, journal: journal)
        #expect(kept.plan.counts.extraItems == 1)
        #expect(kept.result.summary.extrasDeleted == 0)
        let deleted = try await copy(
            source, destination, journal: journal, options: MigrationOptions(deleteExtras: true, retry: .immediate))
        #expect(deleted.result.summary.extrasDeleted == 1)
        #expect(try await destination.gallery(copyID).items.count == 3)
        #expect(try await destination.gallery(other).title == "Unrelated")
    }

    @Test func cancellationLeavesAResumableJournal() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 50)
        let destination = InMemoryBackend(name: "destination")
        let journal = try Fixtures.journal()
        let task = Task {
            try await copy(
                source, destination, journal: journal, options: MigrationOptions(transfers: 2, retry: .immediate))
        }
        task.cancel()
        _ = await task.result
        let resumed = try await copy(source, destination, journal: journal)
        #expect(resumed.result.summary.failures == 0)
        #expect(try await verify(source, destination, journal: journal).isSuccess)
        #expect(try await destination.gallery(destination.allGalleries()[0].id).items.count == 50)
    }
}
