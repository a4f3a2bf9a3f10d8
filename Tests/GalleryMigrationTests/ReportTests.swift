import Foundation
import GalleryCore
import GalleryMigration
import Synchronization
import Testing

/// Text, JSON and Markdown all render the same plan.
struct ReportTests {
    func lossyPlan() -> Plan {
        var items = [Fixtures.item("a", "a.jpg", caption: "Sunset"), Fixtures.item("b", "b.jpg")]
        items[1].byteCount = 20_000_000
        let galleries = [
            Gallery(id: "s1", title: "Trips", items: items, cover: .item("a")),
            Gallery(id: "s2", title: "Maps"),
        ]
        let destination = Fixtures.capabilities {
            $0.captions = false
            $0.maxItemBytes = 10_000_000
            $0.createGalleries = false
        }
        return Planner(
            source: BackendSnapshot(name: "local:/photos", capabilities: .lossless, galleries: galleries),
            destination: BackendSnapshot(
                name: "kanka:", capabilities: destination, galleries: [Gallery(id: "k1", title: "Trips")]
            )
        ).plan()
    }

    @Test func jsonIsVersionedAndCarriesEveryLossWithItsRule() throws {
        let plan = lossyPlan()
        let json = try PlanReport.json(plan)
        let document = try JSONDecoder().decode(PlanDocument.self, from: Data(json.utf8))
        #expect(document.schema == "gallery-hub/plan")
        #expect(document.schemaVersion == 3)
        #expect(document.losses.map(\.rule).sorted() == ["captions", "createGalleries", "fileSize"])
        #expect(document.galleriesToCreateByHand.map(\.title) == ["Maps"])
        #expect(document.galleries[0].action == "existing")
        #expect(document.galleries[0].uploads.map(\.filename) == ["a.jpg"])
        #expect(document.galleries[0].skipped.map(\.filename) == ["b.jpg"])
        #expect(document.galleries[0].cover?.sourceItem == "a")
        #expect(document.counts == plan.counts)
        #expect(document.destination.capabilities?.maxItemBytes == 10_000_000)
    }

    @Test func textAndMarkdownListLossesAndGalleriesToCreateByHand() {
        let plan = lossyPlan()
        for report in [PlanReport.text(plan), PlanReport.markdown(plan)] {
            #expect(report.contains("Maps"))
            #expect(report.contains("captions"))
            #expect(report.contains("fileSize"))
            #expect(report.contains("by hand"))
        }
        #expect(PlanReport.markdown(plan).contains("| gallery | item | what is lost | rule |"))
        #expect(PlanReport.text(plan).contains("Losses (3)"))
    }

    @Test func aNoOpPlanSaysSo() {
        let gallery = Gallery(id: "s", title: "G", items: [Fixtures.item("a", "a.jpg", sha: "x")])
        var copy = gallery
        copy.id = "d"
        copy.items[0].id = "A"
        let plan = Planner(
            source: BackendSnapshot(name: "a", capabilities: .lossless, galleries: [gallery]),
            destination: BackendSnapshot(name: "b", capabilities: .lossless, galleries: [copy])
        ).plan()
        #expect(PlanReport.text(plan).contains("Nothing to do"))
    }

    /// A new gallery that only holds other galleries is not "up to date": it does not exist yet.
    @Test func aNewGalleryWithoutItemsSaysSoAndAMatchedOneIsUpToDate() {
        let parent = Gallery(id: "trips", title: "Trips")
        let child = Gallery(id: "trips/rome", title: "Rome", items: [Fixtures.item("a", "a.jpg")], parent: "trips")
        let empty = Gallery(id: "maps", title: "Maps")
        let plan = Planner(
            source: BackendSnapshot(name: "a", capabilities: .lossless, galleries: [parent, child, empty]),
            destination: BackendSnapshot(
                name: "b", capabilities: .lossless, galleries: [Gallery(id: "m", title: "Maps")])
        ).plan()
        let text = PlanReport.text(plan)
        #expect(text.contains("“Trips” (trips) → new gallery: no items of its own"), "\(text)")
        #expect(text.contains("“Maps” (maps) → ") && text.contains(": up to date"), "\(text)")
    }

    @Test func lineProgressPrintsTotalsAndTheLastItem() {
        let output = Mutex<[String]>([])
        let progress = TerminalProgress(style: .lines) { text in output.withLock { $0.append(text) } }
        progress.begin(items: 2, bytes: 2_000)
        progress.transferred(bytes: 1_000)
        progress.itemFinished("a", failed: false)
        progress.transferred(bytes: 1_000)
        progress.itemFinished("b", failed: true)
        progress.end()
        let lines = output.withLock { $0 }
        #expect(lines.first == "transferring 2 items, 2.0 kB\n")
        #expect(lines.last?.hasPrefix("2/2 items  2.0 kB/2.0 kB") == true)
        #expect(lines.last?.contains("1 failed") == true)
    }

    @Test func theETANeverEndsBeforeARateLimitWaitDoes() {
        let output = Mutex<[String]>([])
        let progress = TerminalProgress(
            style: .live, write: { text in output.withLock { $0.append(text) } }, width: { 200 })
        progress.begin(items: 2, bytes: 2_000_000)
        progress.transferred(bytes: 1_000_000)
        progress.itemFinished("a", failed: false)
        progress.waitingForRateLimit(.seconds(40))
        let line = output.withLock { $0.last ?? "" }
        #expect(line.contains("waiting for the rate limit, 40 s"), "\(line)")
        // Half the bytes went in an instant: without the wait the ETA would be 0:00.
        #expect(line.contains("ETA 0:40") || line.contains("ETA 0:39"), "\(line)")
        progress.end()
    }

    @Test func aPhaseHeldUpByTheRateLimitSaysSoInPlainLines() {
        let output = Mutex<[String]>([])
        let progress = TerminalProgress(style: .lines) { text in output.withLock { $0.append(text) } }
        progress.phase(ProgressPhase("listing destination", done: 222, unit: "items"))
        progress.waitingForRateLimit(.seconds(40))
        let lines = output.withLock { $0 }
        #expect(lines.last == "listing destination… 222 items, waiting for the rate limit, 40 s\n", "\(lines)")
    }

    @Test func liveProgressRedrawsOneLineAndClearsIt() {
        let output = Mutex<[String]>([])
        let progress = TerminalProgress(style: .live) { text in output.withLock { $0.append(text) } }
        progress.begin(items: 1, bytes: 10)
        progress.transferred(bytes: 10)
        progress.itemFinished("a", failed: false)
        progress.end()
        let text = output.withLock { $0 }
        #expect(text.allSatisfy { $0.hasPrefix("\r") })
        #expect(text.contains { $0.contains("[####################] 1/1 items") })
        #expect(text.last == "\r\u{1B}[2K")
    }
}
