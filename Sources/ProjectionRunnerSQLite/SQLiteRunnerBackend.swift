import EventStore
import Foundation
import GRDB
import ProjectionRunner

/// The runner's backend on a SQLite store in the waku layout, through GRDB. Read-model writes and
/// the checkpoint commit in one transaction; leases use waku's statements (SPEC §3.1, §4).
///
/// Values are read through `DatabaseValue`, never through a trapping conversion: another program
/// may have written anything into any column.
public struct SQLiteRunnerBackend: RunnerBackend {
    public typealias Transaction = Database

    public let path: String
    public let queue: DatabaseQueue

    /// Opens an existing store read-write (it is never created here).
    public init(path: String, busyTimeout: Double = 10) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw StoreError.noSuchFile(path: path)
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeout)
        configuration.label = "eventscope.runner"
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            guard try db.tableExists("es_events"), try db.tableExists("es_streams") else {
                throw StoreError.notAStore(location: path, reason: "no es_events and es_streams tables: is this a waku store?")
            }
            // Readers never block the runner, nor it them.
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.path = path
        self.queue = queue
    }

    public func prepare() async throws {
        try await queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS es_checkpoints (projection_name TEXT PRIMARY KEY, position INTEGER NOT NULL,
                  updated_at TEXT NOT NULL, created_at TEXT)
                """)
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS es_projection_leases (projection_name TEXT PRIMARY KEY, holder_id TEXT NOT NULL,
                  acquired_at TEXT, renewed_at TEXT, expires_at TEXT NOT NULL)
                """)
            for ddl in [RunnerSchema.sqliteStatusDDL, RunnerSchema.sqliteCommandsDDL, RunnerSchema.sqliteCommandsIndexDDL] {
                try db.execute(sql: ddl)
            }
        }
    }

    public func head() async throws -> GlobalPosition {
        try await queue.read { db in
            Self.int(try DatabaseValue.fetchOne(db, sql: "SELECT MAX(global_position) FROM es_events")) ?? -1
        }
    }

    public func checkpoint(_ projection: String) async throws -> GlobalPosition? {
        try await queue.read { db in
            Self.int(try DatabaseValue.fetchOne(db, sql: "SELECT position FROM es_checkpoints WHERE projection_name = ?",
                                                arguments: [projection]))
        }
    }

    public func events(after position: GlobalPosition, types: Set<String>?, limit: Int) async throws -> [RecordedEvent] {
        var sql = """
            SELECT e.global_position, e.event_id, e.stream_id, e.event_type, e.position, e.data, e.metadata, e.timestamp,
              e.schema_version, e.idempotency_key
            FROM es_events e
            WHERE e.global_position > ?
              AND EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            """
        var arguments: StatementArguments = [position]
        if let types {
            guard !types.isEmpty else { return [] }
            sql += " AND e.event_type IN (\(Array(repeating: "?", count: types.count).joined(separator: ", ")))"
            arguments += StatementArguments(types.sorted())
        }
        sql += " ORDER BY e.global_position LIMIT ?"
        arguments += [limit]
        let query = sql, bound = arguments
        return try await queue.read { db in
            let rows = try Row.fetchCursor(db, sql: query, arguments: bound)
            var events: [RecordedEvent] = []
            while let row = try rows.next() { events.append(Self.event(row)) }
            return events
        }
    }

    public func missingRuns(after: GlobalPosition, through: GlobalPosition) async throws -> [MissingRun] {
        guard through > after else { return [] }
        return try await queue.read { db in
            // Each row right after a hole names the hole; rows of deleted streams are present (they
            // are not gaps a writer may still fill).
            let rows = try Row.fetchAll(db, sql: """
                SELECT previous + 1, global_position - 1, timestamp FROM (
                  SELECT global_position, timestamp, LAG(global_position, 1, ?) OVER (ORDER BY global_position) AS previous
                  FROM es_events WHERE global_position > ? AND global_position <= ?)
                WHERE global_position > previous + 1
                """, arguments: [after, after, through])
            return rows.compactMap { row in
                guard let from = Self.int(row[0]), let to = Self.int(row[1]), from <= to else { return nil }
                return MissingRun(range: from...to, nextCommittedAt: Self.text(row[2]).flatMap { Timestamp(parsing: $0) })
            }
        }
    }

    public func commit(_ projection: String, checkpoint: GlobalPosition, at now: Timestamp,
                       _ body: @escaping @Sendable (Database) throws -> Void) async throws {
        try await queue.write { db in
            try body(db)
            try db.execute(sql: """
                INSERT INTO es_checkpoints (projection_name, position, updated_at, created_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (projection_name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
                """, arguments: [projection, checkpoint, now.iso8601, now.iso8601])
        }
    }

    /// waku's acquire: insert, or take over a row whose expiry has passed. A row whose expiry is not a
    /// time counts as expired (it can never be renewed by a holder reading it as one).
    public func acquireLease(_ projection: String, holder: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool {
        try await queue.write { db in
            try db.execute(sql: """
                INSERT INTO es_projection_leases (projection_name, holder_id, acquired_at, renewed_at, expires_at)
                VALUES (?1, ?2, ?3, ?3, ?4)
                ON CONFLICT (projection_name) DO UPDATE SET holder_id = excluded.holder_id, acquired_at = excluded.acquired_at,
                  renewed_at = excluded.renewed_at, expires_at = excluded.expires_at
                WHERE COALESCE(julianday(es_projection_leases.expires_at), 0) < julianday(?3)
                """, arguments: [projection, holder, now.iso8601, expiresAt.iso8601])
            return db.changesCount > 0
        }
    }

    public func renewLease(_ projection: String, holder: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool {
        try await queue.write { db in
            try db.execute(sql: """
                UPDATE es_projection_leases SET renewed_at = ?, expires_at = ? WHERE projection_name = ? AND holder_id = ?
                """, arguments: [now.iso8601, expiresAt.iso8601, projection, holder])
            return db.changesCount > 0
        }
    }

    public func releaseLease(_ projection: String, holder: String) async throws {
        try await queue.write { db in
            try db.execute(sql: "DELETE FROM es_projection_leases WHERE projection_name = ? AND holder_id = ?",
                           arguments: [projection, holder])
        }
    }

    public func writeStatus(_ status: RunnerStatus) async throws {
        let types = status.eventTypes.map { JSONValue.array($0.sorted().map(JSONValue.string)).compact }
        try await queue.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO es_projection_status (projection_name, state, holder_id, heartbeat_at, checkpoint, event_types,
                  events_per_second, last_error, last_error_position, skipped_batches, rebuild_target, rebuild_started_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [status.projectionName, status.state.text, status.holderId, status.heartbeatAt?.text,
                                 status.checkpoint, types, status.eventsPerSecond, status.lastError, status.lastErrorPosition,
                                 status.skippedBatches, status.rebuildTarget, status.rebuildStartedAt?.text, status.updatedAt?.text])
        }
    }

    public func openCommands() async throws -> [CommandRequest] {
        try await queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT id, projection_name, command, requested_by, requested_at, status FROM es_projection_commands
                WHERE status IN ('pending', 'running') ORDER BY id
                """).compactMap { row in
                guard let id = Self.int(row[0]), let name = Self.text(row[1]) else { return nil }
                return CommandRequest(id: id, projectionName: name, command: Self.text(row[2]) ?? "", requestedBy: Self.text(row[3]) ?? "",
                                      requestedAt: StoreTime(text: Self.text(row[4]) ?? ""), status: .init(text: Self.text(row[5]) ?? ""))
            }
        }
    }

    public func claimCommand(_ id: Int64, at now: Timestamp) async throws -> Bool {
        try await queue.write { db in
            try db.execute(sql: "UPDATE es_projection_commands SET status = 'running', started_at = ? WHERE id = ? AND status = 'pending'",
                           arguments: [now.iso8601, id])
            return db.changesCount > 0
        }
    }

    public func finishCommand(_ id: Int64, status: CommandRequest.Status, detail: String?, at now: Timestamp) async throws {
        try await queue.write { db in
            try db.execute(sql: """
                UPDATE es_projection_commands SET status = ?, detail = ?, started_at = COALESCE(started_at, ?), finished_at = ?
                WHERE id = ?
                """, arguments: [status.text, detail, now.iso8601, now.iso8601, id])
        }
    }

    // MARK: - Values as stored

    static func event(_ row: Row) -> RecordedEvent {
        var problems: [ValueProblem] = []
        func text(_ index: Int, _ field: String) -> String {
            let value: DatabaseValue = row[index]
            if let s = Self.text(value) { return s }
            problems.append(ValueProblem(field: field, stored: String(describing: value), reason: "not text"))
            return ""
        }
        func int(_ index: Int, _ field: String) -> Int64 {
            let value: DatabaseValue = row[index]
            if let n = Self.int(value) { return n }
            problems.append(ValueProblem(field: field, stored: String(describing: value), reason: "not an integer"))
            return 0
        }
        let position = int(0, "global_position")
        return RecordedEvent(globalPosition: position, eventId: text(1, "event_id"), streamId: text(2, "stream_id"),
                             eventType: text(3, "event_type"), position: int(4, "position"), data: text(5, "data"),
                             metadata: text(6, "metadata"), timestamp: StoreTime(text: text(7, "timestamp")),
                             schemaVersion: int(8, "schema_version"), idempotencyKey: text(9, "idempotency_key"),
                             problems: problems)
    }

    static func int(_ value: DatabaseValue?) -> Int64? {
        switch value?.storage {
        case .int64(let n): n
        case .double(let d): d.isFinite && d == d.rounded() && abs(d) < 9e18 ? Int64(d) : nil
        case .string(let s): Int64(s)
        default: nil
        }
    }

    static func text(_ value: DatabaseValue?) -> String? {
        switch value?.storage {
        case .string(let s): s
        case .int64(let n): String(n)
        case .double(let d): String(d)
        case .blob(let data): String(decoding: data, as: UTF8.self)
        default: nil
        }
    }
}
