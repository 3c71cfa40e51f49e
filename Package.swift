// swift-tools-version:6.2
// depin: an engine that runs a decentralized physical infrastructure network end to end.

import PackageDescription

var swiftSettings: [SwiftSetting] = [
    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
    // https://github.com/swiftlang/swift-evolution/blob/main/proposals/0444-member-import-visibility.md
    .enableUpcomingFeature("MemberImportVisibility"),
]

// scripts/test.sh (and so CI) builds with warnings as errors; only this package's targets, not
// its dependencies. https://github.com/swiftlang/swift-evolution/blob/main/proposals/0480-warning-control.md
if Context.environment["DEPIN_WARNINGS_AS_ERRORS"] != nil {
    swiftSettings.append(.treatAllWarnings(as: .error))
}

// The erasure code's kernels are SIMD integer code: on x86-64 build them for AVX2 (Haswell, Zen and
// later), which doubles the vector width and gives the byte shuffle the fast kernel is made of
// (DEPIN_AVX2). DEPIN_PORTABLE=1 builds for any x86-64, with the portable kernel only.
var storageSettings = swiftSettings
var storageTestSettings = swiftSettings
#if arch(x86_64)
    if Context.environment["DEPIN_PORTABLE"] == nil {
        storageSettings.append(.unsafeFlags(["-target-cpu", "haswell"]))
        storageSettings.append(.define("DEPIN_AVX2"))
        storageTestSettings.append(.define("DEPIN_AVX2"))
    }
#endif

let package = Package(
    name: "depin",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "depin", targets: ["depin"]),
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Geo", targets: ["Geo"]),
        .library(name: "Ledger", targets: ["Ledger"]),
        .library(name: "Rewards", targets: ["Rewards"]),
        .library(name: "Store", targets: ["Store"]),
        .library(name: "Coverage", targets: ["Coverage"]),
        .library(name: "Compute", targets: ["Compute"]),
        .library(name: "Storage", targets: ["Storage"]),
        .library(name: "Mapping", targets: ["Mapping"]),
        .library(name: "Telemetry", targets: ["Telemetry"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "Node", targets: ["Node"]),
        .library(name: "Agent", targets: ["Agent"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // 1. Core: identities, signatures, the wire format, amounts, hashes. No I/O.
        .target(
            name: "Core",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings
        ),
        // 2. Geo: the H3 grid, bit-compatible with the reference library, and geodesic helpers.
        .target(
            name: "Geo",
            dependencies: ["Core"],
            swiftSettings: swiftSettings
        ),
        // 3. Ledger: accounts, transfers, burns, credits, the hash-chained journal; the genesis.
        .target(
            name: "Ledger",
            dependencies: ["Core", "Geo"],
            swiftSettings: swiftSettings
        ),
        // 3. Rewards: emission, pool and reward splits, the epoch engine, Merkle settlement.
        .target(
            name: "Rewards",
            dependencies: ["Core", "Ledger"],
            swiftSettings: swiftSettings
        ),
        // 4. Store: persistence behind protocols; SQLite (GRDB) embedded, PostgreSQL (PostgresNIO) to scale out.
        .target(
            name: "Store",
            dependencies: [
                "Core", "Geo", "Ledger", "Rewards",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // 5. Coverage: the radio network (Helium's row): proof of coverage, data transfer.
        .target(
            name: "Coverage",
            dependencies: ["Core", "Geo", "Ledger", "Rewards"],
            swiftSettings: swiftSettings
        ),
        // 5. Compute: the rendering network (Render's row): jobs, leases, verification by image comparison.
        .target(
            name: "Compute",
            dependencies: ["Core", "Ledger", "Rewards", "Store", "CZlib"],
            swiftSettings: swiftSettings
        ),
        // 5. Storage: the storage network (Storj's and Filecoin's row): erasure coding, pieces, audits.
        .target(
            name: "Storage",
            dependencies: ["Core", "Ledger", "Rewards", "Store", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: storageSettings
        ),
        // 5. Mapping: the mapping network (Hivemapper's row): drives, quality gates, road cells.
        .target(
            name: "Mapping",
            dependencies: ["Core", "Geo", "Ledger", "Rewards"],
            swiftSettings: swiftSettings
        ),
        // 5. Telemetry: vehicles' OBD-II and meters' Modbus readings, one identity one reward, streaks.
        .target(
            name: "Telemetry",
            dependencies: ["Core", "Geo", "Ledger", "Rewards"],
            swiftSettings: swiftSettings
        ),
        // The system's zlib, for decoding PNG frames.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // 6. Simulation: simulated worlds (radio, hotspots, adversaries) run through the real rules.
        .target(
            name: "Simulation",
            dependencies: ["Core", "Geo", "Ledger", "Rewards", "Coverage", "Telemetry"],
            swiftSettings: swiftSettings
        ),
        // 6. Node: the HTTP server.
        .target(
            name: "Node",
            dependencies: [
                "Core", "Geo", "Ledger", "Rewards", "Store", "Coverage", "Compute", "Storage", "Mapping", "Telemetry",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources/openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        // 6. Agent: the device-side runtime: key, local queue, store and forward.
        .target(
            name: "Agent",
            dependencies: [
                "Core", "Storage",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // 7. The command-line executable: parses, wires, calls.
        .executableTarget(
            name: "depin",
            dependencies: [
                "Core", "Geo", "Ledger", "Rewards", "Store", "Coverage", "Compute", "Storage", "Mapping", "Telemetry", "Simulation", "Node", "Agent",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "CoreTests", dependencies: ["Core"], swiftSettings: swiftSettings),
        .testTarget(name: "GeoTests", dependencies: ["Core", "Geo"], exclude: ["Vectors"], swiftSettings: swiftSettings),
        .testTarget(name: "LedgerTests", dependencies: ["Core", "Ledger"], swiftSettings: swiftSettings),
        .testTarget(
            name: "RewardsTests",
            dependencies: [
                "Core", "Ledger", "Rewards",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Vectors"],
            swiftSettings: swiftSettings
        ),
        // The databases the store's and the node's tests run on (SQLite, and PostgreSQL from scripts/postgres.sh).
        .target(name: "StoreTestSupport", dependencies: ["Store"], path: "Tests/StoreTestSupport", swiftSettings: swiftSettings),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Core", "Geo", "Ledger", "Rewards", "Store", "StoreTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Core", "Geo", "Ledger", "Rewards", "Store", "StoreTestSupport", "Compute", "Storage", "Mapping", "Telemetry",
                "Node", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ComputeTests", dependencies: ["Core", "Ledger", "Rewards", "Compute"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "StorageTests", dependencies: ["Core", "Ledger", "Rewards", "Storage", "Store", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: storageTestSettings
        ),
        .testTarget(
            name: "CoverageTests", dependencies: ["Core", "Geo", "Ledger", "Rewards", "Coverage"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SimulationTests",
            dependencies: ["Core", "Geo", "Ledger", "Rewards", "Coverage", "Telemetry", "Simulation", "Node"],
            swiftSettings: swiftSettings),
        .testTarget(name: "AgentTests", dependencies: ["Core", "Agent"], swiftSettings: swiftSettings),
        .testTarget(
            name: "MappingTests",
            dependencies: [
                "Core", "Geo", "Ledger", "Rewards", "Mapping", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TelemetryTests",
            dependencies: [
                "Core", "Ledger", "Rewards", "Telemetry", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: swiftSettings),
        // Tests that start the real `depin` binary and talk to it over loopback.
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Core", "Ledger", "StoreTestSupport"],
            swiftSettings: swiftSettings
        ),
    ]
)
