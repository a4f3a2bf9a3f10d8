import Foundation
import GalleryCore
import GalleryMigration
import Testing

struct JournalTests {
    @Test func statesSurviveReopeningAndBecomeMappings() async throws {
        let path = Fixtures.temporaryPath("j.sqlite")
        do {
            let journal = try Journal(path: path, source: "a", destination: "b")
            let gallery = StepKey(.createGallery, gallery: "s1")
            try await journal.record(.attempt, for: gallery)
            try await journal.record(.succeed(destination: "d1"), for: gallery)
            let done = StepKey(.upload, gallery: "s1", item: "i1")
            try await journal.record(.attempt, for: done)
            try await journal.record(.succeed(destination: "x1"), for: done, destinationGallery: "d1")
            try await journal.record(.attempt, for: StepKey(.upload, gallery: "s1", item: "i2"))
        }
        let reopened = try Journal(path: path, source: "a", destination: "b")
        let mappings = try await reopened.mappings()
        #expect(mappings.galleries == ["s1": "d1"])
        #expect(mappings.items == [ItemRef(gallery: "s1", item: "i1"): ItemRef(gallery: "d1", item: "x1")])
        #expect(mappings.pendingItems == [ItemRef(gallery: "s1", item: "i2")])
        #expect(try await reopened.state(of: StepKey(.upload, gallery: "s1", item: "i2")) == .intent(attempts: 1))
        #expect(try await reopened.stateCounts() == ["done": 2, "intent": 1])
    }

    /// What the source item looked like is kept with the mapping, and a later move without one keeps it.
    @Test func sourceFingerprintsSurviveReopening() async throws {
        let path = Fixtures.temporaryPath("j.sqlite")
        let key = StepKey(.upload, gallery: "s1", item: "i1")
        let fingerprint = SourceFingerprint(
            byteCount: 9_000, sha256: "ab", modified: Date(timeIntervalSince1970: 1_700_000_000.25))
        do {
            let journal = try Journal(path: path, source: "a", destination: "b")
            try await journal.record(.attempt, for: key)
            try await journal.record(
                .succeed(destination: "x1"), for: key, destinationGallery: "d1", fingerprint: fingerprint)
        }
        let reopened = try Journal(path: path, source: "a", destination: "b")
        let ref = ItemRef(gallery: "s1", item: "i1")
        #expect(try await reopened.mappings().fingerprints[ref] == fingerprint)
        try await reopened.record(.destinationVanished, for: key)
        try await reopened.record(.matched(destination: "x2"), for: key, destinationGallery: "d1")
        #expect(try await reopened.mappings().fingerprints[ref] == fingerprint)
    }

    /// Group commit: a move into intent is on disk when `record` returns; other moves wait for the next commit.
    @Test func intentsAreOnDiskAtOnceOtherMovesAtTheNextCommit() async throws {
        let path = Fixtures.temporaryPath("j.sqlite")
        let writer = try Journal(path: path, source: "a", destination: "b")
        let reader = try Journal(path: path, source: "a", destination: "b", exclusive: false)
        let first = StepKey(.upload, gallery: "g", item: "1")
        let second = StepKey(.upload, gallery: "g", item: "2")

        try await writer.record(.attempt, for: first)
        #expect(try await reader.stateCounts() == ["intent": 1])

        try await writer.record(.succeed(destination: "d1"), for: first, destinationGallery: "dg")
        try await writer.record(.attempt, for: second, deferCommit: true)
        #expect(try await writer.state(of: first) == .done(destination: "d1"))
        #expect(try await reader.stateCounts() == ["intent": 1])

        try await writer.commit()
        #expect(try await reader.stateCounts() == ["done": 1, "intent": 1])
        #expect(
            try await reader.mappings().items[ItemRef(gallery: "g", item: "1")] == ItemRef(gallery: "dg", item: "d1"))
    }

    /// Many tasks recording and committing at once: every step ends in its last state, none lost or reordered.
    @Test func concurrentMovesLandInTheOrderTheyWereMade() async throws {
        let path = Fixtures.temporaryPath("j.sqlite")
        do {
            let journal = try Journal(path: path, source: "a", destination: "b")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<8 {
                    group.addTask {
                        for index in 0..<50 {
                            let key = StepKey(.upload, gallery: "g", item: ItemID("\(task)-\(index)"))
                            try await journal.record(.attempt, for: key)
                            try await journal.record(.fail(message: "x"), for: key)
                            try await journal.record(.attempt, for: key, deferCommit: index % 2 == 0)
                            try await journal.record(.succeed(destination: "d\(task)-\(index)"), for: key)
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Dropped without a final commit: releasing the journal writes what was queued.
        let reopened = try Journal(path: path, source: "a", destination: "b")
        #expect(try await reopened.stateCounts() == ["done": 400])
        #expect(
            try await reopened.state(of: StepKey(.upload, gallery: "g", item: "7-49")) == .done(destination: "d7-49"))
    }

    @Test func anIllegalMoveIsNotWritten() async throws {
        let journal = try Fixtures.journal()
        let key = StepKey(.upload, gallery: "g", item: "i")
        try await journal.record(.attempt, for: key)
        await #expect(throws: GalleryError.self) { try await journal.record(.attempt, for: key) }
        #expect(try await journal.state(of: key) == .intent(attempts: 1))
    }

    @Test func aJournalBelongsToOnePair() async throws {
        let path = Fixtures.temporaryPath("j.sqlite")
        _ = try Journal(path: path, source: "a", destination: "b")
        #expect(throws: GalleryError.self) { try Journal(path: path, source: "a", destination: "c") }
    }

    @Test func theDefaultPathIsPerPairUnderTheStateFolder() {
        let environment = ["HOME": "/home/u"]
        let one = Journal.defaultPath(source: "local:/a", destination: "omnitcode:", environment: environment)
        let two = Journal.defaultPath(source: "local:/b", destination: "omnitcode:", environment: environment)
        #expect(one.hasPrefix("/home/u/.local/state/gallery-hub/"))
        #expect(one.hasSuffix(".sqlite"))
        #expect(one != two)
        #expect(
            Journal.defaultPath(source: "x", destination: "y", environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"])
                .hasPrefix("/s/gallery-hub/"))
    }
}

struct JournalLockTests {
    @Test func oneRunAtATimeButReadersMayLook() async throws {
        let path = Fixtures.temporaryPath("j.sqlite")
        var first: Journal? = try Journal(path: path, source: "a", destination: "b")
        let error = #expect(throws: GalleryError.self) { try Journal(path: path, source: "a", destination: "b") }
        #expect(error?.code == .conflict)
        let reader = try Journal(path: path, source: "a", destination: "b", exclusive: false)
        #expect(try await reader.mappings() == .empty)
        _ = first
        first = nil
        _ = try Journal(path: path, source: "a", destination: "b")
    }
}
