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
            #expect(report.checksRun >= 20)
            print("konigle \(mode.rawValue): \(report.checksRun) checks, \(report.failures.count) failed")
        }
    }
}
