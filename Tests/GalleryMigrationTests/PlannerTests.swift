import GalleryCore
import GalleryMigration
import Testing

/// The planner is a pure function of two snapshots and the journal's mappings: these tests build snapshots
/// directly, without any backend.
struct PlannerTests {
    func snapshot(_ name: String, _ galleries: [Gallery], capabilities: Capabilities = .lossless) -> BackendSnapshot {
        BackendSnapshot(name: name, capabilities: capabilities, galleries: galleries)
    }

    @Test func unmatchedGalleriesAreCreatedWithEveryItemUploadedInOrderWithCover() {
        let items = [Fixtures.item("a", "a.jpg", sha: "aa"), Fixtures.item("b", "b.jpg", sha: "bb")]
        let source = Gallery(id: "s1", title: "Trips", items: items, cover: .item("b"))
        let plan = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [])).plan()
        let gallery = try! #require(plan.galleries.first)
        guard case .create(let spec, nil) = gallery.target else {
            Issue.record("expected a gallery to create, got \(gallery.target)")
            return
        }
        #expect(spec.title == "Trips")
        #expect(gallery.uploads.map(\.source.id) == ["a", "b"])
        #expect(gallery.order == ["a", "b"])
        #expect(gallery.cover == .item("b"))
        #expect(plan.losses.isEmpty)
        #expect(plan.counts.itemsToUpload == 2)
        #expect(!plan.isNoOp)
    }

    @Test func galleriesMatchByJournalThenSlugThenTitle() {
        let source = [
            Gallery(id: "s1", title: "One", slug: "one"),
            Gallery(id: "s2", title: "Two", slug: "two"),
            Gallery(id: "s3", title: "Three"),
        ]
        let destination = [
            Gallery(id: "d1", title: "Renamed"),  // only the journal knows it is s1's copy
            Gallery(id: "d2", title: "Different title", slug: "two"),
            Gallery(id: "d3", title: "THREE"),
            Gallery(id: "d4", title: "Unrelated"),
        ]
        let mappings = JournalMappings(galleries: ["s1": "d1"])
        let plan = Planner(
            source: snapshot("src", source), destination: snapshot("dst", destination), mappings: mappings
        ).plan()
        #expect(
            plan.galleries.map(\.target) == [
                .existing("d1", matchedBy: .journal), .existing("d2", matchedBy: .slug),
                .existing("d3", matchedBy: .title),
            ])
        #expect(plan.galleries[0].changes?.title == "One")
        #expect(plan.extraGalleries.map(\.id) == ["d4"])
    }

    @Test func aJournalMappingToAVanishedGalleryIsIgnored() {
        let plan = Planner(
            source: snapshot("src", [Gallery(id: "s1", title: "One")]),
            destination: snapshot("dst", [Gallery(id: "d9", title: "One")]),
            mappings: JournalMappings(galleries: ["s1": "gone"])
        ).plan()
        #expect(plan.galleries[0].target == .existing("d9", matchedBy: .title))
    }

    @Test func itemsMatchByJournalThenDigestThenNameAndSize() {
        let source = Gallery(
            id: "s", title: "G",
            items: [
                Fixtures.item("1", "renamed.jpg", size: 10),
                Fixtures.item("2", "x.jpg", size: 20, sha: "d2"),
                Fixtures.item("3", "same.jpg", size: 30),
                Fixtures.item("4", "new.jpg", size: 40),
            ])
        let target = Gallery(
            id: "d", title: "G",
            items: [
                Fixtures.item("D1", "0001-renamed.jpg", size: 10),
                Fixtures.item("D2", "other-name.jpg", size: 20, sha: "d2"),
                Fixtures.item("D3", "same.jpg", size: 30),
                Fixtures.item("D9", "extra.jpg", size: 99),
            ])
        let mappings = JournalMappings(items: [ItemRef(gallery: "s", item: "1"): ItemRef(gallery: "d", item: "D1")])
        let plan = Planner(
            source: snapshot("src", [source]), destination: snapshot("dst", [target]), mappings: mappings
        ).plan()
        let items = plan.galleries[0].items
        #expect(items.map(\.matchedBy) == [.journal, .digest, .nameAndSize, nil])
        #expect(items.map(\.destinationID) == ["D1", "D2", "D3", nil])
        #expect(items[3].isUpload)
        #expect(plan.galleries[0].extras.map(\.id) == ["D9"])
        #expect(plan.ambiguities.isEmpty)
    }

    /// Same name and size, other digest: the same item, changed at the source, replaced in place (never a
    /// second copy beside the first).
    @Test func sameNameWithOtherContentIsTheSameItemChanged() {
        let source = Gallery(id: "s", title: "G", items: [Fixtures.item("1", "a.jpg", size: 10, sha: "new")])
        let target = Gallery(id: "d", title: "G", items: [Fixtures.item("D1", "a.jpg", size: 10, sha: "old")])
        let plan = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [target])).plan()
        #expect(plan.galleries[0].items[0].isReplace)
        #expect(plan.galleries[0].items[0].matchedBy == .filename)
        #expect(plan.galleries[0].extras.isEmpty)
        #expect(plan.counts.itemsToUpdate == 1 && plan.counts.itemsToReplace == 1 && plan.counts.itemsToUpload == 0)
    }

    @Test func severalNameAndSizeCandidatesWithoutDigestsAreReportedAsAmbiguous() {
        let source = Gallery(id: "s", title: "G", items: [Fixtures.item("1", "a.jpg", size: 10)])
        let target = Gallery(
            id: "d", title: "G",
            items: [
                Fixtures.item("D1", "a.jpg", size: 10), Fixtures.item("D2", "a.jpg", size: 10),
            ])
        let plan = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [target])).plan()
        #expect(
            plan.ambiguities == [
                Ambiguity(sourceGallery: "s", sourceItem: "1", destinationGallery: "d", candidates: ["D1", "D2"])
            ])
    }

    @Test func kibibyteSizesMatchTheirByteCountRoundedUp() {
        let rules = DestinationRules(
            source: .lossless, destination: Fixtures.capabilities { $0.sizeGranularity = 1024 })
        #expect(rules.sizesMatch(source: 1500, destination: 2048))
        #expect(rules.sizesMatch(source: 2048, destination: 2048))
        #expect(!rules.sizesMatch(source: 2049, destination: 2048))
        #expect(
            !DestinationRules(source: .lossless, destination: .lossless).sizesMatch(source: 1500, destination: 2048))
    }

    @Test func aMatchedGalleryInAgreementIsANoOp() {
        let items = [Fixtures.item("a", "a.jpg", sha: "aa", caption: "x"), Fixtures.item("b", "b.jpg", sha: "bb")]
        let source = Gallery(id: "s", title: "G", items: items, cover: .item("a"))
        let copies = [Fixtures.item("A", "a.jpg", sha: "aa", caption: "x"), Fixtures.item("B", "b.jpg", sha: "bb")]
        let target = Gallery(id: "d", title: "G", items: copies, cover: .item("A"))
        let plan = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [target])).plan()
        #expect(plan.isNoOp)
        #expect(plan.counts.itemsUnchanged == 2)
    }

    /// Languages and platform fields only the destination has are its own data: an update keeps them.
    @Test func destinationOnlyTranslationsAndExtrasAreKept() {
        let source = Gallery(
            id: "s", title: "G", translations: ["de": Translation(title: "Neu")], extra: ["a": .string("1")])
        let target = Gallery(
            id: "d", title: "G", translations: ["de": Translation(title: "Alt"), "sr": Translation(title: "Šetnja")],
            extra: ["a": .string("0"), "b": .string("kept")])
        let gallery = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [target])).plan()
            .galleries[0]
        #expect(gallery.changes?.translations == ["de": Translation(title: "Neu"), "sr": Translation(title: "Šetnja")])
        #expect(gallery.changes?.extra == ["a": .string("1"), "b": .string("kept")])

        // Once the destination holds the source's languages, nothing is left to change.
        var updated = target
        updated.translations["de"] = Translation(title: "Neu")
        updated.extra["a"] = .string("1")
        let again = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [updated])).plan()
        #expect(again.isNoOp)
    }

    @Test func aWrongOrderAChangedCaptionAndAnotherCoverArePlanned() {
        let items = [Fixtures.item("a", "a.jpg", sha: "aa", caption: "new"), Fixtures.item("b", "b.jpg", sha: "bb")]
        let source = Gallery(id: "s", title: "G", items: items, cover: .item("b"))
        let copies = [Fixtures.item("B", "b.jpg", sha: "bb"), Fixtures.item("A", "a.jpg", sha: "aa", caption: "old")]
        let target = Gallery(id: "d", title: "G", items: copies, cover: .item("A"))
        let gallery = Planner(source: snapshot("src", [source]), destination: snapshot("dst", [target])).plan()
            .galleries[0]
        #expect(gallery.items[0].action == .update("A", ItemMetadata(caption: "new")))
        #expect(gallery.order == ["a", "b"])
        #expect(gallery.cover == .item("b"))
    }

    @Test func pendingUploadsAreMarkedForReconciliation() {
        let source = Gallery(id: "s", title: "G", items: [Fixtures.item("1", "a.jpg")])
        let mappings = JournalMappings(pendingItems: [ItemRef(gallery: "s", item: "1")])
        let plan = Planner(source: snapshot("src", [source]), destination: snapshot("dst", []), mappings: mappings)
            .plan()
        #expect(plan.galleries[0].items[0].needsReconciliation)
    }

    @Test func nestedGalleriesAreCreatedParentFirst() {
        let source = [
            Gallery(id: "child", title: "Child", parent: "parent"),
            Gallery(id: "parent", title: "Parent"),
        ]
        let plan = Planner(source: snapshot("src", source), destination: snapshot("dst", [])).plan()
        #expect(plan.galleries.map(\.source.id) == ["parent", "child"])
        #expect(plan.galleries[1].target == .create(GallerySpec(title: "Child", parent: "parent"), parent: "parent"))
    }

    @Test func aReadOnlyDestinationLosesEverything() {
        let plan = Planner(
            source: snapshot("src", [Gallery(id: "s", title: "G")]),
            destination: snapshot("dst", [], capabilities: Fixtures.capabilities { $0.isWritable = false })
        ).plan()
        #expect(plan.losses.map(\.rule) == [.write])
    }
}
