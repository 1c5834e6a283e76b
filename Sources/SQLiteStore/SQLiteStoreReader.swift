import EventStore
import Foundation
import GRDB
import GRDBSQLite

/// The read-only reader for the waku layout on SQLite (SPEC §3.2).
///
/// The file is opened `SQLITE_OPEN_READONLY` with `PRAGMA query_only`, so no statement can write,
/// and never created when missing. A WAL store keeps being readable while another process appends:
/// each read sees the latest committed state.
public struct SQLiteStoreReader: StoreReader {
    public let info: StoreInfo
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
            let layout: StoreLayout?, failure: StoreError?
            do throws(StoreError) {
                (layout, failure) = (try SQLiteCatalog.layout(of: database, location: path, forced: forced), nil)
            } catch {
                (layout, failure) = (nil, error)
            }
            let current: Bool
            do { current = try connection.validate(database) } catch { throw Self.describe(error, location: path) }
            guard current else { continue }
            if let failure { throw failure }
            if let layout { return SQLiteStoreReader(info: StoreInfo(location: path, layout: layout), connection: connection, path: path) }
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
        try await read { db in try StoredRow.fetchInteger(db, sql: WakuSQL.head) ?? -1 }
    }

    public func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        let (sql, arguments) = WakuSQL.streams(query)
        return try await read { db in try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(StreamSummary.init(row:)) }
    }

    public func stream(id: String) async throws -> StreamSummary? {
        try await read { db in try StoredRow.fetchOne(db, sql: WakuSQL.streamById, arguments: [WakuSQL.idBytes(id)]).map(StreamSummary.init(row:)) }
    }

    public func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        let (sql, arguments) = WakuSQL.streamEvents(query)
        return try await read { db in try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(RecordedEvent.init(row:)) }
    }

    public func log(_ query: LogQuery) async throws -> [RecordedEvent] {
        guard query.limit > 0 else { return [] }
        let (sql, arguments) = WakuSQL.log(query)
        return try await read { db in try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(RecordedEvent.init(row:)) }
    }

    public func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0, !ranges.isEmpty else { return [] }
        // Short ranges (a follower's holes) in one statement; a long one (everything after the
        // cursor) keyset-paged on its own, so its cost is the page, not the range. One transaction.
        let short = ranges.filter { $0.upperBound - $0.lowerBound < Int64(limit) }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }
        let pairs = JSONValue.array(short.map { .array([.int($0.lowerBound), .int($0.upperBound)]) }).compact
        return try await read { db in
            var found = short.isEmpty ? [] : try StoredRow.fetchAll(db, sql: WakuSQL.eventsInRanges, arguments: [pairs, limit]).map(RecordedEvent.init(row:))
            for range in long {
                found += try StoredRow.fetchAll(db, sql: WakuSQL.eventsInRange, arguments: [range.lowerBound, range.upperBound, limit])
                    .map(RecordedEvent.init(row:))
            }
            return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
        }
    }

    public func event(at position: GlobalPosition) async throws -> RecordedEvent? {
        try await read { db in try StoredRow.fetchOne(db, sql: WakuSQL.eventAt, arguments: [position]).map(RecordedEvent.init(row:)) }
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await read(Self.checkpoints)
    }

    static func checkpoints(_ db: Database) throws -> [Checkpoint] {
        guard try db.tableExists(WakuSchema.checkpoints) else { return [] }
        return try StoredRow.fetchAll(db, sql: WakuSQL.checkpoints).map(Checkpoint.init(row:))
    }

    public func leases() async throws -> [Lease] {
        try await read(Self.leases)
    }

    static func leases(_ db: Database) throws -> [Lease] {
        guard try db.tableExists(WakuSchema.leases) else { return [] }
        return try StoredRow.fetchAll(db, sql: WakuSQL.leases).map(Lease.init(row:))
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
        try await read { db in
            guard try db.tableExists(WakuSchema.snapshots) else { return [] }
            return try StoredRow.fetchAll(db, sql: WakuSQL.snapshots, arguments: [WakuSQL.idBytes(streamId ?? ""), limit]).map(Snapshot.init(row:))
        }
    }

    public func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot {
        try await read { db in
            // One read transaction: the head, checkpoints, leases and counts are one consistent state.
            var clock = try StoredRow.fetchOne(db, sql: WakuSQL.databaseNow).map(ColumnReader.init)
            let now = clock?.optionalTime(0)?.timestamp
            let head = try StoredRow.fetchInteger(db, sql: WakuSQL.head) ?? -1
            let leases = Dictionary(try Self.leases(db).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            let statuses = Dictionary((try Self.runnerStatuses(db) ?? []).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            var latest: [String: CommandRequest] = [:]
            for r in try Self.commandRequests(db, projection: nil, limit: 1_000) ?? [] where latest[r.projectionName] == nil {
                latest[r.projectionName] = r
            }
            let progress = try Self.checkpoints(db).map { checkpoint in
                let name = checkpoint.projectionName
                // A config's types win; else the runner's own account of what the projection takes.
                let types = request.eventTypes[name] ?? statuses[name]?.eventTypes ?? []
                let pending = try Self.pending(db, after: checkpoint.position, eventTypes: types, cap: request.pendingCap)
                let next = pending.count == 0 ? nil : try Self.firstVisible(db, after: checkpoint.position, eventTypes: types)
                return ProjectionProgress(checkpoint: checkpoint, lease: leases[name], pending: pending,
                                          nextVisible: next?.globalPosition, nextVisibleTime: next?.timestamp,
                                          runner: statuses[name], latestRequest: latest[name])
            }
            return ProjectionSnapshot(head: head, databaseNow: now ?? Timestamp(microseconds: 0), projections: progress)
        }
    }

    static func firstVisible(_ db: Database, after position: GlobalPosition, eventTypes: Set<String>) throws -> RecordedEvent? {
        let (sql, arguments) = WakuSQL.log(LogQuery(anchor: .after(.position(position)), limit: 1, eventTypes: eventTypes))
        return try StoredRow.fetchOne(db, sql: sql, arguments: arguments).map(RecordedEvent.init(row:))
    }

    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        guard limit > 0 else { return [] }
        let (lo, hi) = (window.lowerBound, window.upperBound)
        return try await read { db in
            var missing: [Gap] = []
            let first = try StoredRow.fetchInteger(db, sql: WakuSQL.firstPositionInWindow, arguments: [lo, hi])
            if (first ?? hi + 1) > lo { missing.append(Gap(from: lo, to: (first ?? hi + 1) - 1, kind: .missing)) }
            missing += try StoredRow.fetchAll(db, sql: WakuSQL.missingRuns, arguments: [hi, lo, limit]).compactMap(Self.run(.missing))
            // Text only: a deleted stream's id travels as JSON text (an id that is not UTF-8 cannot).
            let deletedIds = try StoredRow.fetchAll(db, sql: WakuSQL.deletedStreams).compactMap { row -> String? in
                guard case .text(let bytes) = row[0] else { return nil }
                return String(validating: bytes, as: UTF8.self)
            }
            var hidden: [Gap] = []
            if !deletedIds.isEmpty || includeOrphans {
                let ids = JSONValue.array(deletedIds.map(JSONValue.string)).compact
                hidden = try StoredRow.fetchAll(db, sql: WakuSQL.hiddenRuns(orphans: includeOrphans), arguments: [ids, lo, hi, limit])
                    .compactMap(Self.run(.deleted))
            }
            return Array(Gap.merge(missing: missing, deleted: hidden).prefix(limit))
        }
    }

    public func countStreams(_ filter: StreamQuery.Filter, cap: Int64) async throws -> PendingCount {
        let prefix = StreamQuery(filter: filter).idPrefix
        return try await read { db in
            let n = try StoredRow.fetchInteger(db, sql: WakuSQL.countStreams(prefix: prefix),
                                               arguments: [prefix, prefix + "\u{10FFFF}", cap + 1]) ?? 0
            return n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: false)
        }
    }

    public func eventTypes(prefix: String, limit: Int) async throws -> [String] {
        try await read { db in
            var types: [String] = []
            // '' sorts before every type; the first seek asks for types >= the prefix.
            var last = ""
            // A type stored as anything but UTF-8 text cannot be typed back: the walk ends there.
            while types.count < limit,
                  case .text(let bytes)? = try StoredRow.fetchOne(db, sql: WakuSQL.nextEventType,
                                                                   arguments: [last, prefix, prefix + "\u{10FFFF}"])?[0],
                  let next = String(validating: bytes, as: UTF8.self) {
                if next.hasPrefix(prefix) { types.append(next) }
                last = next
            }
            return types
        }
    }

    public func softDeletedStreams() async throws -> Set<String> {
        try await read { db in
            Set(try StoredRow.fetchAll(db, sql: WakuSQL.deletedStreams).map { row -> String in
                if case .text(let bytes) = row[0] { return EscapedBytes.display(bytes).text }
                return "\(row[0])"
            })
        }
    }

    /// A run of positions from a row's two first columns; nil when they are not integers (a
    /// layout that is not waku's, a hand-edited table): a wrong gap is worse than none.
    static func run(_ kind: Gap.Kind) -> @Sendable (StoredRow) -> Gap? {
        { row in
            guard case .integer(let from) = row[0], case .integer(let to) = row[1], from <= to else { return nil }
            return Gap(from: from, to: to, kind: kind)
        }
    }

    public func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        try await read { db in try Self.pending(db, after: checkpoint, eventTypes: eventTypes, cap: cap) }
    }

    static func pending(_ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) throws -> PendingCount {
        let count: Int64
        if eventTypes.isEmpty {
            count = try StoredRow.fetchInteger(db, sql: WakuSQL.pending, arguments: [checkpoint, cap + 1]) ?? 0
        } else {
            var arguments: [any DatabaseValueConvertible] = [checkpoint]
            arguments += eventTypes.sorted() as [any DatabaseValueConvertible]
            arguments.append(cap + 1)
            count = try StoredRow.fetchInteger(db, sql: WakuSQL.pending(types: eventTypes.count), arguments: StatementArguments(arguments)) ?? 0
        }
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
