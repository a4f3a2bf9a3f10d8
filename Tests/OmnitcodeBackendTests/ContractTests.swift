import AsyncHTTPClient
import GalleryCore
import GallerySandbox
import Logging
import OmnitcodeBackend
import Testing

/// Undeclared capabilities fail as `unsupported`, platform limits as `invalidInput`, before any byte is sent.
@Suite struct ContractTests {
    @Test func capabilitiesAreDeclaredTruthfully() {
        let caps = OmnitcodeBackend.capabilities
        #expect(caps.order == .explicit)
        #expect(caps.cover == .any)
        #expect(caps.maxCaptionLength == 500)
        #expect(caps.maxItemBytes == Int64(10_485_760))
        #expect(caps.allowedMIMETypes?.count == 8)
        #expect(caps.translations && caps.altText && caps.captions)
        #expect(!caps.nestedGalleries && !caps.itemTitles && !caps.extras)
        #expect(caps.digests.isEmpty)
    }

    @Test func undeclaredCapabilitiesThrowUnsupported() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let id = try await backend.createGallery(GallerySpec(title: "Caps"))
            let nested = await #expect(throws: GalleryError.self) {
                try await backend.createGallery(GallerySpec(title: "Child", parent: id))
            }
            #expect(nested?.code == .unsupported)
            #expect(nested?.capability == .nestedGalleries)

            let sample = try await SampleItem("t.png", size: 10, seed: 1)
            var titled = sample.spec
            titled.metadata.title = "A title"
            let title = await #expect(throws: GalleryError.self) {
                try await backend.addItem(to: id, spec: titled, bytes: sample.stream)
            }
            #expect(title?.code == .unsupported)
            #expect(title?.capability == .itemTitles)

            let extras = await #expect(throws: GalleryError.self) {
                try await backend.updateGallery(id, GalleryChanges(extra: ["x": .string("y")]))
            }
            #expect(extras?.capability == .extras)
        }
    }

    @Test func platformLimitsAreRefusedBeforeUploading() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let id = try await backend.createGallery(GallerySpec(title: "Limits"))
            let heic = ItemSpec(filename: "IMG.HEIC", mimeType: "image/heic", byteCount: 10)
            let type = await #expect(throws: GalleryError.self) {
                try await backend.addItem(to: id, spec: heic, bytes: .bytes(Array(repeating: 1, count: 10)))
            }
            #expect(type?.code == .invalidInput)
            #expect(type?.message.contains("allowed types") == true)

            let huge = ItemSpec(filename: "big.png", mimeType: "image/png", byteCount: 12 * 1024 * 1024)
            let size = await #expect(throws: GalleryError.self) {
                try await backend.addItem(to: id, spec: huge, bytes: .pattern(count: 12 * 1024 * 1024))
            }
            #expect(size?.code == .invalidInput)

            var long = try await SampleItem("c.png", size: 10, seed: 2).spec
            long.metadata.caption = String(repeating: "c", count: 501)
            let caption = await #expect(throws: GalleryError.self) {
                try await backend.addItem(to: id, spec: long, bytes: .bytes(Array(repeating: 1, count: 10)))
            }
            #expect(caption?.code == .invalidInput)
            #expect(try await backend.gallery(id).items.isEmpty)
        }
    }

    @Test func expiredTokensAreRefreshedOnceEvenUnderConcurrency() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo)) { fixture in
            let backend = fixture.backend
            let ids = try await backend.allGalleries().map(\.id)
            try await fixture.admin("/__sandbox/omnitcode/expire-tokens")
            // Eight tasks hit the 401 together; rotating refresh tokens only survive one serialized refresh.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask { try await backend.gallery(ids[index % ids.count]).items.count }
                }
                var total = 0
                for try await count in group { total += count }
                #expect(total == 12)
            }
            try await fixture.admin("/__sandbox/omnitcode/expire-tokens")
            #expect(try await backend.gallery(ids[0]).id == ids[0])
        }
    }

    @Test func aWrongPasswordIsAnAuthErrorThatDoesNotQuoteIt() async throws {
        try await withOmnitcodeBackend(password: "definitely-wrong-pw") { fixture in
            let error = await #expect(throws: GalleryError.self) { try await fixture.backend.allGalleries() }
            #expect(error?.code == .auth)
            #expect(error?.httpStatus == 401)
            #expect(error?.serverMessage == "Invalid email or password")
            let text = "\(String(describing: error)) \(error?.hint ?? "")"
            #expect(!text.contains("definitely-wrong-pw"))
        }
    }

    @Test func descriptorBuildsFromARemoteAndChecksCredentials() async throws {
        try await withOmnitcodeBackend(.init(seed: .demo)) { fixture in
            let registry = BackendRegistry([OmnitcodeBackend.descriptor(httpClient: fixture.http)])
            var options = Dictionary(fixture.endpoint.credentials.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
            options["url"] = fixture.endpoint.baseURL
            let backend = try await registry.makeBackend(
                for: RemoteConfig(name: "sandbox-omnitcode", type: "omnitcode", options: options),
                logger: Logger(label: "t"))
            #expect(try await backend.allGalleries().count == 2)
            #expect(registry.descriptor(named: "omnitcode")?.secretOptionNames == ["password", "token"])

            let error = await #expect(throws: GalleryError.self) {
                try await registry.makeBackend(
                    for: RemoteConfig(name: "x", type: "omnitcode", options: ["url": fixture.endpoint.baseURL]),
                    logger: Logger(label: "t"))
            }
            #expect(error?.code == .configuration)
        }
    }
}

extension ContractTests {
    @Test func anUploadRefusedForAnExpiredLoginIsRetryableAndTheRetryWorks() async throws {
        try await withOmnitcodeBackend { fixture in
            let backend = fixture.backend
            let id = try await backend.createGallery(GallerySpec(title: "Expired upload"))
            // A first write lists the library (once per backend), so the expired login meets the upload itself.
            let first = try await SampleItem("early.png", size: 1_000, seed: 3)
            _ = try await backend.addItem(to: id, spec: first.spec, bytes: first.stream)
            try await fixture.admin("/__sandbox/omnitcode/expire-tokens")
            let sample = try await SampleItem("late.png", size: 2_000, seed: 4)
            let error = await #expect(throws: GalleryError.self) {
                try await backend.addItem(to: id, spec: sample.spec, bytes: sample.stream)
            }
            #expect(error?.code == .auth)
            #expect(error?.isRetryable == true)
            // The caller retries with a fresh stream; the session was renewed in between.
            let item = try await backend.addItem(to: id, spec: sample.spec, bytes: sample.stream)
            #expect(item.sha256 == sample.sha256)
            #expect(try await backend.gallery(id).items.count == 2)
        }
    }
}
