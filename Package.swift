// swift-tools-version: 6.1
import PackageDescription

// GalleryHub: one protocol (`GalleryBackend`), adapters for gallery services, a migration engine and a CLI.
// Dependencies point towards GalleryCore. Emulators (GallerySandbox) share no code with the adapters they
// emulate, so they can catch the adapters' mistakes.

let package = Package(
    name: "GalleryHub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gallery-hub", targets: ["gallery-hub"]),
        .library(name: "GalleryCore", targets: ["GalleryCore"]),
        .library(name: "GalleryHTTP", targets: ["GalleryHTTP"]),
        .library(name: "LocalBackend", targets: ["LocalBackend"]),
        .library(name: "OmnitcodeBackend", targets: ["OmnitcodeBackend"]),
        .library(name: "KankaBackend", targets: ["KankaBackend"]),
        .library(name: "KonigleBackend", targets: ["KonigleBackend"]),
        .library(name: "StashBackend", targets: ["StashBackend"]),
        .library(name: "GalleryMigration", targets: ["GalleryMigration"]),
        .library(name: "GallerySandbox", targets: ["GallerySandbox"]),
        // What a third-party backend proves itself with.
        .library(name: "InMemoryBackend", targets: ["InMemoryBackend"]),
        .library(name: "GalleryConformance", targets: ["GalleryConformance"]),
        // `swift package new-backend NAME`: a backend module and its conformance test, in any package.
        .plugin(name: "NewBackend", targets: ["NewBackend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/GraphQLSwift/GraphQL", from: "4.3.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
    ],
    targets: [
        // MARK: Core: the model, the protocol, capabilities, errors, remotes. No network.
        .target(
            name: "GalleryCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),
        .target(name: "GalleryConformance", dependencies: ["GalleryCore"]),

        // MARK: HTTP: the one request lifecycle every HTTP backend uses.
        .target(
            name: "GalleryHTTP",
            dependencies: [
                "GalleryCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),

        // MARK: Backends
        .target(name: "InMemoryBackend", dependencies: ["GalleryCore"], path: "Sources/Backends/InMemoryBackend"),
        .target(
            name: "LocalBackend",
            dependencies: ["GalleryCore", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Backends/LocalBackend"
        ),
        .target(
            name: "OmnitcodeBackend",
            dependencies: [
                "GalleryCore", "GalleryHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/OmnitcodeBackend"
        ),
        .target(
            name: "KankaBackend",
            dependencies: [
                "GalleryCore", "GalleryHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/KankaBackend"
        ),
        .target(
            name: "KonigleBackend",
            dependencies: [
                "GalleryCore", "GalleryHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/KonigleBackend"
        ),
        .target(
            name: "StashBackend",
            dependencies: [
                "GalleryCore", "GalleryHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/StashBackend"
        ),

        // MARK: Engine: planner, reports, executor, journal, verifier. Knows only the protocol.
        .target(
            name: "GalleryMigration",
            dependencies: [
                "GalleryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Sandbox: emulators of the services. GalleryCore only, never GalleryHTTP or an adapter.
        .target(
            name: "GallerySandbox",
            dependencies: [
                "GalleryCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GraphQL", package: "GraphQL"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: CLI: where the registry of every backend meets the engine.
        .executableTarget(
            name: "gallery-hub",
            dependencies: [
                "GalleryCore", "GalleryHTTP", "GalleryMigration", "GallerySandbox",
                "KankaBackend", "KonigleBackend", "LocalBackend", "OmnitcodeBackend", "StashBackend",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),

        // MARK: Plugins
        .plugin(
            name: "NewBackend",
            capability: .command(
                intent: .custom(verb: "new-backend", description: "Scaffold a backend module and its conformance test"),
                permissions: [.writeToPackageDirectory(reason: "Writes Sources/<NAME>Backend and its test folder")]
            )
        ),

        // MARK: Tests
        // Helpers several test targets share (a manual clock).
        .target(name: "GalleryTestSupport", path: "Tests/GalleryTestSupport"),
        .testTarget(name: "GalleryCoreTests", dependencies: ["GalleryCore"]),
        .testTarget(
            name: "GalleryHTTPTests",
            dependencies: [
                "GalleryCore", "GalleryHTTP", "GalleryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        .testTarget(name: "InMemoryBackendTests", dependencies: ["InMemoryBackend", "GalleryConformance"]),
        .testTarget(name: "LocalBackendTests", dependencies: ["LocalBackend", "GalleryConformance"]),
        .testTarget(
            name: "OmnitcodeBackendTests",
            dependencies: [
                "GalleryConformance", "GalleryCore", "GalleryHTTP", "GalleryMigration", "GallerySandbox",
                "GalleryTestSupport", "InMemoryBackend", "OmnitcodeBackend",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        .testTarget(
            name: "KankaBackendTests",
            dependencies: [
                "GalleryConformance", "GalleryCore", "GalleryHTTP", "GalleryMigration", "GallerySandbox",
                "GalleryTestSupport", "InMemoryBackend", "KankaBackend",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "KonigleBackendTests",
            dependencies: [
                "GalleryConformance", "GalleryCore", "GalleryHTTP", "GallerySandbox", "GalleryTestSupport",
                "KonigleBackend",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "StashBackendTests",
            dependencies: [
                "GalleryConformance", "GalleryCore", "GalleryHTTP", "GalleryMigration", "GallerySandbox",
                "InMemoryBackend", "StashBackend",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "GalleryMigrationTests",
            dependencies: [
                "GalleryConformance", "GalleryCore", "GalleryMigration", "InMemoryBackend", "LocalBackend",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GallerySandboxTests",
            dependencies: [
                "GalleryCore", "GallerySandbox", "GalleryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "GalleryHubCLITests", dependencies: ["gallery-hub", "GalleryConformance", "GalleryCore", "LocalBackend"],
            // Golden files of the JSON documents, read by path (JSONContractTests).
            exclude: ["Snapshots"]
        ),
    ]
)

// Strict settings for every target that compiles with them (STYLE.md §1); plugins take no settings.
for target in package.targets where target.type != .plugin {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
