import GalleryCore
import GalleryMigration
import InMemoryBackend
import Synchronization
import Testing

/// Progress counts each byte of an item once, however many attempts read it.
@Suite struct ProgressCountTests {
    final class RecordingProgress: ProgressReporter {
        private let state = Mutex((planned: Int64(0), transferred: Int64(0)))
        var planned: Int64 { state.withLock { $0.planned } }
        var transferred: Int64 { state.withLock { $0.transferred } }
        func begin(items: Int, bytes: Int64) { state.withLock { $0.planned = bytes } }
        func transferred(bytes: Int) { state.withLock { $0.transferred += Int64(bytes) } }
        func itemFinished(_ name: String, failed: Bool) {}
        func end() {}
    }

    @Test func anItemReadThreeTimesCountsItsBytesOnce() async throws {
        let source = try await Fixtures.source(galleries: 1, items: 6)
        let destination = FlakyBackend(InMemoryBackend(name: "destination"))
        // Read whole, then the answer is lost: twice, before the third attempt succeeds.
        destination.fail(
            "img-2.jpg", times: 2, when: .afterWrite,
            with: GalleryError(.transport, "connection reset", isRetryable: true))
        let progress = RecordingProgress()
        let (_, result) = try await Migration.copy(
            source: source, destination: destination, journal: try Fixtures.journal(),
            options: MigrationOptions(retry: .immediate), progress: progress, logger: Fixtures.logger)
        #expect(result.summary.failures == 0)
        #expect(destination.addItemCalls == 8)
        #expect(progress.planned > 0)
        #expect(progress.transferred == progress.planned)
    }
}
