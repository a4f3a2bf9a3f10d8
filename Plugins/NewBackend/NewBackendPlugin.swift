import Foundation
import PackagePlugin

/// `swift package new-backend NAME [--type TYPE]`: scaffolds a GalleryHub backend module and its conformance test
/// in the package it runs in, so a platform can be added without editing GalleryHub.
///
/// The module starts as a working stand-in that keeps galleries in memory, so its conformance test passes from the
/// first build; the generated doc comment says how to replace it with the platform's API step by step. The plugin
/// never edits Package.swift: it prints the target declarations to add, naming GalleryHub's products as this
/// package depends on them.
@main
struct NewBackendPlugin: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        var extractor = ArgumentExtractor(arguments)
        let typeOption = extractor.extractOption(named: "type").last
        guard let name = extractor.remainingArguments.first, extractor.remainingArguments.count == 1 else {
            throw ScaffoldError("usage: swift package new-backend NAME [--type TYPE]   (NAME like Flickr)")
        }
        let scaffold = try BackendScaffold(name: name, type: typeOption, package: context.package)
        let written = try scaffold.write()
        print("Wrote:")
        for path in written { print("  \(path)") }
        print(
            """

            Add these targets to Package.swift (`targets: [...]`), then run `swift test`:
            \(BackendScaffold.beginMarker)
            \(scaffold.targetDeclarations)
            \(BackendScaffold.endMarker)
            """)
    }
}

/// A refusal the user can act on.
struct ScaffoldError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The files of one new backend and the manifest lines that declare them.
struct BackendScaffold {
    static let beginMarker = "// --- new-backend targets ---"
    static let endMarker = "// --- end of new-backend targets ---"

    /// The Swift type prefix (`Flickr`), and the remote type users write (`flickr`).
    let name: String
    let type: String
    let sourcesFolder: URL
    let testsFolder: URL
    /// How the manifest names a GalleryHub library: a product of the dependency, or a target of GalleryHub itself.
    let reference: (String) -> String

    init(name: String, type: String?, package: Package) throws {
        guard let first = name.unicodeScalars.first, CharacterSet.uppercaseLetters.contains(first),
            name.unicodeScalars.allSatisfy({ CharacterSet.alphanumerics.contains($0) && $0.isASCII })
        else {
            throw ScaffoldError("NAME must be an ASCII identifier starting with a capital letter, like Flickr")
        }
        self.name = name
        self.type = type ?? name.lowercased()
        let root = package.directoryURL
        if package.displayName == "GalleryHub" {
            sourcesFolder = root.appendingPathComponent("Sources/Backends/\(name)Backend")
            reference = { "\"\($0)\"" }
        } else {
            guard let hub = package.dependencies.first(where: { $0.package.displayName == "GalleryHub" }) else {
                throw ScaffoldError(
                    "This package does not depend on GalleryHub: add it to `dependencies` first")
            }
            sourcesFolder = root.appendingPathComponent("Sources/\(name)Backend")
            let identity = hub.package.id
            reference = { ".product(name: \"\($0)\", package: \"\(identity)\")" }
        }
        testsFolder = root.appendingPathComponent("Tests/\(name)BackendTests")
    }

    var targetDeclarations: String {
        let path =
            sourcesFolder.path.contains("/Sources/Backends/") ? ", path: \"Sources/Backends/\(name)Backend\"" : ""
        return """
            .target(
                name: "\(name)Backend",
                dependencies: [\(reference("GalleryCore")), \(reference("InMemoryBackend"))]\(path)
            ),
            .testTarget(
                name: "\(name)BackendTests",
                dependencies: ["\(name)Backend", \(reference("GalleryConformance")), \(reference("GalleryCore"))]
            ),
            """
    }

    /// Writes the three files, refusing to replace any that exist.
    func write() throws -> [String] {
        let files = [
            (sourcesFolder.appendingPathComponent("\(name)Backend.swift"), backendSource),
            (sourcesFolder.appendingPathComponent("\(name)Backend+Descriptor.swift"), descriptorSource),
            (testsFolder.appendingPathComponent("\(name)ConformanceTests.swift"), testSource),
        ]
        for (url, _) in files where FileManager.default.fileExists(atPath: url.path) {
            throw ScaffoldError("\(url.path) exists already; the scaffold never overwrites a file")
        }
        for (url, text) in files {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url, options: .withoutOverwriting)
        }
        return files.map(\.0.path)
    }

    var backendSource: String {
        """
        public import GalleryCore
        import InMemoryBackend

        /// A GalleryHub backend for \(name).
        ///
        /// It starts as a working stand-in: every verb forwards to an in-memory store, so the conformance suite
        /// passes from the first build. To make it real, one verb at a time:
        /// 1. Replace `service`'s call with the platform's API (for an HTTP platform, GalleryHTTP's
        ///    `RemoteHTTPClient`, which brings authorization, rate limits, retries and typed errors).
        /// 2. Switch off in ``declaredCapabilities`` what the platform cannot hold: the planner then reports it as a
        ///    loss instead of losing it, and the suite checks that the verb refuses it as `unsupported`.
        /// 3. Run `swift test`: every capability still declared is a promise the suite checks.
        public struct \(name)Backend: GalleryBackend {
            public let name: String
            /// The stand-in for the platform's API.
            private let service: InMemoryBackend

            public init(name: String = "\(type)") {
                self.name = name
                service = InMemoryBackend(name: name, capabilities: Self.declaredCapabilities)
            }

            /// What \(name) holds and does.
            public static var declaredCapabilities: Capabilities { .lossless }

            public var capabilities: Capabilities { service.capabilities }

            public func listGalleries() -> AsyncThrowingStream<GallerySummary, any Error> { service.listGalleries() }

            public func gallery(_ id: GalleryID) async throws -> Gallery { try await service.gallery(id) }

            public func openItem(_ ref: ItemRef) async throws -> ByteStream { try await service.openItem(ref) }

            public func createGallery(_ spec: GallerySpec) async throws -> GalleryID {
                try await service.createGallery(spec)
            }

            public func updateGallery(_ id: GalleryID, _ changes: GalleryChanges) async throws {
                try await service.updateGallery(id, changes)
            }

            public func addItem(to gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws -> Item {
                try await service.addItem(to: gallery, spec: spec, bytes: bytes)
            }

            public func updateItem(_ ref: ItemRef, metadata: ItemMetadata) async throws {
                try await service.updateItem(ref, metadata: metadata)
            }

            public func setOrder(of gallery: GalleryID, to items: [ItemID]) async throws {
                try await service.setOrder(of: gallery, to: items)
            }

            public func setCover(of gallery: GalleryID, to cover: CoverRef?) async throws {
                try await service.setCover(of: gallery, to: cover)
            }

            public func openCover(of gallery: GalleryID) async throws -> ByteStream {
                try await service.openCover(of: gallery)
            }

            public func setStandaloneCover(of gallery: GalleryID, spec: ItemSpec, bytes: ByteStream) async throws {
                try await service.setStandaloneCover(of: gallery, spec: spec, bytes: bytes)
            }

            public func removeItem(_ ref: ItemRef) async throws { try await service.removeItem(ref) }

            public func deleteGallery(_ id: GalleryID) async throws { try await service.deleteGallery(id) }

            public func flush() async throws { try await service.flush() }
        }

        """
    }

    var descriptorSource: String {
        """
        public import GalleryCore

        extension \(name)Backend {
            /// The registry entry: remotes with `type = "\(type)"`. Add the options the platform needs; mark
            /// credentials `isSecret` so they are masked everywhere and read only from the environment or a private
            /// remotes file.
            public static var descriptor: BackendDescriptor {
                BackendDescriptor(
                    name: "\(type)",
                    summary: "\(name) galleries",
                    options: [
                        BackendOption("url", help: "The service's base URL"),
                        BackendOption("token", help: "An API token", isSecret: true),
                    ],
                    capabilities: declaredCapabilities,
                    inlineOption: "url"
                ) { remote, _ in
                    \(name)Backend(name: remote.name)
                }
            }
        }

        """
    }

    var testSource: String {
        """
        import GalleryConformance
        import GalleryCore
        import Testing
        import \(name)Backend

        @Suite struct \(name)ConformanceTests {
            /// Every declared capability works and every undeclared one is refused as `unsupported`.
            @Test func passesTheConformanceSuite() async {
                let report = await ConformanceSuite { \(name)Backend() }.run()
                #expect(report.failures.isEmpty, "\\(report)")
                #expect(!report.results.isEmpty)
            }
        }

        """
    }
}
