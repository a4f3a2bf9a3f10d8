import GalleryConformance
import GalleryCore
import GallerySandbox
import KankaBackend
import Testing

@Suite struct KankaConformanceTests {
    @Test func passesTheSuiteAgainstTheEmulator() async throws {
        var options = KankaEmulator.Options()
        // The suite is not about pacing: a budget it never reaches.
        options.rateLimit = 100_000
        try await withKanka(options) { kanka in
            let folder = try await kanka.emulator.createFolder(name: "Conformance")
            var suite = ConformanceSuite.Options()
            suite.existingGallery = GalleryID(folder)
            suite.mediumItemBytes = 2_500_000
            let report = await ConformanceSuite(options: suite) { kanka.backend() }.run()
            #expect(report.failures.isEmpty, "\(report)")
            #expect(report.checksRun >= 20)
        }
    }
}
