import GalleryConformance
import GalleryCore
import InMemoryBackend
import Testing

@Suite struct InMemoryConformanceTests {
    @Test func losslessPassesTheSuite() async {
        let report = await ConformanceSuite { InMemoryBackend() }.run()
        #expect(report.failures.isEmpty, "\(report)")
        #expect(report.checksRun >= 20)
    }

    /// A narrowed backend stands in for a lossy platform: what it does not declare must fail as `unsupported`.
    @Test func narrowedRefusesWhatItDoesNotDeclare() async {
        var caps = Capabilities.lossless
        caps.order = .none
        caps.cover = .none
        caps.captions = false
        caps.altText = false
        caps.itemTitles = false
        caps.translations = false
        caps.nestedGalleries = false
        caps.deletes = false
        caps.maxItemBytes = 6_000_000
        caps.allowedMIMETypes = ["image/jpeg", "image/png"]
        let narrowed = caps
        let report = await ConformanceSuite { InMemoryBackend(capabilities: narrowed) }.run()
        #expect(report.failures.isEmpty, "\(report)")
        let refusals = report.results.filter { $0.detail.contains("refused as unsupported") }
        #expect(
            Set(refusals.map(\.name)) == [
                "metadata.captions", "metadata.altText", "metadata.itemTitles", "gallery.translations", "order",
                "cover.member", "cover.standalone", "nesting", "deletes",
            ])
    }
}
