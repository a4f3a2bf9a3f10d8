import GalleryCore
import Testing

@Suite struct ByteStreamTests {
    @Test func patternStreamsAreDeterministicAndChunked() async throws {
        let a = try await SHA256Digester.digest(of: .pattern(count: 1_000_000, seed: 7, chunkSize: 4096))
        let b = try await SHA256Digester.digest(of: .pattern(count: 1_000_000, seed: 7, chunkSize: 100_000))
        let c = try await SHA256Digester.digest(of: .pattern(count: 1_000_000, seed: 8))
        #expect(a.sha256 == b.sha256 && a.byteCount == 1_000_000)
        #expect(a.sha256 != c.sha256)
    }

    @Test func tappedStreamDigestsWhatFlowsThrough() async throws {
        let digester = StreamDigester()
        let bytes = Array("The quick brown fox".utf8)
        let collected = try await ByteStream.bytes(bytes, chunkSize: 3).tapped { digester.update($0) }.collect(
            upTo: 100)
        #expect(collected == bytes)
        #expect(digester.finalize() == SHA256Digester.hex(of: bytes))
        #expect(
            SHA256Digester.hex(of: Array("abc".utf8))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func collectRefusesMoreThanItsLimit() async {
        await #expect(throws: GalleryError.self) {
            _ = try await ByteStream.pattern(count: 10_000).collect(upTo: 9_999)
        }
    }

    @Test func pagedStreamFetchesLazilyAndInOrder() async throws {
        let stream = PagedStream.make(start: 0) { (page: Int) in
            (Array(page * 3..<page * 3 + 3), page < 3 ? page + 1 : nil)
        }
        var seen: [Int] = []
        for try await value in stream { seen.append(value) }
        #expect(seen == Array(0..<12))
    }
}
