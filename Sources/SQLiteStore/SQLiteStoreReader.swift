import EventStore
import Foundation
import GRDB
import GRDBSQLite

/// The read-only reader for SQLite stores of every layout (SPEC §3.2–§3.5): each layout's tables
/// are mapped onto `StoreReader` by its `LayoutMapping`.
///
/// The file is opened `SQLITE_OPEN_READONLY` with `PRAGMA query_only`, so no statement can write,
/// and never created when missing. A WAL store keeps being readable while another process appends:
/// each read sees the latest committed state.
public struct SQLiteStoreReader: StoreReader {
    public let info: StoreInfo
    let mapping: any LayoutMapping
    let connection: ReaderConnection
    let path: String
    var database: any DatabaseReader { connection.database }

    /// Opens the file so that reading can never harm the store: see `ReaderConnection` for how a WAL
    /// store is read by someone who is not its owner, or in a read-only directory.
    public static func open(path: String, layout forced: StoreLayout? = nil) throws(StoreError) -> SQLiteStoreReader {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .noSuchFile(path: path)
        }
        if isDirectory.boolValue { throw .notAStore(location: path, reason: "it is a directory") }
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw .unreachable(location: path, reason: "permission denied")
        }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "eventscope.reader"
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA query_only = 1")
        }
        let connection: ReaderConnection
        do {
            connection = try ReaderConnection.open(path: path, configuration: configuration)
        } catch {
            throw Self.describe(error, location: path)
        }
        // The layout is read like everything else: again if a snapshot went stale meanwhile.
        for _ in 0..<5 {
            let database = connection.database
            let layout: (StoreLayout, SchemaCatalog)?, failure: StoreError?
            do throws(StoreError) {
                (layout, failure) = (try SQLiteCatalog.layout(of: database, location: path, forced: forced), nil)
            } catch {
                (layout, failure) = (nil, error)
            }
            let current: Bool
            do { current = try connection.validate(database) } catch { throw Self.describe(error, location: path) }
            guard current else { continue }
            if let failure { throw failure }
            if let (layout, catalog) = layout {
                let mapping = LayoutMappings.mapping(for: layout)
                let info = StoreInfo(location: path, layout: layout, capabilities: mapping.capabilities(in: catalog))
                return SQLiteStoreReader(info: info, mapping: mapping, connection: connection, path: path)
            }
        }
        throw .queryFailed(location: path, reason: "the store kept changing while it was being opened; try again")
    }

    static func describe(_ error: any Error, location: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            let message = error.message ?? "\(error.resultCode)"
            switch error.resultCode {
            case .SQLITE_NOTADB: return .notAStore(location: location, reason: "not a SQLite database")
            case .SQLITE_CORRUPT: return .corrupt(location: location, reason: message)
            case .SQLITE_CANTOPEN: return .unreachable(location: location, reason: error.message ?? "cannot open the file")
            case .SQLITE_INTERRUPT: return .queryFailed(location: location, reason: "cancelled")
            default: return .queryFailed(location: location, reason: message)
            }
        }
        return .queryFailed(location: location, reason: String(describing: error))
    }

    /// Runs a read, turning database errors into errors an operator can act on.
    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await connection.read(body)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw Self.describe(error, location: path)
        }
    }

    public func head() async throws -> GlobalPosition {
        try await read { [mapping] db in try mapping.head(db) }
    }

    public func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        try await read { [mapping] db in try mapping.streams(db, query) }
    }

    public func stream(id: String) async throws -> StreamSummary? {
        try await read { [mapping] db in try mapping.stream(db, id: id) }
    }

    public func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        try await read { [mapping] db in try mapping.streamEvents(db, query) }
    }

    public func log(_ query: LogQuery) async throws -> [RecordedEvent] {
        guard query.limit > 0 else { return [] }
        return try await read { [mapping] db in try mapping.log(db, query) }
    }

    public func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0, !ranges.isEmpty else { return [] }
        return try await read { [mapping] db in try mapping.events(db, in: ranges, limit: limit) }
    }

    public func event(at position: GlobalPosition) async throws -> RecordedEvent? {
        try await read { [mapping] db in try mapping.event(db, at: position) }
    }

    public func event(id: String) async throws -> RecordedEvent? {
        try await read { [mapping] db in try mapping.event(db, id: id) }
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await read { [mapping] db in try mapping.checkpoints(db) }
    }

    public func leases() async throws -> [Lease] {
        try await read { [mapping] db in try mapping.leases(db) }
    }

    public func runnerStatuses() async throws -> [RunnerStatus]? {
        try await read(Self.runnerStatuses)
    }

    static func runnerStatuses(_ db: Database) throws -> [RunnerStatus]? {
        guard try db.tableExists(RunnerSchema.status) else { return nil }
        return try StoredRow.fetchAll(db, sql: WakuSQL.runnerStatuses).map(RunnerStatus.init(row:))
    }

    public func commandRequests(projection: String?, limit: Int) async throws -> [CommandRequest]? {
        try await read { db in try Self.commandRequests(db, projection: projection, limit: limit) }
    }

    static func commandRequests(_ db: Database, projection: String?, limit: Int) throws -> [CommandRequest]? {
        guard try db.tableExists(RunnerSchema.commands) else { return nil }
        return try StoredRow.fetchAll(db, sql: WakuSQL.commandRequests, arguments: [projection, limit]).map(CommandRequest.init(row:))
    }

    public func snapshots(after streamId: String?, limit: Int) async throws -> [Snapshot] {
        try await read { [mapping] db in try mapping.snapshots(db, after: streamId, limit: limit) }
    }

    public func deadLetters(_ query: DeadLetterQuery) async throws -> [DeadLetter]? {
        try await read { [mapping] db in try mapping.deadLetters(db, query) }
    }

    public func outboxSummary() async throws -> OutboxSummary? {
        try await read { [mapping] db in try mapping.outboxSummary(db) }
    }

    public func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot {
        try await read { [mapping] db in
            // One read transaction: the head, checkpoints, leases and counts are one consistent state.
            var clock = try StoredRow.fetchOne(db, sql: sqliteNow).map(ColumnReader.init)
            let now = clock?.optionalTime(0)?.timestamp
            let head = try mapping.head(db)
            let leases = Dictionary(try mapping.leases(db).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            let statuses = Dictionary((try Self.runnerStatuses(db) ?? []).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            var latest: [String: CommandRequest] = [:]
            for r in try Self.commandRequests(db, projection: nil, limit: 1_000) ?? [] where latest[r.projectionName] == nil {
                latest[r.projectionName] = r
            }
            let progress = try mapping.checkpoints(db).map { checkpoint in
                let name = checkpoint.projectionName
                // A config's types win; else the runner's own account of what the projection takes.
                let types = request.eventTypes[name] ?? statuses[name]?.eventTypes ?? []
                let pending = try Self.pending(mapping, db, after: checkpoint.position, eventTypes: types, cap: request.pendingCap)
                let next = pending.count == 0 ? nil : try mapping.firstVisible(db, after: checkpoint.position, eventTypes: types)
                // A filtered projection's next event may lie past events of other types: those are no gap.
                let nextAny = next == nil || types.isEmpty ? nil : try mapping.firstVisible(db, after: checkpoint.position, eventTypes: [])
                return ProjectionProgress(checkpoint: checkpoint, lease: leases[name], pending: pending,
                                          nextVisible: next?.globalPosition, nextVisibleTime: next?.timestamp,
                                          nextVisibleAnyType: nextAny?.globalPosition, nextVisibleAnyTypeTime: nextAny?.timestamp,
                                          runner: statuses[name], latestRequest: latest[name])
            }
            return ProjectionSnapshot(head: head, databaseNow: now ?? Timestamp(microseconds: 0), projections: progress)
        }
    }

    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        guard limit > 0, info.capabilities.contains(.gaps) else { return [] }
        return try await read { [mapping] db in try mapping.gaps(db, in: window, limit: limit, includeOrphans: includeOrphans) }
    }

    public func countStreams(_ filter: StreamQuery.Filter, cap: Int64) async throws -> PendingCount {
        let prefix = StreamQuery(filter: filter).idPrefix
        return try await read { [mapping] db in
            let n = try mapping.countStreams(db, prefix: prefix, cap: cap)
            return n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: false)
        }
    }

    public func eventTypes(prefix: String, limit: Int) async throws -> [String] {
        try await read { [mapping] db in try mapping.eventTypes(db, prefix: prefix, limit: limit) }
    }

    public func softDeletedStreams() async throws -> Set<String> {
        try await read { [mapping] db in try mapping.softDeletedStreams(db) }
    }

    public func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        try await read { [mapping] db in try Self.pending(mapping, db, after: checkpoint, eventTypes: eventTypes, cap: cap) }
    }

    static func pending(_ mapping: any LayoutMapping, _ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>,
                        cap: Int64) throws -> PendingCount {
        let count = try mapping.pending(db, after: checkpoint, eventTypes: eventTypes, limit: cap + 1)
        return count > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: count, isCapped: false)
    }

    /// Runs a statement through the reader's own connection on GRDB's unguarded path (`unsafeRead`
    /// sets no read-only mode), so only the adapter's own guards stand in its way. For tests.
    func writeUnguardedForTesting(_ sql: String) async throws {
        try await database.unsafeRead { db in try db.execute(sql: sql) }
    }

    /// The adapter's two guards, each on its own: the file opened `SQLITE_OPEN_READONLY`, and `query_only`.
    func guardsForTesting() async throws -> (fileReadOnly: Bool, queryOnly: Bool) {
        try await database.unsafeRead { db in
            (sqlite3_db_readonly(db.sqliteConnection, "main") == 1, try Bool.fetchOne(db, sql: "PRAGMA query_only") ?? false)
        }
    }

    /// `EXPLAIN QUERY PLAN` details of a statement, for the plan tests.
    func queryPlan(_ sql: String, arguments: StatementArguments) async throws -> [String] {
        try await database.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
    }
}
