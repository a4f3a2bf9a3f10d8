import Foundation
import GalleryCore
import GalleryHTTP
import Logging
import Testing

@testable import OmnitcodeBackend

/// A write with no journal mark (its earlier attempts are in another journal) adopts an upload the library holds
/// unreferenced with the same name, size and bytes, instead of leaving it loose beside a second upload; media a
/// gallery links, look-alikes of other bytes and media this backend already used are never taken.
@Suite struct LooseMediaTests {
    /// Remembers marks between attempts, as the engine's journal does.
    actor RememberingCheckpoint: WriteCheckpoint {
        var marks: [String: String] = [:]
        func recorded() async throws -> [String: String] { marks }
        func record(_ name: String, _ value: String) async throws { marks[name] = value }
    }

    @Test func onlyAnUnreferencedUploadOfTheSameBytesIsAdopted() async throws {
        try await withOmnitcodeBackend { fixture in
            let earlier = fixture.backend
            let gallery = try await earlier.createGallery(GallerySpec(title: "Earlier"))
            let loose = try await SampleItem("a.png", size: 3_000, seed: 1)
            let linked = try await SampleItem("c.png", size: 3_000, seed: 3)
            let wanted = try await SampleItem("b.png", size: 3_000, seed: 2)
            let lookalike = try await SampleItem("b.png", size: 3_000, seed: 9)
            // What a run at another address left: `a` and a `b` of other bytes unlinked, `c` linked.
            let stranded = try await earlier.addItem(to: gallery, spec: loose.spec, bytes: loose.stream)
            try await earlier.removeItem(ItemRef(gallery: gallery, item: stranded.id))
            let other = try await earlier.addItem(to: gallery, spec: lookalike.spec, bytes: lookalike.stream)
            try await earlier.removeItem(ItemRef(gallery: gallery, item: other.id))
            let kept = try await earlier.addItem(to: gallery, spec: linked.spec, bytes: linked.stream)
            #expect(try await earlier.mediaLibrary().count == 3)

            let next = try OmnitcodeBackend(
                name: earlier.name, configuration: earlier.configuration, httpClient: fixture.http,
                logger: Logger(label: "omnitcode-test"))
            let target = try await next.createGallery(GallerySpec(title: "Next"))

            let adopted = try await next.addItem(
                to: target, spec: loose.spec, bytes: loose.stream, checkpoint: RememberingCheckpoint())
            #expect(adopted.id == stranded.id && adopted.sha256 == loose.sha256)
            #expect(try await next.mediaLibrary().count == 3, "adopted, not uploaded")

            // The same bytes again in this run: the media is taken, so this is a new upload.
            let twin = try await next.addItem(
                to: target, spec: loose.spec, bytes: loose.stream, checkpoint: RememberingCheckpoint())
            #expect(twin.id != stranded.id)

            let copied = try await next.addItem(
                to: target, spec: linked.spec, bytes: linked.stream, checkpoint: RememberingCheckpoint())
            #expect(copied.id != kept.id, "a gallery links it: never taken")

            let checkpoint = RememberingCheckpoint()
            let refusal = await #expect(throws: GalleryError.self) {
                _ = try await next.addItem(to: target, spec: wanted.spec, bytes: wanted.stream, checkpoint: checkpoint)
            }
            #expect(refusal?.isRetryable == true && refusal?.item == "b.png", "\(String(describing: refusal))")
            let uploaded = try await next.addItem(
                to: target, spec: wanted.spec, bytes: wanted.stream, checkpoint: checkpoint)
            #expect(uploaded.id != other.id && uploaded.sha256 == wanted.sha256)

            #expect(try await next.mediaLibrary().count == 6)
            let items = try await next.gallery(target).items
            #expect(items.map(\.id.rawValue).sorted() == [adopted, twin, copied, uploaded].map(\.id.rawValue).sorted())
        }
    }
}
