import Foundation
public import GalleryCore

/// The checks every backend passes: declared capabilities work, undeclared ones fail as `unsupported`.
///
/// Point it at a fresh backend (an emulator on an ephemeral port, a temp folder) and read the report:
/// ```swift
/// let report = await ConformanceSuite(makeBackend: { try LocalBackend(root: temp) }).run()
/// #expect(report.failures.isEmpty, "\(report)")
/// ```
/// Like rclone's fstests, but both directions are checked: a capability the backend does not declare must be
/// refused with ``GalleryError/Code/unsupported`` naming it, never silently dropped.
public struct ConformanceSuite: Sendable {
    public struct Options: Sendable {
        /// Item sizes for the byte round trips; the largest is streamed, never held in memory by the suite.
        public var smallItemBytes: Int64 = 1_000
        public var mediumItemBytes: Int64 = 5_000_000
        public var largeItemBytes: Int64 = 60_000_000
        /// Galleries created to exercise listing across pages.
        public var listingGalleries = 5
        /// For a backend that cannot create galleries (Kanka): an existing gallery the checks may write into.
        public var existingGallery: GalleryID?

        public init() {}
    }

    public let makeBackend: @Sendable () async throws -> any GalleryBackend
    public var options: Options

    public init(options: Options = Options(), makeBackend: @escaping @Sendable () async throws -> any GalleryBackend) {
        self.options = options
        self.makeBackend = makeBackend
    }

    /// Runs every check, each on a backend from `makeBackend`, and reports all outcomes (it never stops at the
    /// first failure).
    public func run() async -> ConformanceReport {
        var results: [ConformanceReport.Result] = []
        var backendName = "?"
        for check in checks {
            do {
                let backend = try await makeBackend()
                backendName = backend.name
                // The checks hold the instance to what it resolves to (at most what its type declares).
                let context = CheckContext(
                    backend: backend, caps: try await backend.resolvedCapabilities(), options: options,
                    runID: String(UUID().uuidString.prefix(8)))
                let proof = try await check.body(context)
                results.append(.init(name: check.name, outcome: .passed, detail: proof))
            } catch let skip as CheckSkipped {
                results.append(.init(name: check.name, outcome: .skipped, detail: skip.description))
            } catch {
                results.append(.init(name: check.name, outcome: .failed, detail: String(describing: error)))
            }
        }
        return ConformanceReport(backend: backendName, results: results)
    }

    struct Check: Sendable {
        var name: String
        var body: @Sendable (CheckContext) async throws -> String
    }

    var checks: [Check] { Self.allChecks }

    static var allChecks: [Check] {
        readChecks + byteChecks + metadataChecks + structureChecks + limitChecks
    }

    /// The name of every check, so a backend's test can assert exactly which pass and which are skipped.
    public static var checkNames: Set<String> { Set(allChecks.map(\.name)) }
}

/// What one check works with.
struct CheckContext: Sendable {
    let backend: any GalleryBackend
    /// The instance's resolved capabilities.
    let caps: Capabilities
    let options: ConformanceSuite.Options
    let runID: String

    /// A gallery to write into: a new one where the backend creates galleries, else the configured one.
    func scratchGallery(_ label: String) async throws -> GalleryID {
        if caps.createGalleries {
            return try await backend.createGallery(GallerySpec(title: "conformance \(label) \(runID)"))
        }
        if let existing = options.existingGallery { return existing }
        guard let first = try await backend.allGalleries().first else {
            throw CheckFailure("the backend cannot create galleries and none exists; set Options.existingGallery")
        }
        return first.id
    }

    /// Adds a synthetic JPEG and returns the stored item.
    func addImage(
        to gallery: GalleryID,
        name: String,
        bytes: Int64 = 1_000,
        seed: UInt64,
        metadata: ItemMetadata = ItemMetadata()
    ) async throws -> Item {
        let spec = SyntheticImage.spec("\(runID)-\(name).jpg", byteCount: bytes, metadata: metadata)
        return try await backend.addItem(
            to: gallery, spec: spec, bytes: SyntheticImage.stream(byteCount: bytes, seed: seed))
    }

    /// The stored item with this id, read back through `gallery(_:)`.
    func reread(_ item: Item, in gallery: GalleryID) async throws -> Item {
        guard let found = try await backend.gallery(gallery).items.first(where: { $0.id == item.id }) else {
            throw CheckFailure("item \(item.id) (\(item.filename)) is missing when the gallery is read back")
        }
        return found
    }

    /// Runs `body` and requires it to fail as `unsupported` naming `capability`.
    func expectUnsupported(_ capability: Capability, _ body: () async throws -> Void) async throws -> String {
        do {
            try await body()
        } catch let error as GalleryError where error.code == .unsupported {
            guard error.capability == capability else {
                throw CheckFailure(
                    "unsupported error names \(error.capability?.rawValue ?? "nothing"), expected \(capability)")
            }
            return "undeclared \(capability) refused as unsupported"
        }
        throw CheckFailure("\(capability) is not declared, yet the call succeeded (data would be lost silently)")
    }
}

func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    guard actual == expected else { throw CheckFailure("\(what): expected \(expected), got \(actual)") }
}
