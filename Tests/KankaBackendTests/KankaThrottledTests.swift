import GalleryConformance
import GalleryCore
import GalleryHTTP
import GallerySandbox
import KankaBackend
import Testing

/// The adapter meeting Kanka's header-less 429 over HTTP (injected by the sandbox in Kanka's own shape).
@Suite struct KankaThrottledTests {
    static let window: Duration = .milliseconds(800)

    @Test func aListingWaitsForTheWindowAfterA429AndGoesOn() async throws {
        var options = KankaEmulator.Options()
        options.rateWindow = Self.window
        try await withKanka(options) { kanka in
            let backend = kanka.backend(window: Self.window)
            var plan = FaultPlan()
            plan.rateLimitNext = 1
            kanka.endpoint.faults.set(plan)
            let started = ContinuousClock.now
            let gallery = try await backend.gallery(KankaBackend.rootGallery)
            #expect(gallery.items.isEmpty)
            // Nothing told the adapter when the window ends: it waited a whole one before trying again.
            #expect(started.duration(to: .now) >= Self.window)
            #expect(await backend.governor.stats.throttled == 1)
            #expect(kanka.endpoint.faults.injectedCounts["rateLimited"] == 1)
        }
    }

    @Test func aRefusedUploadFailsRetryableAndTheNextOneWaits() async throws {
        var options = KankaEmulator.Options()
        options.rateWindow = Self.window
        try await withKanka(options) { kanka in
            let backend = kanka.backend(window: Self.window)
            var plan = FaultPlan()
            plan.rateLimitNext = 1
            kanka.endpoint.faults.set(plan)
            let spec = SyntheticImage.spec("refused.jpg", byteCount: 2_000)
            do {
                _ = try await backend.addItem(
                    to: KankaBackend.rootGallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 2_000, seed: 3))
                Issue.record("an upload answered 429 was reported as stored")
            } catch let error as GalleryError {
                // Upload bodies are streams that cannot be re-read: the caller retries with fresh bytes.
                #expect(error.code == .rateLimited && error.isRetryable)
                #expect((error.retryAfter ?? .zero) > .zero)
            }
            let started = ContinuousClock.now
            let item = try await backend.addItem(
                to: KankaBackend.rootGallery, spec: spec, bytes: SyntheticImage.stream(byteCount: 2_000, seed: 3))
            #expect(started.duration(to: .now) >= Self.window / 2)
            #expect(item.filename == "refused.jpg")
            #expect(try await backend.gallery(KankaBackend.rootGallery).items.count == 1)
        }
    }
}
