import EventStore
import Foundation
import Logging
import PostgresNIO

/// The read-only reader for the waku layout on PostgreSQL (SPEC §3.1).
///
/// Read-only twice over: every session starts with `default_transaction_read_only=on`, and reads
/// that take several statements run in one `READ ONLY` transaction at `REPEATABLE READ`, so they
/// see one snapshot (`projectionProgress`, `gaps`, `events(in:)`). A single statement runs in its
/// own implicit transaction, read-only by the session's default. Sessions lost with the server
/// are made again on the next read (`ReaderSessions`).
///
/// JSON columns (`jsonb`) come back as the server re-serialises them: key order and spacing are
/// PostgreSQL's, not the writer's. The values are the same.
public struct PostgresStoreReader: StoreReader, OpenTransactionReader {
    public let info: StoreInfo
    public let target: PostgresTarget
    let sessions: ReaderSessions
    /// Whether `stream_id` sorts by bytes here (C collations): prefix filters are then index ranges.
    let byteOrdered: Bool

    /// Opens `url` with the environment, the user and the password file of this process (libpq's rules).
    public static func open(url: String, layout forced: StoreLayout? = nil) async throws -> PostgresStoreReader {
        try await open(target: try PostgresTarget.fromSystem(url: url), layout: forced)
    }

    /// Connects, checks that the database holds a waku store this role may read, and notes its
    /// collation. Each failure is one line naming what to do, thrown as bad input (exit status 2).
    public static func open(target: PostgresTarget, layout forced: StoreLayout? = nil) async throws -> PostgresStoreReader {
        let sessions = ReaderSessions(target: target)
        let location = target.location
        let probe = PostgresStoreReader(info: StoreInfo(location: location, layout: .waku), target: target,
                                        sessions: sessions, byteOrdered: true)
        do {
            let (catalog, unreadable, byteOrdered) = try await probe.read(transaction: true) { session in
                var catalog: SchemaCatalog = [:]
                for row in try await session.rows(Statement(PostgresSQL.catalog)) {
                    guard case .text(let t) = row[0], case .text(let c) = row[1] else { continue }
                    catalog[String(decoding: t, as: UTF8.self), default: []].insert(String(decoding: c, as: UTF8.self))
                }
                let unreadable = try await session.rows(Statement(PostgresSQL.unreadableTables)).compactMap { row -> String? in
                    if case .text(let t) = row[0] { return String(decoding: t, as: UTF8.self) }
                    return nil
                }
                var byteOrdered = true
                if catalog[WakuSchema.streams]?.contains("stream_id") == true,
                   case .text(let answer)? = try await session.rows(Statement(PostgresSQL.streamIdsSortByBytes)).first?[0] {
                    byteOrdered = String(decoding: answer, as: UTF8.self) == "true"
                }
                return (catalog, unreadable, byteOrdered)
            }
            let layout = try Self.layout(of: catalog, location: location, forced: forced)
            if !unreadable.isEmpty {
                let tables = unreadable.joined(separator: ", ")
                throw StoreError.unsupportedLocation(location, reason: """
                    permission denied for table\(unreadable.count == 1 ? "" : "s") \(tables): the role \(target.user.debugDescription) \
                    needs `GRANT SELECT ON \(tables) TO \(target.user)`
                    """)
            }
            return PostgresStoreReader(info: StoreInfo(location: location, layout: layout), target: target,
                                       sessions: sessions, byteOrdered: byteOrdered)
        } catch {
            await sessions.closeAll()
            // Whatever stops the opening is the operator's to fix: bad input, one line, exit status 2.
            if let error = error as? StoreError, case .unreachable(_, let reason) = error {
                throw StoreError.unsupportedLocation(location, reason: reason)
            }
            throw error
        }
    }

    static func layout(of catalog: SchemaCatalog, location: String, forced: StoreLayout?) throws(StoreError) -> StoreLayout {
        let layout = try StoreLayout.resolve(in: catalog, forced: forced, location: location, scope: " (on the search path)")
        guard layout == .waku else {
            throw .notAStore(location: location, reason: "this looks like a\(layout == .eventsourcePy ? "n" : "") \(layout) store; this version reads the waku layout only")
        }
        return layout
    }

    /// Closes the idle sessions (a process that ends closes them anyway).
    public func close() async { await sessions.closeAll() }

    // MARK: Reading

    /// One session's statements, for the duration of a read.
    struct Session {
        let connection: PostgresConnection
        let logger: Logger

        func rows(_ statement: Statement) async throws -> [ServerRow] {
            var rows: [ServerRow] = []
            for try await row in try await connection.query(statement.query, logger: logger) { rows.append(ServerRow(row)) }
            return rows
        }

        func one(_ statement: Statement) async throws -> ServerRow? { try await rows(statement).first }

        /// The first column of the first row as an integer; nil for no row, NULL or anything else.
        func integer(_ statement: Statement) async throws -> Int64? {
            switch try await one(statement)?[0] {
            case .integer(let i)?: return i
            case .text(let bytes)?: return Int64(String(decoding: bytes, as: UTF8.self))
            default: return nil
            }
        }

        func execute(_ sql: String) async throws { _ = try await rows(Statement(sql)) }

        /// Whether a table is on the search path (the runner's tables appear when a runner starts).
        func exists(_ table: String) async throws -> Bool {
            var s = Statement()
            s.sql = "SELECT (to_regclass(\(s.bind(table))) IS NOT NULL)::text"
            if case .text(let answer)? = try await one(s)?[0] { return String(decoding: answer, as: UTF8.self) == "true" }
            return false
        }
    }

    /// Runs a read on a session, in one read-only snapshot when `transaction`. A session that turns
    /// out to be dead (the server restarted since it was last used) is replaced once, at once.
    func read<T: Sendable>(transaction: Bool = false, _ body: @Sendable (Session) async throws -> T) async throws -> T {
        for attempt in 0..<2 {
            let connection: PostgresConnection, reused: Bool
            do {
                (connection, reused) = try await sessions.checkout()
            } catch {
                throw PostgresFailure.describe(error, target: target)
            }
            let session = Session(connection: connection, logger: sessions.logger)
            do {
                if transaction { try await session.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") }
                let value = try await body(session)
                if transaction { try await session.execute("COMMIT") }
                await sessions.checkin(connection)
                return value
            } catch {
                let lost = connection.isClosed || PostgresFailure.isConnectionLoss(error)
                if lost {
                    sessions.discard(connection)
                    if reused, attempt == 0, !(error is CancellationError) { continue }
                } else {
                    if transaction { try? await session.execute("ROLLBACK") }
                    await sessions.checkin(connection)
                }
                if error is CancellationError { throw error }
                throw PostgresFailure.describe(error, target: target)
            }
        }
        throw StoreError.unreachable(location: target.location, reason: "the connection was lost twice in a row")
    }

    public func head() async throws -> GlobalPosition {
        try await read { s in try await s.integer(Statement(PostgresSQL.head)) ?? -1 }
    }

    public func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        guard query.limit > 0 else { return [] }
        let statement = PostgresSQL.streams(query, byteOrdered: byteOrdered)
        return try await read { s in try await s.rows(statement).map(StreamSummary.init(server:)) }
    }

    public func stream(id: String) async throws -> StreamSummary? {
        try await read { s in try await s.one(PostgresSQL.streamById(Self.bound(id))).map(StreamSummary.init(server:)) }
    }

    /// A stream id as bound: the text its shown form names (`EscapedBytes`).
    static func bound(_ id: String) -> String { String(decoding: EscapedBytes.decode(id), as: UTF8.self) }

    public func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        guard query.limit > 0 else { return [] }
        var q = query
        q.streamId = Self.bound(query.streamId)
        let statement = PostgresSQL.streamEvents(q)
        return try await read { s in try await s.rows(statement).map(RecordedEvent.init(server:)) }
    }

    public func log(_ query: LogQuery) async throws -> [RecordedEvent] {
        guard query.limit > 0 else { return [] }
        let statement = PostgresSQL.log(query)
        return try await read { s in try await s.rows(statement).map(RecordedEvent.init(server:)) }
    }

    public func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0, !ranges.isEmpty else { return [] }
        // Short ranges (a follower's holes) in one statement; a long one keyset-paged on its own.
        let short = ranges.filter { $0.upperBound - $0.lowerBound < Int64(limit) }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }
        return try await read(transaction: short.count > 0 && long.count > 0 || long.count > 1) { s in
            var found = short.isEmpty ? [] : try await s.rows(PostgresSQL.eventsInRanges(short, limit: limit)).map(RecordedEvent.init(server:))
            for range in long {
                found += try await s.rows(PostgresSQL.eventsInRange(range, limit: limit)).map(RecordedEvent.init(server:))
            }
            return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
        }
    }

    public func event(at position: GlobalPosition) async throws -> RecordedEvent? {
        try await read { s in try await s.one(PostgresSQL.eventAt(position)).map(RecordedEvent.init(server:)) }
    }

    public func event(id: String) async throws -> RecordedEvent? {
        guard let uuid = UUID(uuidString: id.trimmingCharacters(in: .whitespaces)) else { return nil }
        return try await read { s in try await s.one(PostgresSQL.eventWithId(uuid.uuidString.lowercased())).map(RecordedEvent.init(server:)) }
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await read(transaction: true, Self.checkpoints)
    }

    @Sendable static func checkpoints(_ s: Session) async throws -> [Checkpoint] {
        guard try await s.exists(WakuSchema.checkpoints) else { return [] }
        return try await s.rows(Statement(PostgresSQL.checkpoints)).map(Checkpoint.init(server:))
    }

    public func leases() async throws -> [Lease] {
        try await read(transaction: true, Self.leases)
    }

    @Sendable static func leases(_ s: Session) async throws -> [Lease] {
        guard try await s.exists(WakuSchema.leases) else { return [] }
        return try await s.rows(Statement(PostgresSQL.leases)).map(Lease.init(server:))
    }

    public func runnerStatuses() async throws -> [RunnerStatus]? {
        try await read(transaction: true, Self.runnerStatuses)
    }

    @Sendable static func runnerStatuses(_ s: Session) async throws -> [RunnerStatus]? {
        guard try await s.exists(RunnerSchema.status) else { return nil }
        return try await s.rows(Statement(PostgresSQL.runnerStatuses)).map(RunnerStatus.init(server:))
    }

    public func commandRequests(projection: String?, limit: Int) async throws -> [CommandRequest]? {
        try await read(transaction: true) { s in try await Self.commandRequests(s, projection: projection, limit: limit) }
    }

    static func commandRequests(_ s: Session, projection: String?, limit: Int) async throws -> [CommandRequest]? {
        guard try await s.exists(RunnerSchema.commands) else { return nil }
        return try await s.rows(PostgresSQL.commandRequests(projection: projection, limit: limit)).map(CommandRequest.init(server:))
    }

    public func snapshots(after streamId: String?, limit: Int) async throws -> [Snapshot] {
        try await read(transaction: true) { s in
            guard try await s.exists(WakuSchema.snapshots) else { return [] }
            return try await s.rows(PostgresSQL.snapshots(after: streamId.map(Self.bound), limit: limit)).map(Snapshot.init(server:))
        }
    }

    public func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot {
        try await read(transaction: true) { s in
            // One read-only REPEATABLE READ transaction: head, checkpoints, leases, counts and the
            // server's now() (the transaction's start) all describe one state.
            var clock = try await s.one(Statement(PostgresSQL.databaseNow)).map(ServerColumnReader.init)
            let now = clock?.optionalTime(0)?.timestamp
            let head = try await s.integer(Statement(PostgresSQL.head)) ?? -1
            let leases = Dictionary(try await Self.leases(s).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            let statuses = Dictionary((try await Self.runnerStatuses(s) ?? []).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            var latest: [String: CommandRequest] = [:]
            for r in try await Self.commandRequests(s, projection: nil, limit: 1_000) ?? [] where latest[r.projectionName] == nil {
                latest[r.projectionName] = r
            }
            var progress: [ProjectionProgress] = []
            for checkpoint in try await Self.checkpoints(s) {
                let name = checkpoint.projectionName
                // A config's types win; else the runner's own account of what the projection takes.
                let types = request.eventTypes[name] ?? statuses[name]?.eventTypes ?? []
                let pending = try await Self.pending(s, after: checkpoint.position, eventTypes: types, cap: request.pendingCap)
                let next = pending.count == 0 ? nil
                    : try await s.one(PostgresSQL.log(LogQuery(anchor: .after(.position(checkpoint.position)), limit: 1, eventTypes: types)))
                        .map(RecordedEvent.init(server:))
                // A filtered projection's next event may lie past events of other types: those are no gap.
                let nextAny = next == nil || types.isEmpty ? nil
                    : try await s.one(PostgresSQL.log(LogQuery(anchor: .after(.position(checkpoint.position)), limit: 1)))
                        .map(RecordedEvent.init(server:))
                progress.append(ProjectionProgress(checkpoint: checkpoint, lease: leases[name], pending: pending,
                                                   nextVisible: next?.globalPosition, nextVisibleTime: next?.timestamp,
                                                   nextVisibleAnyType: nextAny?.globalPosition, nextVisibleAnyTypeTime: nextAny?.timestamp,
                                                   runner: statuses[name], latestRequest: latest[name]))
            }
            return ProjectionSnapshot(head: head, databaseNow: now ?? Timestamp(microseconds: 0), projections: progress)
        }
    }

    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        guard limit > 0 else { return [] }
        return try await read(transaction: true) { s in
            var missing: [Gap] = []
            let first = try await s.integer(PostgresSQL.firstPositionInWindow(window))
            let (lo, hi) = (window.lowerBound, window.upperBound)
            let leading = first.map { $0 - 1 } ?? hi
            if leading >= lo { missing.append(Gap(from: lo, to: leading, kind: .missing)) }
            // The window's end + 1 closes the last run: kept below the largest integer.
            let bounded = lo...min(hi, GlobalPosition.max - 1)
            missing += try await s.rows(PostgresSQL.missingRuns(in: bounded, limit: limit)).compactMap(Self.run(.missing))
            let deleted = try await s.rows(Statement(PostgresSQL.deletedStreams)).compactMap { row -> String? in
                guard case .text(let bytes) = row[0] else { return nil }
                return String(validating: bytes, as: UTF8.self)
            }
            var hidden: [Gap] = []
            if !deleted.isEmpty || includeOrphans {
                hidden = try await s.rows(PostgresSQL.hiddenRuns(deleted: deleted, orphans: includeOrphans, in: window, limit: limit))
                    .compactMap(Self.run(.deleted))
            }
            return Array(Gap.merge(missing: missing, deleted: hidden).prefix(limit))
        }
    }

    /// A run from a row's two first columns; nil when they are not integers in order.
    static func run(_ kind: Gap.Kind) -> @Sendable (ServerRow) -> Gap? {
        { row in
            guard case .integer(let from) = row[0], case .integer(let to) = row[1], from <= to else { return nil }
            return Gap(from: from, to: to, kind: kind)
        }
    }

    public func countStreams(_ filter: StreamQuery.Filter, cap: Int64) async throws -> PendingCount {
        let prefix = StreamQuery(filter: filter).idPrefix
        let statement = PostgresSQL.countStreams(prefix: prefix, cap: cap, byteOrdered: byteOrdered)
        return try await read { s in
            let n = try await s.integer(statement) ?? 0
            return n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: false)
        }
    }

    public func eventTypes(prefix: String, limit: Int) async throws -> [String] {
        guard limit > 0 else { return [] }
        let byteOrdered = byteOrdered
        return try await read(transaction: true) { s in
            var types: [String] = []
            var last = ""
            // Where types do not sort by bytes a prefix is no range: walk every type (one seek each), at most this many.
            var seeks = byteOrdered ? Int.max : 10_000
            while types.count < limit || !byteOrdered, seeks > 0 {
                seeks -= 1
                let statement = PostgresSQL.nextEventType(after: last, from: byteOrdered ? prefix : "",
                                                          upper: byteOrdered ? prefix + "\u{10FFFF}" : nil)
                guard case .text(let bytes)? = try await s.one(statement)?[0],
                      let next = String(validating: bytes, as: UTF8.self) else { break }
                if next.hasPrefix(prefix) { types.append(next) }
                last = next
            }
            return Array(types.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }.prefix(limit))
        }
    }

    public func softDeletedStreams() async throws -> Set<String> {
        try await read { s in
            Set(try await s.rows(Statement(PostgresSQL.deletedStreams)).map { row -> String in
                var c = ServerColumnReader(row)
                return c.streamId(0, "stream_id")
            })
        }
    }

    public func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        try await read { s in try await Self.pending(s, after: checkpoint, eventTypes: eventTypes, cap: cap) }
    }

    static func pending(_ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        let count = try await s.integer(PostgresSQL.pending(after: checkpoint, eventTypes: eventTypes, cap: cap)) ?? 0
        return count > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: count, isCapped: false)
    }

    public func openWriters() async throws -> OpenWriters {
        try await read { s in
            var c = ServerColumnReader(try await s.one(Statement(PostgresSQL.openWriters)) ?? ServerRow(values: []))
            return OpenWriters(oldestAge: c.optionalReal(0, "age"), hiddenSessions: Int(c.optionalInt(1, "hidden") ?? 0))
        }
    }

    // MARK: For tests

    /// Runs a statement on one of the reader's own sessions, outside any transaction the adapter
    /// makes: only the session's own settings stand in its way. For the read-only test.
    func executeForTesting(_ sql: String) async throws -> [String?] {
        try await read { s in
            try await s.rows(Statement(sql)).map { row -> String? in
                if case .text(let bytes) = row[0] { return String(decoding: bytes, as: UTF8.self) }
                if case .integer(let i) = row[0] { return String(i) }
                return nil
            }
        }
    }

    /// The plan of a statement (`EXPLAIN`, text format), one line per row.
    func planForTesting(_ statement: Statement) async throws -> [String] {
        var statement = statement
        statement.sql = "EXPLAIN " + statement.sql
        let explain = statement
        return try await read { s in
            try await s.rows(explain).map { row -> String in
                if case .text(let bytes) = row[0] { return String(decoding: bytes, as: UTF8.self) }
                return ""
            }
        }
    }
}
