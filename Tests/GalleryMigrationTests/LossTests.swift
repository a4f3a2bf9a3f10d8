import GalleryCore
import GalleryMigration
import Testing

/// One planned loss per rule: a source that holds the thing, a destination narrowed so it cannot.
struct LossTests {
    /// The source gallery and narrowed destination capabilities that must produce `rule`.
    static func scenario(_ rule: LossRule) -> (gallery: Gallery, destination: Capabilities, item: ItemID?) {
        var items = [Fixtures.item("a", "a.jpg"), Fixtures.item("b", "b.jpg")]
        var gallery = Gallery(id: "s", title: "Trips", items: items)
        var item: ItemID?
        let capabilities = Fixtures.capabilities { caps in
            switch rule {
            case .order: caps.order = .none
            case .orderByFilename:
                caps.order = .byFilename
                gallery.items.reverse()
            case .cover:
                caps.cover = .none
                gallery.cover = .item("a")
            case .nonMemberCover:
                caps.cover = .member
                gallery.cover = .standalone(Fixtures.item("c", "cover.jpg"))
            case .coverItemLost:
                caps.maxItemBytes = 1000
                items[0].byteCount = 5000
                gallery.items = items
                gallery.cover = .item("a")
            case .captions:
                caps.captions = false
                gallery.items[1].caption = "Sunset"
                item = "b"
            case .captionLength:
                caps.maxCaptionLength = 5
                gallery.items[1].caption = "A long caption"
                item = "b"
            case .altText:
                caps.altText = false
                gallery.items[1].altText = "A beach"
                item = "b"
            case .itemTitles:
                caps.itemTitles = false
                gallery.items[1].title = "Beach"
                item = "b"
            case .galleryDescriptions:
                caps.galleryDescriptions = false
                gallery.description = "Summer"
            case .translations:
                caps.translations = false
                gallery.translations = ["de": Translation(title: "Reisen")]
            case .translationLanguages:
                caps.translationLanguages = ["en", "sr"]
                gallery.translations = ["en": Translation(title: "Trips"), "de": Translation(title: "Reisen")]
            case .nestedGalleries:
                caps.nestedGalleries = false
                gallery.parent = "p"
            case .emptyGalleries:
                caps.emptyGalleries = false
                gallery.items = []
            case .extras:
                caps.extras = false
                gallery.items[1].extra = ["meta_title": .string("x")]
                item = "b"
            case .visibility:
                caps.visibilities = [.public, .private]
                gallery.visibility = .unlisted
            case .fileSize:
                caps.maxItemBytes = 1000
                gallery.items[1].byteCount = 12_000_000
                item = "b"
            case .fileType:
                caps.allowedMIMETypes = ["image/jpeg", "image/png"]
                gallery.items[1].mimeType = "image/heic"
                item = "b"
            case .content:
                caps.checksContent = true
                gallery.items[1].byteCount = 0
                item = "b"
            case .createGalleries:
                caps.createGalleries = false
            case .write:
                caps.isWritable = false
            }
        }
        return (gallery, capabilities, item)
    }

    @Test(arguments: LossRule.allCases)
    func theDestinationsRuleIsListedAsALoss(rule: LossRule) throws {
        let (gallery, capabilities, item) = Self.scenario(rule)
        let plan = Planner(
            source: BackendSnapshot(name: "src", capabilities: .lossless, galleries: [gallery]),
            destination: BackendSnapshot(name: "dst", capabilities: capabilities, galleries: [])
        ).plan()
        let loss = try #require(plan.losses.first { $0.rule == rule }, "no \(rule) loss in \(plan.losses)")
        #expect(loss.gallery == "s")
        #expect(loss.galleryTitle == "Trips")
        if let item { #expect(loss.item == item) }
        #expect(loss.summary.contains(rule.rawValue))
        #expect(!rule.explanation.isEmpty)
    }

    /// Omnitcode keeps `unlisted` as draft, read back `private`: that is a loss, never a change planned again
    /// on every run. A visibility the destination holds is changed as usual.
    @Test func aVisibilityTheDestinationCannotHoldIsALossNotAnEndlessUpdate() {
        let destination = Fixtures.capabilities { $0.visibilities = [.public, .private] }
        func plan(_ visibility: Visibility) -> Plan {
            Planner(
                source: BackendSnapshot(
                    name: "src", capabilities: .lossless,
                    galleries: [Gallery(id: "s", title: "Trips", slug: "trips", visibility: visibility)]),
                destination: BackendSnapshot(
                    name: "dst", capabilities: destination,
                    galleries: [Gallery(id: "d", title: "Trips", slug: "trips", visibility: .private)])
            ).plan()
        }
        let unlisted = plan(.unlisted)
        #expect(unlisted.losses.map(\.rule) == [.visibility])
        #expect(unlisted.galleries[0].changes == nil)
        #expect(plan(.public).galleries[0].changes?.visibility == .public)
        #expect(plan(.private).galleries[0].changes == nil)
    }

    @Test(arguments: LossRule.allCases)
    func aLosslessDestinationLosesNothing(rule: LossRule) {
        let (gallery, _, _) = Self.scenario(rule)
        let plan = Planner(
            source: BackendSnapshot(name: "src", capabilities: .lossless, galleries: [gallery]),
            destination: BackendSnapshot(name: "dst", capabilities: .lossless, galleries: [])
        ).plan()
        #expect(plan.losses.isEmpty)
    }

    @Test func aRefusedItemIsSkippedAndACutCaptionIsUploadedCut() throws {
        var gallery = Gallery(
            id: "s", title: "G", items: [Fixtures.item("a", "a.jpg", size: 50), Fixtures.item("b", "b.jpg")])
        gallery.items[1].caption = "abcdefgh"
        let capabilities = Fixtures.capabilities {
            $0.maxItemBytes = 80
            $0.maxCaptionLength = 3
        }
        gallery.items[1].byteCount = 70
        gallery.items[0].byteCount = 90
        let plan = Planner(
            source: BackendSnapshot(name: "src", capabilities: .lossless, galleries: [gallery]),
            destination: BackendSnapshot(name: "dst", capabilities: capabilities, galleries: [])
        ).plan()
        let items = plan.galleries[0].items
        #expect(items[0].isSkipped)
        guard case .upload(let spec) = items[1].action else {
            Issue.record("expected an upload")
            return
        }
        #expect(spec.metadata.caption == "abc")
        #expect(Set(plan.losses.map(\.rule)) == [.fileSize, .captionLength])
    }

    @Test func aDestinationWithoutGalleryCreationListsGalleriesToCreateByHand() {
        let plan = Planner(
            source: BackendSnapshot(
                name: "src", capabilities: .lossless,
                galleries: [
                    Gallery(id: "s1", title: "Maps"), Gallery(id: "s2", title: "NPCs"),
                ]),
            destination: BackendSnapshot(
                name: "kanka", capabilities: Fixtures.capabilities { $0.createGalleries = false },
                galleries: [Gallery(id: "k1", title: "maps")]
            )
        ).plan()
        #expect(plan.galleries[0].target == .existing("k1", matchedBy: .title))
        #expect(plan.galleriesToCreateByHand.map(\.source.title) == ["NPCs"])
        // Only that gallery is blocked: the run reports it (ExecutorTests) and copies the others.
        #expect(throws: Never.self) {
            try Executor.preflight(plan, options: MigrationOptions(acceptLosses: true))
        }
    }
}
