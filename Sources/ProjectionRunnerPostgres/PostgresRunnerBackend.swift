import EventStore
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import ProjectionRunner

/// The statements a projection writes for one batch on PostgreSQL. `apply`, `teardown` and
/// `onSkip` add them; the backend sends them, then the checkpoint, in one transaction, so a read
/// model and its checkpoint never disagree. A projection cannot read back in the middle of a batch:
/// write upserts (`INSERT … ON CONFLICT … DO UPDATE SET n = t.n + excluded.n`).
public final class PostgresWrites: @unchecked Sendable {
    public private(set) var statements: [PostgresQuery] = []

    public init() {}

    public func execute(_ query: PostgresQuery) { statements.append(query) }
}

/// The runner's backend on a PostgreSQL store in the waku layout, over one connection of its own
/// (postgres-nio), reconnected after a failure. Leases use waku's statements (SPEC §3.1, §4):
/// acquire is an upsert that takes the row only when none exists or it has expired; renew moves
/// the expiry where the holder still matches; release deletes the row.
///
/// Every value is read as the server's text form and converted leniently: other programs write
/// these tables too.
public actor PostgresRunnerBackend: RunnerBackend {
    public typealias Transaction = PostgresWrites

    public nonisolated let target: PostgresTarget
    let logger: Logger
    var connection: PostgresConnection?
    var connections = 0

    static let startupParameters: [(String, String)] = [
        ("application_name", "eventscope-runner"),
        ("TimeZone", "UTC"),
        ("lock_timeout", "10s"),
    ]

    public init(target: PostgresTarget, logger: Logger = Logger(label: "eventscope.runner.postgres", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.target = target
        self.logger = logger
    }

    /// Closes the connection (the runner calls it when it stops).
    public func close() async {
        try? await connection?.close()
        connection = nil
    }

    // MARK: - Statements

    /// A timestamp as the server reads it back: ISO 8601 at UTC with microseconds.
    static let isoTime = #"'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'"#

    static func time(_ column: String) -> String { "to_char(\(column) AT TIME ZONE 'UTC', \(isoTime))" }

    public func prepare() async throws {
        try await run([
            """
            CREATE TABLE IF NOT EXISTS es_checkpoints (projection_name TEXT PRIMARY KEY, position BIGINT NOT NULL,
              updated_at TIMESTAMPTZ NOT NULL, created_at TIMESTAMPTZ DEFAULT now())
            """,
            """
            CREATE TABLE IF NOT EXISTS es_projection_leases (projection_name TEXT PRIMARY KEY, holder_id TEXT NOT NULL,
              acquired_at TIMESTAMPTZ DEFAULT now(), renewed_at TIMESTAMPTZ DEFAULT now(), expires_at TIMESTAMPTZ NOT NULL)
            """,
            RunnerSchema.postgresStatusDDL, RunnerSchema.postgresCommandsDDL, RunnerSchema.postgresCommandsIndexDDL,
        ].map { PostgresQuery(unsafeSQL: $0) }, transaction: true)
    }

    public func head() async throws -> GlobalPosition {
        Self.int(try await rows("SELECT max(global_position)::text FROM es_events").first?[0] ?? nil) ?? -1
    }

    public func checkpoint(_ projection: String) async throws -> GlobalPosition? {
        Self.int(try await rows("SELECT position::text FROM es_checkpoints WHERE projection_name = $1", [projection]).first?[0] ?? nil)
    }

    public func events(after position: GlobalPosition, types: Set<String>?, limit: Int) async throws -> [RecordedEvent] {
        var sql = """
            SELECT e.global_position::text, e.event_id::text, e.stream_id, e.event_type, e.position::text, e.data::text,
              e.metadata::text, \(Self.time("e.timestamp")), e.schema_version::text, e.idempotency_key
            FROM es_events e
            WHERE e.global_position > $1
              AND EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            """
        var binds = PostgresBindings()
        binds.append(position)
        binds.append(Int64(limit))
        if let types {
            guard !types.isEmpty else { return [] }
            sql += " AND e.event_type = ANY($3)"
            binds.append(types.sorted())
        }
        sql += " ORDER BY e.global_position LIMIT $2"
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(Self.event)
    }

    public func missingRuns(after: GlobalPosition, through: GlobalPosition) async throws -> [MissingRun] {
        guard through > after else { return [] }
        let found = try await rows("""
            SELECT (previous + 1)::text, (global_position - 1)::text, \(Self.time("timestamp")) FROM (
              SELECT global_position, timestamp, LAG(global_position, 1, $1) OVER (ORDER BY global_position) AS previous
              FROM es_events WHERE global_position > $1 AND global_position <= $2) AS r
            WHERE global_position > previous + 1
            """, [after, through])
        return found.compactMap { row in
            guard let from = Self.int(row[0]), let to = Self.int(row[1]), from <= to else { return nil }
            return MissingRun(range: from...to, nextCommittedAt: row[2].flatMap { Timestamp(parsing: $0) })
        }
    }

    public func commit(_ projection: String, checkpoint: GlobalPosition, at now: Timestamp,
                       _ body: @escaping @Sendable (PostgresWrites) throws -> Void) async throws {
        let writes = PostgresWrites()
        try body(writes)
        var binds = PostgresBindings()
        binds.append(projection)
        binds.append(checkpoint)
        binds.append(now.iso8601)
        let save = PostgresQuery(unsafeSQL: """
            INSERT INTO es_checkpoints (projection_name, position, updated_at, created_at) VALUES ($1, $2, $3::timestamptz, $3::timestamptz)
            ON CONFLICT (projection_name) DO UPDATE SET position = EXCLUDED.position, updated_at = EXCLUDED.updated_at
            """, binds: binds)
        try await run(writes.statements + [save], transaction: true)
    }

    /// waku's acquire. A row whose expiry has passed (by the runner's clock) is taken over.
    public func acquireLease(_ projection: String, holder: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool {
        try await changed("""
            INSERT INTO es_projection_leases (projection_name, holder_id, acquired_at, renewed_at, expires_at)
            VALUES ($1, $2, $3::timestamptz, $3::timestamptz, $4::timestamptz)
            ON CONFLICT (projection_name) DO UPDATE SET holder_id = EXCLUDED.holder_id, acquired_at = EXCLUDED.acquired_at,
              renewed_at = EXCLUDED.renewed_at, expires_at = EXCLUDED.expires_at
            WHERE es_projection_leases.expires_at < $3::timestamptz
            RETURNING 1
            """, [projection, holder, now.iso8601, expiresAt.iso8601])
    }

    public func renewLease(_ projection: String, holder: String, now: Timestamp, expiresAt: Timestamp) async throws -> Bool {
        try await changed("""
            UPDATE es_projection_leases SET renewed_at = $1::timestamptz, expires_at = $2::timestamptz
            WHERE projection_name = $3 AND holder_id = $4 RETURNING 1
            """, [now.iso8601, expiresAt.iso8601, projection, holder])
    }

    public func releaseLease(_ projection: String, holder: String) async throws {
        _ = try await rows("DELETE FROM es_projection_leases WHERE projection_name = $1 AND holder_id = $2", [projection, holder])
    }

    public func writeStatus(_ status: RunnerStatus) async throws {
        var binds = PostgresBindings()
        binds.append(status.projectionName)
        binds.append(status.state.text)
        binds.append(status.holderId)
        binds.append(status.heartbeatAt?.text)
        binds.append(status.checkpoint)
        binds.append(status.eventTypes.map { JSONValue.array($0.sorted().map(JSONValue.string)).compact })
        binds.append(status.eventsPerSecond)
        binds.append(status.lastError)
        binds.append(status.lastErrorPosition)
        binds.append(status.skippedBatches)
        binds.append(status.rebuildTarget)
        binds.append(status.rebuildStartedAt?.text)
        binds.append(status.updatedAt?.text)
        try await run([PostgresQuery(unsafeSQL: """
            INSERT INTO es_projection_status (projection_name, state, holder_id, heartbeat_at, checkpoint, event_types,
              events_per_second, last_error, last_error_position, skipped_batches, rebuild_target, rebuild_started_at, updated_at)
            VALUES ($1, $2, $3, $4::timestamptz, $5, $6::jsonb, $7, $8, $9, $10, $11, $12::timestamptz, $13::timestamptz)
            ON CONFLICT (projection_name) DO UPDATE SET state = EXCLUDED.state, holder_id = EXCLUDED.holder_id,
              heartbeat_at = EXCLUDED.heartbeat_at, checkpoint = EXCLUDED.checkpoint, event_types = EXCLUDED.event_types,
              events_per_second = EXCLUDED.events_per_second, last_error = EXCLUDED.last_error,
              last_error_position = EXCLUDED.last_error_position, skipped_batches = EXCLUDED.skipped_batches,
              rebuild_target = EXCLUDED.rebuild_target, rebuild_started_at = EXCLUDED.rebuild_started_at, updated_at = EXCLUDED.updated_at
            """, binds: binds)], transaction: false)
    }

    public func openCommands() async throws -> [CommandRequest] {
        try await rows("""
            SELECT id::text, projection_name, command, requested_by, \(Self.time("requested_at")), status FROM es_projection_commands
            WHERE status IN ('pending', 'running') ORDER BY id
            """).compactMap { row in
            guard let id = Self.int(row[0]), let name = row[1] else { return nil }
            return CommandRequest(id: id, projectionName: name, command: row[2] ?? "", requestedBy: row[3] ?? "",
                                  requestedAt: StoreTime(text: row[4] ?? ""), status: .init(text: row[5] ?? ""))
        }
    }

    public func claimCommand(_ id: Int64, at now: Timestamp) async throws -> Bool {
        try await changed("""
            UPDATE es_projection_commands SET status = 'running', started_at = $1::timestamptz
            WHERE id = $2 AND status = 'pending' RETURNING 1
            """, [now.iso8601, id])
    }

    public func finishCommand(_ id: Int64, status: CommandRequest.Status, detail: String?, at now: Timestamp) async throws {
        var binds = PostgresBindings()
        binds.append(status.text)
        binds.append(detail)
        binds.append(now.iso8601)
        binds.append(id)
        try await run([PostgresQuery(unsafeSQL: """
            UPDATE es_projection_commands SET status = $1, detail = $2, started_at = COALESCE(started_at, $3::timestamptz),
              finished_at = $3::timestamptz WHERE id = $4
            """, binds: binds)], transaction: false)
    }

    // MARK: - The connection

    func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        do {
            let configuration = try target.connectionConfiguration(startupParameters: Self.startupParameters)
            connections += 1
            let fresh = try await PostgresConnection.connect(configuration: configuration, id: connections, logger: logger)
            connection = fresh
            return fresh
        } catch {
            throw target.describe(error)
        }
    }

    /// Forgets a connection that failed, so the next call opens a new one.
    func failed(_ error: any Error) async -> any Error {
        if let connection, connection.isClosed || !(error is PSQLError && (error as! PSQLError).code == .server) {
            try? await connection.close()
            self.connection = nil
        }
        return error
    }

    func rows(_ sql: String, _ values: [any PostgresEncodable & Sendable] = []) async throws -> [[String?]] {
        var binds = PostgresBindings()
        for value in values { try binds.append(value) }
        return try await rows(PostgresQuery(unsafeSQL: sql, binds: binds))
    }

    func rows(_ query: PostgresQuery) async throws -> [[String?]] {
        let connection = try await connected()
        do {
            // Collected on the event loop, not through the row sequence: postgres-nio 1.33.2 traps
            // when the server closes a connection whose row sequence waits for its consumer.
            return try await connection.query(query, logger: logger).get().rows.map(Self.texts)
        } catch {
            throw await failed(error)
        }
    }

    func changed(_ sql: String, _ values: [any PostgresEncodable & Sendable]) async throws -> Bool {
        !(try await rows(sql, values)).isEmpty
    }

    /// Sends `queries` in order, inside one transaction when asked (rolled back on any error).
    func run(_ queries: [PostgresQuery], transaction: Bool) async throws {
        let connection = try await connected()
        do {
            if transaction { _ = try await connection.query("BEGIN", logger: logger).collect() }
            for query in queries { _ = try await connection.query(query, logger: logger).collect() }
            if transaction { _ = try await connection.query("COMMIT", logger: logger).collect() }
        } catch {
            if transaction, !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger).collect() }
            throw await failed(error)
        }
    }

    // MARK: - Values as stored

    /// Each cell as text (the queries cast what they read to `text`); NULL as nil.
    static func texts(_ row: PostgresRow) -> [String?] {
        row.map { cell in
            guard var buffer = cell.bytes else { return nil }
            switch (cell.dataType, cell.format) {
            case (.int8, .binary) where buffer.readableBytes == 8: return buffer.readInteger(as: Int64.self).map { String($0) }
            case (.int4, .binary) where buffer.readableBytes == 4: return buffer.readInteger(as: Int32.self).map { String($0) }
            default: return String(decoding: buffer.readableBytesView, as: UTF8.self)
            }
        }
    }

    static func int(_ text: String?) -> Int64? { text.flatMap { Int64($0) } }

    static func event(_ row: [String?]) -> RecordedEvent {
        var problems: [ValueProblem] = []
        func text(_ index: Int, _ field: String) -> String {
            if let value = row.indices.contains(index) ? row[index] : nil { return value }
            problems.append(ValueProblem(field: field, stored: "NULL", reason: "not text"))
            return ""
        }
        func int(_ index: Int, _ field: String) -> Int64 {
            let value = row.indices.contains(index) ? row[index] : nil
            if let n = value.flatMap({ Int64($0) }) { return n }
            problems.append(ValueProblem(field: field, stored: value ?? "NULL", reason: "not an integer"))
            return 0
        }
        return RecordedEvent(globalPosition: int(0, "global_position"), eventId: text(1, "event_id"), streamId: text(2, "stream_id"),
                             eventType: text(3, "event_type"), position: int(4, "position"), data: text(5, "data"),
                             metadata: text(6, "metadata"), timestamp: StoreTime(text: text(7, "timestamp")),
                             schemaVersion: int(8, "schema_version"), idempotencyKey: text(9, "idempotency_key"),
                             problems: problems)
    }
}
