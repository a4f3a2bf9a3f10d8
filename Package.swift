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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.0.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // MARK: Dependencies — migration engine (issue 4): the journal is SQLite in WAL mode.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
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

        // MARK: CLI
        .executableTarget(
            name: "gallery-hub",
            dependencies: [
                "GalleryCore", "LocalBackend",
                "GalleryMigration",  // issue 4: plan, copy, verify, bench
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
