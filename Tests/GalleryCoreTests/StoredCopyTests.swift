import GalleryCore
import Synchronization
import Testing

/// Looking for what a write whose answer was lost stored: "not found" lets the caller send the bytes again, so it
/// must never come from a download that was cut short.
@Suite struct StoredCopyTests {
    static let source: [UInt8] = (0..<5_000).map { UInt8($0 % 251) }
    static let sha256 = SHA256Digester.hex(of: source)

    /// Reads a candidate as the queued answers say, one per read, counting the reads.
    final class Downloads: Sendable {
        private let answers: Mutex<[[UInt8]]>
        private let reads = Mutex(0)
        init(_ answers: [[UInt8]]) { self.answers = Mutex(answers) }
        var count: Int { reads.withLock { $0 } }
        func next() -> ByteStream {
            reads.withLock { $0 += 1 }
            return .bytes(answers.withLock { $0.count > 1 ? $0.removeFirst() : $0[0] })
        }
    }

    func match(_ downloads: Downloads) async throws -> Int? {
        try await StoredCopy.match(
            [1], sha256: Self.sha256, byteCount: Int64(Self.source.count), backend: "kanka", item: "a.jpg"
        ) { _ in downloads.next() }
    }

    @Test func theSourcesBytesAreFoundInOneRead() async throws {
        let downloads = Downloads([Self.source])
        #expect(try await match(downloads) == 1)
        #expect(downloads.count == 1)
    }

    /// A body that ended early without saying so (the service's size is coarse, like Kanka's KiB) is read
    /// again, and the second, whole read finds the copy.
    @Test func aShortReadIsReadAgainAndFound() async throws {
        let downloads = Downloads([Array(Self.source.prefix(2_500)), Self.source])
        #expect(try await match(downloads) == 1)
        #expect(downloads.count == 2)
    }

    /// Two reads that disagree cannot tell whether the copy is there: a retryable error, never "not found".
    @Test func readsThatDisagreeAreAFailedSearchNotAnAbsentCopy() async throws {
        let downloads = Downloads([Array(Self.source.prefix(2_500)), Array(Self.source.prefix(4_000))])
        let error = await #expect(throws: GalleryError.self) { _ = try await match(downloads) }
        #expect(error?.code == .transport && error?.isRetryable == true, "\(String(describing: error))")
        #expect(error?.item == "a.jpg")
    }

    /// A look-alike of another length, read the same twice, is another file: not found.
    @Test func aLookAlikeReadTheSameTwiceIsAnotherFile() async throws {
        let other: [UInt8] = (0..<4_900).map { UInt8($0 % 13) }
        let downloads = Downloads([other])
        #expect(try await match(downloads) == nil)
        #expect(downloads.count == 2)
    }

    /// Other bytes of the same length are another file after one read.
    @Test func otherBytesOfTheSameLengthAreAnotherFile() async throws {
        let downloads = Downloads([Self.source.reversed()])
        #expect(try await match(downloads) == nil)
        #expect(downloads.count == 1)
    }
}
