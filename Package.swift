// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "eventscope",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "eventscope", targets: ["eventscope"]),
        // The projection runner, to embed in a Swift application, and its SQLite backend.
        .library(name: "ProjectionRunner", targets: ["ProjectionRunner"]),
        .library(name: "ProjectionRunnerSQLite", targets: ["ProjectionRunnerSQLite"]),
        .library(name: "ProjectionRunnerPostgres", targets: ["ProjectionRunnerPostgres"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/pointfreeco/swift-clocks", from: "1.1.1"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The store model: types, the read-only reader protocol, JSON text. No database driver.
        .target(name: "EventStore"),
        // Terminal text: display width, sanitising, aligned tables. Pure.
        .target(name: "TerminalText"),
        // The read-only SQLite adapter for the waku layout.
        .target(name: "SQLiteStore", dependencies: [
            "EventStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The explorer's one write: a connection to a SQLite store that can insert a rebuild request
        // into es_projection_commands and nothing else (an authorizer on SQLite's C API).
        .target(name: "SQLiteRequests", dependencies: [
            "EventStore",
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        // The read-only PostgreSQL adapter for the waku layout.
        .target(name: "PostgresStore", dependencies: [
            "EventStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The demo store: a realistic generator and a live writer (the only writer in the package),
        // on SQLite and on PostgreSQL (COPY); one generator makes the rows for both.
        .target(name: "DemoStore", dependencies: [
            "EventStore", "PostgresStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The explorer's pure core: state, actions, reducer, panes, layout, widgets, a cell grid.
        // It reads no file, no environment and no clock: those come in as values or protocols.
        .target(name: "ExplorerCore", dependencies: ["EventStore", "TerminalText"]),
        // Theme files: the shipped themes, user themes on disk, and their TOML.
        .target(name: "ExplorerThemes", dependencies: [
            "ExplorerCore",
            .product(name: "TOMLKit", package: "TOMLKit"),
        ]),
        // The user's config file (config.toml: per-store projection event types and foreign
        // rebuild commands) and the edge that runs those commands, without a shell.
        .target(name: "ExplorerConfig", dependencies: [
            "ExplorerCore", "EventStore",
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "Subprocess", package: "swift-subprocess"),
        ]),
        // The projection runner (SPEC §4), backend-agnostic: leases, the cycle, gaps, policies, commands.
        .target(name: "ProjectionRunner", dependencies: [
            "EventStore",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The runner's backend on SQLite (GRDB): the only runner code that writes to a SQLite store.
        .target(name: "ProjectionRunnerSQLite", dependencies: [
            "ProjectionRunner", "EventStore",
            .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        // The runner's backend on PostgreSQL (postgres-nio), over a connection of its own.
        .target(name: "ProjectionRunnerPostgres", dependencies: [
            "ProjectionRunner", "EventStore", "PostgresStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // The demo's projections (a counter per type per stream, stream directories) on SQLite.
        .target(name: "DemoProjections", dependencies: [
            "ProjectionRunner", "ProjectionRunnerPostgres", "EventStore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        // ncursesw, with a C shim for what Swift cannot import.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw", providers: [.apt(["libncurses-dev"])]),
        // Draws an ExplorerCore grid with ncurses and reads keys.
        .target(name: "TerminalBackend", dependencies: ["CNcursesw", "ExplorerCore", "TerminalText"]),
        .executableTarget(name: "eventscope", dependencies: [
            "EventStore", "TerminalText", "SQLiteStore", "SQLiteRequests", "PostgresStore", "DemoStore", "ExplorerCore", "ExplorerThemes", "ExplorerConfig", "TerminalBackend",
            "ProjectionRunner", "ProjectionRunnerSQLite", "ProjectionRunnerPostgres", "DemoProjections",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        .target(name: "TestSupport", dependencies: [
            "EventStore", "DemoStore", "PostgresStore",
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Clocks", package: "swift-clocks"),
            .product(name: "GRDB", package: "GRDB.swift"),
        ], path: "Tests/TestSupport"),
        .testTarget(name: "EventStoreTests", dependencies: ["EventStore", "TerminalText", "TestSupport", "DemoStore", .product(name: "Clocks", package: "swift-clocks")]),
        .testTarget(name: "SQLiteStoreTests", dependencies: ["SQLiteStore", "DemoStore", "TestSupport"]),
        .testTarget(name: "SQLiteRequestsTests", dependencies: [
            "SQLiteRequests", "SQLiteStore", "EventStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
        ]),
        .testTarget(name: "ExplorerCoreTests", dependencies: [
            "ExplorerCore", "EventStore", "TerminalText", "TestSupport",
            .product(name: "Clocks", package: "swift-clocks"),
        ]),
        .testTarget(name: "ExplorerConfigTests", dependencies: ["ExplorerConfig", "ExplorerCore", "EventStore", "TestSupport"]),
        .testTarget(name: "ExplorerThemesTests", dependencies: ["ExplorerThemes", "ExplorerCore", "EventStore"]),
        .testTarget(name: "PostgresStoreTests", dependencies: [
            "PostgresStore", "EventStore", "DemoStore", "TestSupport",
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ]),
        .testTarget(name: "ProjectionRunnerPostgresTests", dependencies: [
            "ProjectionRunner", "ProjectionRunnerPostgres", "PostgresStore", "EventStore", "DemoProjections", "TestSupport",
            .product(name: "Clocks", package: "swift-clocks"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "ProjectionRunnerTests", dependencies: [
            "ProjectionRunner", "ProjectionRunnerSQLite", "DemoProjections", "EventStore", "DemoStore", "TestSupport",
            .product(name: "Clocks", package: "swift-clocks"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "EndToEndTests", dependencies: ["eventscope", "TestSupport", "DemoStore", "SQLiteStore", "TerminalText", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "PostgresNIO", package: "postgres-nio")]),
    ]
)
