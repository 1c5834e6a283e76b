import EventStore
import Foundation
import Logging
import PostgresNIO

/// The read-only reader for PostgreSQL stores of every layout (SPEC §3.1, §3.3–§3.5): each
/// layout's tables are mapped onto `StoreReader` by its `PostgresLayoutMapping`.
///
/// Read-only twice over: every session starts with `default_transaction_read_only=on`, and reads
/// that take several statements run in one `READ ONLY` transaction at `REPEATABLE READ`, so they
/// see one snapshot (`projectionProgress`, `gaps`, `events(in:)`). A single statement runs in its
/// own implicit transaction, read-only by the session's default. Sessions lost with the server
/// are made again on the next read (`ReaderSessions`).
///
/// JSON columns (`jsonb`) come back as the server re-serialises them: key order and spacing are
/// PostgreSQL's, not the writer's. The values are the same.
public struct PostgresStoreReader: StoreReader, OpenTransactionReader, VisibilityHorizonReader, LogStreamingReader {
    public let info: StoreInfo
    public let target: PostgresTarget
    let sessions: ReaderSessions
    let mapping: any PostgresLayoutMapping

    /// Whether the layout's stream ids sort by bytes here (C collations): prefix filters are then index ranges.
    var byteOrdered: Bool { (mapping as? WakuPostgresMapping)?.byteOrdered ?? true }

    /// Opens `url` with the environment, the user and the password file of this process (libpq's rules).
    public static func open(url: String, layout forced: StoreLayout? = nil) async throws -> PostgresStoreReader {
        try await open(target: try PostgresTarget.fromSystem(url: url), layout: forced)
    }

    /// Connects, recognises the layout of the tables on the search path, and checks that this role
    /// may read them. Each failure is one line naming what to do, thrown as bad input (exit status 2).
    public static func open(target: PostgresTarget, layout forced: StoreLayout? = nil) async throws -> PostgresStoreReader {
        let sessions = ReaderSessions(target: target)
        let location = target.location
        let probe = PostgresStoreReader(info: StoreInfo(location: location, layout: .waku), target: target,
                                        sessions: sessions, mapping: WakuPostgresMapping(byteOrdered: true))
        do {
            let catalog = try await probe.read { session in PostgresCatalog(rows: try await session.rows(Statement(PostgresCatalog.query))) }
            let layout = try Self.layout(of: catalog.schema, location: location, forced: forced)
            let mapping = PostgresLayoutMappings.mapping(for: layout, catalog: catalog)
            let unreadable = try await probe.read { session in
                try await session.rows(PostgresSQL.unreadableTables(mapping.tables)).compactMap { row -> String? in
                    if case .text(let t) = row[0] { return String(decoding: t, as: UTF8.self) }
                    return nil
                }
            }
            if !unreadable.isEmpty {
                let tables = unreadable.joined(separator: ", ")
                throw StoreError.unsupportedLocation(location, reason: """
                    permission denied for table\(unreadable.count == 1 ? "" : "s") \(tables): the role \(target.user.debugDescription) \
                    needs `GRANT SELECT ON \(tables) TO \(target.user)`
                    """)
            }
            let info = StoreInfo(location: location, layout: layout, capabilities: mapping.capabilities(in: catalog.schema))
            return PostgresStoreReader(info: info, target: target, sessions: sessions, mapping: mapping)
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
        try StoreLayout.resolve(in: catalog, forced: forced, location: location, scope: " (on the search path)")
    }

    /// Closes the idle sessions (a process that ends closes them anyway).
    public func close() async { await sessions.closeAll() }

    // MARK: Reading

    /// One session's statements, for the duration of a read.
    struct Session {
        let connection: PostgresConnection
        let logger: Logger

        /// The whole result, collected on the connection's event loop as fast as the server sends it.
        /// Not postgres-nio's row sequence: while it waits for its consumer's demand (a consumer
        /// slower than the network), a server that closes the connection makes it trap
        /// (RowStreamStateMachine, postgres-nio 1.33.2); collected in one go there is no such wait.
        func rows(_ statement: Statement) async throws -> [ServerRow] {
            let result = try await connection.query(statement.query, logger: logger).get()
            return result.rows.map(ServerRow.init)
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
    func read<T>(transaction: Bool = false, _ body: (Session) async throws -> T) async throws -> T {
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
        try await read { [mapping] s in try await mapping.head(s) }
    }

    public func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        guard query.limit > 0 else { return [] }
        return try await read(transaction: mapping.streamReadsTakeSeveralStatements) { [mapping] s in try await mapping.streams(s, query) }
    }

    public func stream(id: String) async throws -> StreamSummary? {
        try await read(transaction: mapping.streamReadsTakeSeveralStatements) { [mapping] s in try await mapping.stream(s, id: id) }
    }

    /// A stream id as bound: the text its shown form names (`EscapedBytes`).
    static func bound(_ id: String) -> String { String(decoding: EscapedBytes.decode(id), as: UTF8.self) }

    public func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        guard query.limit > 0 else { return [] }
        return try await read(transaction: mapping.streamReadsTakeSeveralStatements) { [mapping] s in try await mapping.streamEvents(s, query) }
    }

    public func log(_ query: LogQuery) async throws -> [RecordedEvent] {
        guard query.limit > 0 else { return [] }
        return try await read { [mapping] s in try await mapping.log(s, query) }
    }

    /// How many events one page of `streamLog` holds: two pages (the one handed over and the next)
    /// are all it keeps, so memory stays bounded (a peak RSS of 108 MiB on 1M demo events, 137 MiB
    /// on 10M). Smaller pages cost a statement's start each: 5,000 took 3.0× psql's COPY on 1M
    /// events, 10,000 2.3×, 20,000 1.7–2.3× (`scripts/bench-postgres`).
    static let streamedPage = 20_000

    /// The log as `log` pages it, keyset-chained page after page, the next page read while `body`
    /// takes this one: the server and the decoding work while the caller writes. Each page is read
    /// whole as fast as the server sends it, never held open at the caller's pace: a caller piping
    /// into a paused `less` holds no statement open on the server (none for `statement_timeout` to
    /// cancel), and a session lost between or during pages is replaced by `read` as for any page.
    /// (Rows handed over one by one as they arrive would hold a statement at the caller's pace,
    /// and postgres-nio 1.33.2 traps when the server closes a connection while such a stream waits.)
    public func streamLog(_ query: LogQuery, _ body: (RecordedEvent) async throws -> Bool) async throws {
        try await streamLog(query, pageSize: Self.streamedPage, body)
    }

    func streamLog(_ query: LogQuery, pageSize: Int, _ body: (RecordedEvent) async throws -> Bool) async throws {
        var remaining = query.limit
        /// A page's rows as the server sent them, read on a task of its own; decoded by the caller.
        func page(after anchor: LogQuery.Anchor) -> (rows: Task<[ServerRow], any Error>, asked: Int, event: @Sendable (ServerRow) -> RecordedEvent) {
            var pageQuery = query
            pageQuery.anchor = anchor
            pageQuery.limit = min(remaining, pageSize)
            let (statement, event) = mapping.logPage(pageQuery)
            return (Task { try await read { s in try await s.rows(statement) } }, pageQuery.limit, event)
        }
        var next = remaining > 0 ? page(after: query.anchor) : nil
        defer { next?.rows.cancel() }
        while let reading = next {
            let rows = try await reading.rows.value
            remaining -= rows.count
            next = nil
            // The next page is asked for at once (its anchor is this page's last event), so the
            // server works on it while this one is decoded and handed over.
            if rows.count == reading.asked, remaining > 0, let last = rows.last {
                let cursor = reading.event(last).cursor
                let anchor: LogQuery.Anchor = switch query.anchor {
                case .after: .after(cursor)
                case .before: .before(cursor)
                }
                next = page(after: anchor)
            }
            for row in rows where !(try await body(reading.event(row))) { return }
        }
    }

    public func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        guard limit > 0, !ranges.isEmpty else { return [] }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }.count
        // One statement for the short ranges and one per long range: one snapshot when several.
        return try await read(transaction: long > 1 || long > 0 && long < ranges.count) { [mapping] s in
            try await mapping.events(s, in: ranges, limit: limit)
        }
    }

    public func event(at position: GlobalPosition) async throws -> RecordedEvent? {
        try await read { [mapping] s in try await mapping.event(s, at: position) }
    }

    public func event(id: String) async throws -> RecordedEvent? {
        try await read { [mapping] s in try await mapping.event(s, id: id) }
    }

    public func checkpoints() async throws -> [Checkpoint] {
        try await read(transaction: true) { [mapping] s in try await mapping.checkpoints(s) }
    }

    public func leases() async throws -> [Lease] {
        try await read(transaction: true) { [mapping] s in try await mapping.leases(s) }
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
        try await read(transaction: true) { [mapping] s in try await mapping.snapshots(s, after: streamId, limit: limit) }
    }

    public func deadLetters(_ query: DeadLetterQuery) async throws -> [DeadLetter]? {
        try await read(transaction: true) { [mapping] s in try await mapping.deadLetters(s, query) }
    }

    public func outboxSummary() async throws -> OutboxSummary? {
        try await read(transaction: true) { [mapping] s in try await mapping.outboxSummary(s) }
    }

    public func visibilityHorizon(cap: Int64) async throws -> VisibilityHorizon? {
        try await read(transaction: true) { [mapping] s in try await mapping.visibilityHorizon(s, cap: cap) }
    }

    public func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot {
        try await read(transaction: true) { [mapping] s in
            // One read-only REPEATABLE READ transaction: head, checkpoints, leases, counts and the
            // server's now() (the transaction's start) all describe one state.
            var clock = try await s.one(Statement(PostgresSQL.databaseNow)).map(ServerColumnReader.init)
            let now = clock?.optionalTime(0)?.timestamp
            let head = try await mapping.head(s)
            let leases = Dictionary(try await mapping.leases(s).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            let statuses = Dictionary((try await Self.runnerStatuses(s) ?? []).map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
            var latest: [String: CommandRequest] = [:]
            for r in try await Self.commandRequests(s, projection: nil, limit: 1_000) ?? [] where latest[r.projectionName] == nil {
                latest[r.projectionName] = r
            }
            var progress: [ProjectionProgress] = []
            for checkpoint in try await mapping.checkpoints(s) {
                let name = checkpoint.projectionName
                // A config's types win; else the runner's own account of what the projection takes.
                let types = request.eventTypes[name] ?? statuses[name]?.eventTypes ?? []
                let pending = try await Self.pending(mapping, s, after: checkpoint.position, eventTypes: types, cap: request.pendingCap)
                let next = pending.count == 0 ? nil : try await mapping.firstVisible(s, after: checkpoint.position, eventTypes: types)
                // A filtered projection's next event may lie past events of other types: those are no gap.
                let nextAny = next == nil || types.isEmpty ? nil : try await mapping.firstVisible(s, after: checkpoint.position, eventTypes: [])
                progress.append(ProjectionProgress(checkpoint: checkpoint, lease: leases[name], pending: pending,
                                                   nextVisible: next?.globalPosition, nextVisibleTime: next?.timestamp,
                                                   nextVisibleAnyType: nextAny?.globalPosition, nextVisibleAnyTypeTime: nextAny?.timestamp,
                                                   runner: statuses[name], latestRequest: latest[name]))
            }
            return ProjectionSnapshot(head: head, databaseNow: now ?? Timestamp(microseconds: 0), projections: progress)
        }
    }

    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        guard limit > 0, info.capabilities.contains(.gaps) else { return [] }
        return try await read(transaction: true) { [mapping] s in
            try await mapping.gaps(s, in: window, limit: limit, includeOrphans: includeOrphans)
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
        return try await read(transaction: mapping.streamReadsTakeSeveralStatements) { [mapping] s in
            let n = try await mapping.countStreams(s, prefix: prefix, cap: cap)
            return n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: false)
        }
    }

    public func eventTypes(prefix: String, limit: Int) async throws -> [String] {
        guard limit > 0 else { return [] }
        return try await read(transaction: true) { [mapping] s in try await mapping.eventTypes(s, prefix: prefix, limit: limit) }
    }

    public func softDeletedStreams() async throws -> Set<String> {
        try await read { [mapping] s in try await mapping.softDeletedStreams(s) }
    }

    public func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        try await read { [mapping] s in try await Self.pending(mapping, s, after: checkpoint, eventTypes: eventTypes, cap: cap) }
    }

    static func pending(_ mapping: any PostgresLayoutMapping, _ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>,
                        cap: Int64) async throws -> PendingCount {
        let count = try await mapping.pending(s, after: checkpoint, eventTypes: eventTypes, limit: cap + 1)
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
