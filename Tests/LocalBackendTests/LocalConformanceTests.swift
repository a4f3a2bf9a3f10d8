import Foundation
import GalleryConformance
import LocalBackend
import Testing

@Suite struct LocalConformanceTests {
    @Test func passesTheSuite() async throws {
        let root = try TemporaryFolder()
        let report = await ConformanceSuite { try LocalBackend(root: root.path + "/" + UUID().uuidString) }.run()
        #expect(report.failures.isEmpty, "\(report)")
        #expect(report.checksRun >= 20)
    }
}
