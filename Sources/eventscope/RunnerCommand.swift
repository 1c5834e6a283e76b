import ArgumentParser
import DemoProjections
import EventStore
import Foundation
import GRDB
import Logging
import PostgresStore
import ProjectionRunner
import ProjectionRunnerPostgres
import ProjectionRunnerSQLite
import ServiceLifecycle

struct RunnerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runner",
        abstract: "Run the demo projections against a store until interrupted (the write side): SQLite or PostgreSQL.",
        discussion: """
            Serves event_counter, account_balances, customer_directory, shipment_tracker, order_summary and type_hours \
            (on SQLite and on PostgreSQL), or those named by --projection: \
            holds each one's lease in es_projection_leases as waku does, moves its checkpoint and its read model \
            in one transaction, writes its status to es_projection_status, and executes the rebuild requests \
            filed in es_projection_commands (`eventscope rebuild`, R in the explorer). A projection whose lease \
            another process holds is left alone until that lease expires. SIGINT or SIGTERM: the batch in hand \
            is finished and the leases are released. Logs go to standard error.
            """)

    @Argument(help: "The store in the waku layout: a SQLite file path, sqlite:///abs/path.db, or postgres://user@host/db (libpq's PG* variables and ~/.pgpass apply).")
    var store: String

    @Option(name: .customLong("projection"), help: "A projection to serve (repeatable; default: all of them).")
    var projections: [String] = []

    @Option(help: "Seconds a lease lasts without renewal (renewed every third of it).")
    var leaseTtl: Double = 30

    @Option(help: "Events per batch.")
    var batchSize: Int = 100

    @Option(help: "Seconds a missing position holds the checkpoint before it is skipped.")
    var gapTimeout: Double = 10

    @Option(help: "Retries of a failing batch before its error policy applies.")
    var maxRetries: Int = 3

    @Option(help: "Seconds between cycles after work.")
    var pollMin: Double = 0.5

    @Option(help: "Longest wait between idle cycles, in seconds.")
    var pollMax: Double = 5

    @Option(help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel: String = "info"

    /// Set on the runner `demo` starts beside the explorer: it stops when that process is gone.
    @Option(help: .hidden)
    var parentPid: Int32?

    func validate() throws {
        guard leaseTtl >= 0.3, leaseTtl <= 86_400 else { throw ValidationError("--lease-ttl must be between 0.3 and 86400 seconds") }
        guard (1...100_000).contains(batchSize) else { throw ValidationError("--batch-size must be between 1 and 100000") }
        guard gapTimeout >= 0, gapTimeout <= 86_400 else { throw ValidationError("--gap-timeout must be between 0 and 86400 seconds") }
        guard (0...100).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 100") }
        guard pollMin > 0, pollMax >= pollMin, pollMax <= 3600 else {
            throw ValidationError("--poll-min must be above 0 and at most --poll-max, and --poll-max at most 3600 seconds")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        let known = Set(DemoProjections.all().map(\.name))
        for name in projections where !known.contains(name) {
            throw ValidationError("no projection named \(name): this runner serves \(known.sorted().joined(separator: ", "))")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let options = ProjectionOptions(batchSize: batchSize, maxRetries: maxRetries, gapTimeout: .seconds(gapTimeout))
        if store.hasPrefix("postgres://") || store.hasPrefix("postgresql://") {
            let backend = PostgresRunnerBackend(target: try PostgresTarget.fromSystem(url: store), logger: Logger(label: "eventscope.runner.postgres"))
            do {
                // Fails here, in one line, when the server cannot be reached or the role may not write:
                // at the start that is the operator's to fix (exit status 2), as when a reader opens it.
                do {
                    try await backend.prepare()
                } catch let error as StoreError {
                    if case .unreachable(_, let reason) = error { throw StoreError.unsupportedLocation(backend.target.location, reason: reason) }
                    throw error
                }
                try await serve(backend, PostgresDemoProjections.all(options: options))
            } catch {
                await backend.close()
                throw error
            }
            await backend.close()
        } else {
            try await serve(try SQLiteRunnerBackend(path: try Self.sqlitePath(store)), DemoProjections.all(options: options))
        }
    }

    /// Serves `all` (or those named by --projection) through `backend` until a signal or the parent's end.
    func serve<Backend: RunnerBackend>(_ backend: Backend, _ all: [any Projection<Backend.Transaction>]) async throws {
        let logger = Logger(label: "eventscope.runner")
        let served = projections.isEmpty ? all : all.filter { projections.contains($0.name) }
        let holder = "eventscope-\(ProcessInfo.processInfo.hostName)-\(getpid())"
        let configuration = RunnerConfiguration(
            holderId: holder, leaseTTL: .seconds(leaseTtl),
            poll: PollSchedule(minimum: .seconds(pollMin), step: .seconds(1), maximum: .seconds(pollMax)),
            knownProjections: Set(all.map(\.name)).union(DemoProjections.unserved))
        let runner = ProjectionRunner(backend: backend, projections: served, configuration: configuration,
                                      clock: ContinuousClock(), logger: logger, wallClock: { Timestamp.now() })
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: runner, successTerminationBehavior: .gracefullyShutdownGroup),
        ]
        if let parentPid {
            services.append(.init(service: OrphanWatch(parent: parentPid), successTerminationBehavior: .gracefullyShutdownGroup))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: Logger(label: "eventscope.lifecycle")))
        try await group.run()
    }

    /// A SQLite store: a path or a sqlite:// URL.
    static func sqlitePath(_ store: String) throws -> String {
        let path = store.hasPrefix("sqlite://") ? String(store.dropFirst("sqlite://".count)) : store
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noSuchFile(path: path) }
        return path
    }
}

/// Returns (ending the runner gracefully) when the process that started this one is gone.
struct OrphanWatch: Service {
    let parent: Int32

    func run() async throws {
        while getppid() == parent {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(500)) }
            } catch {
                return
            }
        }
    }
}
