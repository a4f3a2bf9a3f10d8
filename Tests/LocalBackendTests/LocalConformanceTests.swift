import Foundation
import GalleryConformance
import GalleryCore
import LocalBackend
import Testing

@Suite struct LocalConformanceTests {
    @Test func passesTheSuite() async throws {
        let root = try TemporaryFolder()
        let report = await ConformanceSuite { try LocalBackend(root: root.path + "/" + UUID().uuidString) }.run()
        #expect(report.failures.isEmpty, "\(report)")
        #expect(report.skipped == Self.skipped, "\(report)")
        #expect(report.passed == ConformanceSuite.checkNames.subtracting(Self.skipped), "\(report)")
    }

    /// What a lossless folder has no limit for, or does not apply to a writable backend.
    static let skipped: Set = [
        "captions.maxLength", "captions.maxLengthPlusOneRefused", "create.refusedWhereUndeclared",
        "limits.maxItemBytes", "limits.mimeTypes", "write.readOnlyRefuses",
    ]

    /// A Local source reads a file whose size is no multiple of 1,024 exactly (a source-side check: the
    /// suite's listed-size check writes through the backend).
    @Test func readsAnOddSizedFileExactly() async throws {
        let root = try TemporaryFolder()
        try root.write("g/odd.jpg", bytes: Array(repeating: 7, count: 4_321))
        let backend = try LocalBackend(root: root.path, create: false)
        let item = try #require(try await backend.gallery("g").items.first)
        #expect(item.byteCount == 4_321)
        let read = try await SHA256Digester.digest(of: backend.openItem(ItemRef(gallery: "g", item: item.id)))
        #expect(read.byteCount == 4_321)
    }
}
