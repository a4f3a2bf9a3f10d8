// swift-tools-version: 6.1
import PackageDescription

// GalleryHub: one protocol (`GalleryBackend`), adapters for gallery services, a migration engine and a CLI.
// The module map follows Docs/ and ../shared/DESIGN.md §1: dependencies point towards GalleryCore.

let package = Package(
    name: "GalleryHub",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gallery-hub", targets: ["gallery-hub"]),
        .library(name: "GalleryCore", targets: ["GalleryCore"]),
        .library(name: "LocalBackend", targets: ["LocalBackend"]),
        // Testing products: third-party backends prove themselves with these.
        .library(name: "InMemoryBackend", targets: ["InMemoryBackend"]),
        .library(name: "GalleryConformance", targets: ["GalleryConformance"]),
        // MARK: Products — migration engine (issue 4)
        .library(name: "GalleryMigration", targets: ["GalleryMigration"]),
        // MARK: HTTP layer, sandbox, Omnitcode (issue 5)
        .library(name: "GalleryHTTP", targets: ["GalleryHTTP"]),
        .library(name: "GallerySandbox", targets: ["GallerySandbox"]),
        .library(name: "OmnitcodeBackend", targets: ["OmnitcodeBackend"]),
        // MARK: Kanka (issue 6)
        .library(name: "KankaBackend", targets: ["KankaBackend"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // MARK: Dependencies — migration engine (issue 4): the journal is SQLite in WAL mode.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        // MARK: HTTP layer, sandbox, Omnitcode (issue 5)
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: Core
        .target(
            name: "GalleryCore",
            dependencies: [
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ]
        ),

        // MARK: Backends
        .target(name: "InMemoryBackend", dependencies: ["GalleryCore"], path: "Sources/Backends/InMemoryBackend"),
        .target(
            name: "LocalBackend",
            dependencies: ["GalleryCore", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Backends/LocalBackend"
        ),

        // MARK: Conformance suite (a library, so third-party backends can run it)
        .target(name: "GalleryConformance", dependencies: ["GalleryCore"]),

        // MARK: Migration engine (issue 4): planner, reports, executor, journal, verifier. Knows only the protocol.
        .target(
            name: "GalleryMigration",
            dependencies: [
                "GalleryCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "GalleryMigrationTests",
            dependencies: [
                "GalleryMigration", "GalleryCore", "InMemoryBackend", "LocalBackend",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: HTTP layer, sandbox, Omnitcode (issue 5)
        .target(
            name: "GalleryHTTP",
            dependencies: [
                "GalleryCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Emulators share no code with the adapters (DESIGN.md §1): GalleryCore only, never GalleryHTTP.
        .target(
            name: "GallerySandbox",
            dependencies: [
                "GalleryCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
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
        .testTarget(
            name: "GalleryHTTPTests",
            dependencies: [
                "GalleryHTTP", "GalleryCore", "GalleryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "InMemoryLogging", package: "swift-log"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        // Helpers several test targets share (a manual clock), built only for tests.
        .target(name: "GalleryTestSupport", path: "Tests/GalleryTestSupport"),
        .testTarget(
            name: "GallerySandboxTests",
            dependencies: [
                "GallerySandbox", "GalleryCore", "GalleryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ]
        ),
        .testTarget(
            name: "OmnitcodeBackendTests",
            dependencies: [
                "OmnitcodeBackend", "GallerySandbox", "GalleryHTTP", "GalleryCore", "GalleryConformance",
                "GalleryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),

        // MARK: Kanka (issue 6): the adapter; its emulator lives in GallerySandbox/Kanka and shares no code with it.
        .target(
            name: "KankaBackend",
            dependencies: [
                "GalleryCore", "GalleryHTTP",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/KankaBackend"
        ),
        .testTarget(
            name: "KankaBackendTests",
            dependencies: [
                "KankaBackend", "GallerySandbox", "GalleryHTTP", "GalleryCore", "GalleryConformance",
                "GalleryTestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: CLI
        .executableTarget(
            name: "gallery-hub",
            dependencies: [
                "GalleryCore", "LocalBackend",
                "GalleryMigration", "GallerySandbox", "OmnitcodeBackend",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                "KankaBackend",  // issue 6: bench kanka
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Tests
        .testTarget(name: "GalleryCoreTests", dependencies: ["GalleryCore"]),
        .testTarget(name: "InMemoryBackendTests", dependencies: ["InMemoryBackend", "GalleryConformance"]),
        .testTarget(name: "LocalBackendTests", dependencies: ["LocalBackend", "GalleryConformance"]),
        .testTarget(name: "GalleryHubCLITests", dependencies: ["gallery-hub", "GalleryCore"]),
    ]
)

// Strict settings for every target (STYLE.md §1).
for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(contentsOf: [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
        .enableUpcomingFeature("InternalImportsByDefault"),
    ])
    target.swiftSettings = settings
}
