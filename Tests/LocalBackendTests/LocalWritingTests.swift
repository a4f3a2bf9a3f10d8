import Foundation
import GalleryConformance
import GalleryCore
import Testing

@testable import LocalBackend

/// New files are written unnamed (or as hidden temp files where the system has no anonymous files) and named
/// only when complete: both ways must pass the suite and leave nothing behind on failure.
@Suite struct LocalWritingTests {
    @Test(arguments: [true, false]) func passesTheSuiteEitherWay(anonymous: Bool) async throws {
        let folder = try TemporaryFolder()
        let report = await ConformanceSuite {
            try LocalBackend(root: folder.path + "/" + UUID().uuidString, anonymousFiles: anonymous)
        }.run()
        #expect(report.failures.isEmpty, "\(report)")
        #expect(report.skipped == LocalConformanceTests.skipped, "\(report)")
    }

    @Test(arguments: [true, false]) func aShortStreamLeavesNoFileHiddenOrNot(anonymous: Bool) async throws {
        let folder = try TemporaryFolder()
        let backend = try LocalBackend(root: folder.path, anonymousFiles: anonymous)
        let gallery = try await backend.createGallery(GallerySpec(title: "g"))
        let spec = ItemSpec(filename: "a.jpg", mimeType: "image/jpeg", byteCount: 5_000)
        await #expect(throws: GalleryError.self) {
            _ = try await backend.addItem(to: gallery, spec: spec, bytes: .bytes(Array(repeating: 1, count: 4_000)))
        }
        // Hidden names too: a temp file left behind would start with a dot.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/g") == ["gallery.json"])

        let stored = try await backend.addItem(
            to: gallery, spec: spec, bytes: .bytes(Array(repeating: 1, count: 5_000)))
        try await backend.flush()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.path + "/g").sorted() == [
                "a.jpg", "gallery.json",
            ])
        #expect(stored.byteCount == 5_000)
    }

    @Test(arguments: [true, false]) func aNameTakenMeanwhileIsNeverOverwritten(anonymous: Bool) async throws {
        let folder = try TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.path + "/d", withIntermediateDirectories: true)
        let writer = try StreamedFileWriter(directory: folder.path + "/d", backend: "local", anonymous: anonymous)
        _ = try await writer.write(.bytes([1, 2, 3]))
        try folder.write("d/taken.jpg", bytes: [9])
        #expect(try writer.commit(as: folder.path + "/d/taken.jpg", replacing: false) == false)
        #expect(FileManager.default.contents(atPath: folder.path + "/d/taken.jpg") == Data([9]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/d") == ["taken.jpg"])

        let replacer = try StreamedFileWriter(directory: folder.path + "/d", backend: "local", anonymous: anonymous)
        _ = try await replacer.write(.bytes([4, 5]))
        #expect(try replacer.commit(as: folder.path + "/d/taken.jpg", replacing: true))
        #expect(FileManager.default.contents(atPath: folder.path + "/d/taken.jpg") == Data([4, 5]))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/d") == ["taken.jpg"])
    }
}
