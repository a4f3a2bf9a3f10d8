import GalleryConformance
import GalleryCore
import InMemoryBackend
import Testing

@Suite struct InMemoryConformanceTests {
    @Test func losslessPassesTheSuite() async {
        let report = await ConformanceSuite { InMemoryBackend() }.run()
        #expect(report.failures.isEmpty, "\(report)")
        let skipped: Set = [
            "captions.maxLength", "captions.maxLengthPlusOneRefused", "create.refusedWhereUndeclared",
            "limits.maxItemBytes", "limits.mimeTypes", "write.readOnlyRefuses",
        ]
        #expect(report.skipped == skipped, "\(report)")
        #expect(report.passed == ConformanceSuite.checkNames.subtracting(skipped), "\(report)")
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
        let skipped: Set = [
            "bytes.largeStreamed", "captions.maxLength", "captions.maxLengthPlusOneRefused",
            "create.refusedWhereUndeclared", "write.readOnlyRefuses",
        ]
        #expect(report.skipped == skipped, "\(report)")
        #expect(report.passed == ConformanceSuite.checkNames.subtracting(skipped), "\(report)")
        let refusals = report.results.filter { $0.detail.contains("refused as unsupported") }
        #expect(
            Set(refusals.map(\.name)) == [
                "metadata.captions", "metadata.altText", "metadata.itemTitles", "gallery.translations", "order",
                "cover.member", "cover.standalone", "nesting", "deletes",
            ])
    }
}

/// The suite's own honesty: it fails a backend whose instance claims more than its type declares, and it
/// holds a backend to what its instance resolves to.
@Suite struct ConformanceHonestyTests {
    @Test func resolvedCapabilitiesWiderThanDeclaredFail() async {
        var narrowed = Capabilities.lossless
        narrowed.captions = false
        let declared = narrowed
        let report = await ConformanceSuite {
            InMemoryBackend(capabilities: declared, resolvedCapabilities: .lossless)
        }.run()
        #expect(report.failures.map(\.name).contains("capabilities.resolvedWithinDeclared"), "\(report)")
    }

    @Test func aSkippedCheckIsNeverCountedAsPassed() async {
        let report = await ConformanceSuite { InMemoryBackend() }.run()
        #expect(!report.skipped.isEmpty)
        #expect(report.passed.isDisjoint(with: report.skipped))
        #expect(report.results.allSatisfy { $0.outcome != .skipped || !$0.passed })
    }
}
