import AsyncHTTPClient
import GalleryCore
import GallerySandbox
import GalleryTestSupport
import OmnitcodeBackend
import Testing

/// The adapter under the emulator's injected faults: retried where safe, typed errors where not.
@Suite struct FaultToleranceTests {
    @Test func rateLimitBurstsAndServerErrorsOnReadsAreRetried() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo)) { fixture in
            let ids = try await fixture.backend.allGalleries().map(\.id)
            var plan = FaultPlan()
            plan.rateLimitNext = 2
            plan.serverErrorNext = 1
            fixture.endpoint.faults.set(plan)
            let gallery = try await fixture.backend.gallery(ids[0])
            #expect(gallery.id == ids[0])
            #expect(fixture.endpoint.faults.injectedCounts == ["rateLimited": 2, "serverError": 1])
            // Omnitcode's 429 has no Retry-After: exponential backoff, on the test clock.
            #expect(fixture.clock.sleeps.count == 3)
        }
    }

    @Test func aMalformedAnswerToAReadIsRetriedThenACorruptResponse() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo)) { fixture in
            let id = try await fixture.backend.allGalleries()[0].id
            var plan = FaultPlan()
            plan.malformedJSONNext = 1
            fixture.endpoint.faults.set(plan)
            #expect(try await fixture.backend.gallery(id).id == id)
            // More malformed answers than the request may be sent: the last one is reported.
            plan.malformedJSONNext = 4
            fixture.endpoint.faults.set(plan)
            let error = await #expect(throws: GalleryError.self) { try await fixture.backend.gallery(id) }
            #expect(error?.code == .corruptResponse)
            #expect(error?.message.contains("GET /api/v1/galleries/") == true)
            #expect(error?.serverMessage?.isEmpty == false)
        }
    }

    @Test func aCutDownloadNeverPassesForComplete() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo)) { fixture in
            let summary = try #require(try await fixture.backend.allGalleries().first { $0.title == "Harbour walk" })
            let item = try #require(try await fixture.backend.gallery(summary.id).items.first)
            var plan = FaultPlan()
            plan.cutBodyNext = 1
            plan.pathPrefix = "/uploads/"
            fixture.endpoint.faults.set(plan)
            // The download is cut half-way: it fails rather than come back short.
            await #expect(throws: GalleryError.self) {
                _ = try await SHA256Digester.digest(
                    of: try await fixture.backend.openItem(ItemRef(gallery: summary.id, item: item.id)))
            }
            let whole = try await SHA256Digester.digest(
                of: try await fixture.backend.openItem(ItemRef(gallery: summary.id, item: item.id)))
            #expect(whole.byteCount == item.byteCount)
        }
    }

    @Test func uploadsAreNotRepeatedOnServerErrors() async throws {
        try await withOmnitcodeBackend { fixture in
            let id = try await fixture.backend.createGallery(GallerySpec(title: "No dupes"))
            var plan = FaultPlan()
            plan.serverErrorNext = 1
            // The upload itself (the write first lists the library, a read that is simply sent again).
            plan.pathPrefix = "/api/v1/media/upload"
            fixture.endpoint.faults.set(plan)
            let sample = try await SampleItem("x.png", size: 100, seed: 1)
            let error = await #expect(throws: GalleryError.self) {
                try await fixture.backend.addItem(to: id, spec: sample.spec, bytes: sample.stream)
            }
            #expect(error?.code == .server)
            #expect(error?.isRetryable == true)
            #expect(try await fixture.backend.gallery(id).items.isEmpty)
        }
    }
}

extension FaultToleranceTests {
    @Test func aCutJSONReadIsRetried() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo)) { fixture in
            let id = try await fixture.backend.allGalleries()[0].id
            var plan = FaultPlan()
            plan.cutBodyNext = 2
            fixture.endpoint.faults.set(plan)
            #expect(try await fixture.backend.gallery(id).id == id)
            #expect(fixture.endpoint.faults.injectedCounts["cutBody"] == 2)
        }
    }
}
