import GalleryConformance
import GalleryCore
import GallerySandbox
import KonigleBackend
import Testing

/// The shared conformance suite against the Konigle emulator, over real HTTP on 127.0.0.1, in each mode.
@Suite struct KonigleConformanceTests {
    @Test(arguments: KonigleBackend.Mode.allCases)
    func passesTheSuite(mode: KonigleBackend.Mode) async throws {
        try await withKonigle { fixture in
            var options = ConformanceSuite.Options()
            // The emulator keeps bytes in memory: 6 MB still streams through both sides in many chunks.
            options.largeItemBytes = 6_000_000
            options.mediumItemBytes = 1_000_000
            let report = await ConformanceSuite(options: options) { try fixture.backend(mode) }.run()
            #expect(report.failures.isEmpty, "\(report)")
            // Konigle declares no caption limit, extras, visibilities or size limit, and writes in both modes.
            let skipped: Set = [
                "captions.maxLength", "captions.maxLengthPlusOneRefused", "create.refusedWhereUndeclared",
                "gallery.extras", "gallery.visibility", "limits.maxItemBytes", "write.readOnlyRefuses",
            ]
            #expect(report.skipped == skipped, "\(report)")
            #expect(report.passed == ConformanceSuite.checkNames.subtracting(skipped), "\(report)")
        }
    }
}
