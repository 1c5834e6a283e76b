import EventStore
import Foundation
import GRDB
import PostgresNIO

/// The other libraries' layouts on PostgreSQL (SPEC §3.3–§3.5): their DDL, and the rows of a
/// SQLite store of the same layout copied in, so one set of test rows (`LayoutStoreBuilder`'s
/// sample, or the eventsource-py fixture) is read on both engines.
extension LayoutStoreBuilder {
    public static func postgresDDL(_ layout: StoreLayout) -> String {
        switch layout {
        case .waku: WakuSchema.postgresDDL
        case .eventsourcePy: eventsourcePyPostgresDDL
        case .lexigram: lexigramPostgresDDL
        case .minimal: minimalPostgresDDL
        }
    }

    /// eventsource-py 0.15's PostgreSQL tables and indexes, with text aggregate ids, so the
    /// sample's ids (`1`, `é東京`) fit.
    public static let eventsourcePyPostgresDDL = eventsourcePyPostgresDDL(aggregateIds: "TEXT")

    /// eventsource-py 0.15's PostgreSQL tables and indexes: `BIGSERIAL` positions, `UUID` event
    /// ids, `JSONB` payloads, `TIMESTAMPTZ` times and the writing transaction in `txid`. The
    /// library's aggregate and tenant ids are `UUID`s (`aggregateIds`); the readers take any type.
    public static func eventsourcePyPostgresDDL(aggregateIds: String) -> String {
        """
        CREATE TABLE events (global_position BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL UNIQUE,
          aggregate_id \(aggregateIds) NOT NULL, aggregate_type VARCHAR(255) NOT NULL, event_type VARCHAR(255) NOT NULL,
          tenant_id \(aggregateIds), actor_id VARCHAR(255), version INTEGER NOT NULL, "timestamp" TIMESTAMPTZ NOT NULL,
          payload JSONB NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
          CONSTRAINT uq_events_aggregate_version UNIQUE (aggregate_id, aggregate_type, version));
        CREATE INDEX idx_events_aggregate_id ON events (aggregate_id);
        CREATE INDEX idx_events_aggregate_type ON events (aggregate_type);
        CREATE INDEX idx_events_event_type ON events (event_type);
        CREATE INDEX idx_events_timestamp ON events ("timestamp");
        CREATE INDEX idx_events_tenant_id ON events (tenant_id) WHERE tenant_id IS NOT NULL;
        CREATE INDEX idx_events_type_tenant_timestamp ON events (aggregate_type, tenant_id, "timestamp");
        CREATE INDEX idx_events_aggregate_version ON events (aggregate_id, aggregate_type, version);
        CREATE TABLE event_outbox (id UUID PRIMARY KEY, event_id UUID NOT NULL, event_type VARCHAR(255) NOT NULL,
          aggregate_id \(aggregateIds) NOT NULL, aggregate_type VARCHAR(255) NOT NULL, tenant_id \(aggregateIds), event_data JSONB NOT NULL,
          created_at TIMESTAMPTZ NOT NULL DEFAULT now(), published_at TIMESTAMPTZ, retry_count INTEGER NOT NULL DEFAULT 0,
          last_error TEXT, status VARCHAR(20) NOT NULL DEFAULT 'pending', CHECK (status IN ('pending', 'published', 'failed')));
        CREATE INDEX idx_outbox_status_created ON event_outbox (status, created_at) WHERE status = 'pending';
        CREATE INDEX idx_outbox_pending ON event_outbox (created_at) WHERE status = 'pending';
        CREATE INDEX idx_outbox_event_id ON event_outbox (event_id);
        CREATE INDEX idx_outbox_failed ON event_outbox (created_at) WHERE status = 'failed';
        CREATE INDEX idx_outbox_published_at ON event_outbox (published_at) WHERE status = 'published';
        CREATE TABLE projection_checkpoints (projection_name VARCHAR(255) PRIMARY KEY, last_event_id UUID,
          last_event_type VARCHAR(255), last_processed_at TIMESTAMPTZ, global_position BIGINT,
          events_processed BIGINT NOT NULL DEFAULT 0, created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), position_token TEXT);
        CREATE TABLE dead_letter_queue (id BIGSERIAL PRIMARY KEY, event_id UUID NOT NULL, projection_name VARCHAR(255) NOT NULL,
          event_type VARCHAR(255) NOT NULL, event_data JSONB NOT NULL, error_message TEXT NOT NULL, error_stacktrace TEXT,
          retry_count INTEGER NOT NULL DEFAULT 0, first_failed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
          last_failed_at TIMESTAMPTZ NOT NULL DEFAULT now(), status VARCHAR(20) NOT NULL DEFAULT 'failed',
          resolved_at TIMESTAMPTZ, resolved_by VARCHAR(255), CHECK (status IN ('failed', 'retrying', 'resolved')),
          UNIQUE (event_id, projection_name));
        CREATE INDEX idx_dlq_status ON dead_letter_queue (status);
        CREATE INDEX idx_dlq_projection_name ON dead_letter_queue (projection_name);
        CREATE INDEX idx_dlq_projection_status ON dead_letter_queue (projection_name, status);
        CREATE TABLE snapshots (id BIGSERIAL PRIMARY KEY, aggregate_id \(aggregateIds) NOT NULL, aggregate_type VARCHAR(255) NOT NULL,
          version INTEGER NOT NULL, schema_version INTEGER NOT NULL DEFAULT 1, state JSONB NOT NULL,
          created_at TIMESTAMPTZ NOT NULL DEFAULT now(), UNIQUE (aggregate_id, aggregate_type));
        """
    }

    /// lexigram's tables on PostgreSQL (SPEC §3.4), without the secondary indexes its DDL fails to
    /// create: JSON (not JSONB) data, times as text, lock expiry as a `DOUBLE PRECISION` of epoch seconds.
    public static let lexigramPostgresDDL = """
        CREATE TABLE events (global_sequence BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
          event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, event_data JSON NOT NULL, metadata JSON,
          "timestamp" TEXT NOT NULL, UNIQUE (stream_id, stream_version));
        CREATE TABLE event_checkpoints (name TEXT PRIMARY KEY, "position" BIGINT NOT NULL, updated_at TEXT);
        CREATE TABLE event_checkpoints_locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at DOUBLE PRECISION NOT NULL);
        CREATE TABLE snapshots (id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, aggregate_type TEXT NOT NULL,
          version INTEGER NOT NULL, state JSON NOT NULL, "timestamp" TEXT NOT NULL);
        """

    /// The minimal layout's one table on PostgreSQL (SPEC §3.5), ordered by `(timestamp, id)`: the
    /// index on that pair is what pages the log; `(stream, version)` is unique as on SQLite.
    public static let minimalPostgresDDL = """
        CREATE TABLE events (id UUID PRIMARY KEY, name TEXT NOT NULL, payload JSONB NOT NULL, stream TEXT NOT NULL,
          "timestamp" TIMESTAMPTZ NOT NULL, correlation_id TEXT, causation_id TEXT, version INTEGER NOT NULL,
          UNIQUE (stream, version));
        CREATE INDEX events_timestamp_id ON events ("timestamp", id);
        """

    /// The UUID a `uuid` column holds for an id of the SQLite rows that is not one (`ev-7`): the
    /// same every time, so a test can name it.
    public static func postgresUUID(for id: String) -> String {
        if let uuid = UUID(uuidString: id) { return uuid.uuidString.lowercased() }
        var (a, b): (UInt64, UInt64) = (0xcbf2_9ce4_8422_2325, 0x8422_2325_cbf2_9ce4)
        for byte in id.utf8 {
            a = (a ^ UInt64(byte)) &* 0x100_0000_01b3
            b = (b ^ UInt64(byte)) &* 0x100_0000_01b3 &+ 1
        }
        let hex = String(format: "%016llx%016llx", a, b)
        let chars = Array(hex)
        func part(_ range: Range<Int>) -> String { String(chars[range]) }
        return "\(part(0..<8))-\(part(8..<12))-4\(part(13..<16))-8\(part(17..<20))-\(part(20..<32))"
    }
}

/// Copies a layout's SQLite store into PostgreSQL through `COPY`: the layout's PostgreSQL DDL, then
/// every column both tables have, each value made fit for its PostgreSQL type (an id that is no
/// UUID becomes `postgresUUID(for:)`, text that is no JSON becomes a JSON string).
public enum PostgresLayoutCopy {
    public static func copy(sqlitePath path: String, layout: StoreLayout, into database: TestDatabase, ddl: String? = nil) async throws {
        try await database.psql(ddl ?? LayoutStoreBuilder.postgresDDL(layout))
        let connection = try await database.connect()
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            let types = try await columnTypes(connection)
            for (table, pgColumns) in types.sorted(by: { $0.key < $1.key }) {
                let rows: [[DatabaseValue]], columns: [String]
                (columns, rows) = try await queue.read { db -> ([String], [[DatabaseValue]]) in
                    guard try db.tableExists(table) else { return ([], []) }
                    let columns = try db.columns(in: table).map(\.name).filter { pgColumns[$0] != nil }
                    let list = columns.map { "\"\($0)\"" }.joined(separator: ", ")
                    return (columns, try Row.fetchAll(db, sql: "SELECT \(list) FROM \(table) ORDER BY rowid").map { row in
                        (0..<columns.count).map { row[$0] as DatabaseValue }
                    })
                }
                guard !rows.isEmpty else { continue }
                let text = rows.map { row in
                    zip(columns, row).map { column, value in fit(value, as: pgColumns[column] ?? "text") }.joined(separator: "\t")
                }.joined(separator: "\n") + "\n"
                try await connection.copyFrom(table: table, columns: columns, logger: quietLogger) { writer in
                    try await writer.write(ByteBuffer(string: text))
                }
            }
            // Serial columns continue after the rows copied in.
            for (table, columns) in types {
                for column in columns.keys where try await isSerial(connection, table, column) {
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        SELECT setval(pg_get_serial_sequence('\(table)', '\(column)'), greatest(coalesce(max("\(column)"), 0), 1),
                                      max("\(column)") IS NOT NULL) FROM \(table)
                        """), logger: quietLogger)
                }
            }
            try await connection.query("ANALYZE", logger: quietLogger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    /// A copy of the eventsource-py fixture in `directory`: a WAL file read in place would leave
    /// its `-shm` beside it in the repository.
    public static func copyOfFixture(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("eventsource-py.sqlite")
        try FileManager.default.copyItem(atPath: eventsourcePyFixture, toPath: path)
        return path
    }

    /// The public tables' columns and their types (`information_schema`'s `data_type`).
    static func columnTypes(_ connection: PostgresConnection) async throws -> [String: [String: String]] {
        var types: [String: [String: String]] = [:]
        let rows = try await connection.query("""
            SELECT table_name::text, column_name::text, data_type::text FROM information_schema.columns WHERE table_schema = 'public'
            """, logger: quietLogger)
        for try await (table, column, type) in rows.decode((String, String, String).self) { types[table, default: [:]][column] = type }
        return types
    }

    static func isSerial(_ connection: PostgresConnection, _ table: String, _ column: String) async throws -> Bool {
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT pg_get_serial_sequence('\(table)', '\(column)') IS NOT NULL"),
                                              logger: quietLogger)
        for try await serial in rows.decode(Bool.self) { return serial }
        return false
    }

    /// A SQLite value in COPY's text format for a PostgreSQL column of `type`.
    static func fit(_ value: DatabaseValue, as type: String) -> String {
        guard case .string(let text) = value.storage else { return PostgresStoreCopy.field(value) }
        switch type {
        case "uuid":
            return PostgresStoreCopy.field(LayoutStoreBuilder.postgresUUID(for: text).databaseValue)
        case "json", "jsonb":
            if case .success = JSONValue.parsed(text) { return PostgresStoreCopy.field(value) }
            return PostgresStoreCopy.field(JSONValue.string(text).compact.databaseValue)
        default:
            return PostgresStoreCopy.field(value)
        }
    }
}

extension PostgresLayoutCopy {
    /// The other way: every row of a layout's store on PostgreSQL, read plainly (`SELECT *`, each
    /// column's text), written into a new SQLite file at `path` with the layout's SQLite DDL. The
    /// minimal layout's rows go in `(timestamp, id)` order, so their rowids keep PostgreSQL's order.
    public static func sqliteCopy(of database: TestDatabase, layout: StoreLayout, to path: String) async throws {
        let builder = try LayoutStoreBuilder(path: path, layout: layout, wal: false)
        let connection = try await database.connect()
        do {
            for (table, columns) in try await columnTypes(connection) {
                let list = columns.keys.sorted()
                let present = try builder.columns(of: table)
                let kept = list.indices.filter { present.contains(list[$0]) }
                guard !kept.isEmpty else { continue }
                let select = kept.map { "\"\(list[$0])\"::text" }.joined(separator: ", ")
                let order = layout == .minimal && table == "events" ? #" ORDER BY "timestamp", id"# : ""
                var rows: [[String?]] = []
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(select) FROM \(table)\(order)"), logger: quietLogger) {
                    rows.append(row.map { $0.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } })
                }
                let sql = "INSERT INTO \(table) (" + kept.map { "\"\(list[$0])\"" }.joined(separator: ", ") + ") VALUES ("
                    + kept.map { _ in "?" }.joined(separator: ", ") + ")"
                for row in rows { try builder.execute(sql, StatementArguments(row)) }
            }
        } catch {
            try? await connection.close()
            try? builder.close()
            throw error
        }
        try await connection.close()
        try builder.close()
    }
}

extension InMemoryStore {
    /// Every row of a layout's store on PostgreSQL (`PostgresLayoutCopy.sqliteCopy`) read by the
    /// SQLite oracle (`load(sqlitePath:layout:)`), so each layout's meaning is written once. On
    /// PostgreSQL the minimal layout's log is in `(timestamp, id)` order, its ordinal the time in
    /// microseconds and its cursor the id too.
    public static func load(postgres database: TestDatabase, layout: StoreLayout, in directory: TemporaryDirectory) async throws -> InMemoryStore {
        let path = directory.file("oracle-\(layout)-\(UUID().uuidString.prefix(6)).db")
        try await PostgresLayoutCopy.sqliteCopy(of: database, layout: layout, to: path)
        var store = try load(sqlitePath: path, layout: layout)
        store.info.location = database.url
        if layout == .minimal {
            store.eventRows = store.eventRows.map { event in
                var e = event
                e.globalPosition = e.timestamp.timestamp?.microseconds ?? 0
                e.cursor = LogCursor(ordinal: e.globalPosition, key: e.eventId)
                return e
            }.sorted { ($0.globalPosition, $0.eventId) < ($1.globalPosition, $1.eventId) }
        }
        return store
    }
}

extension LayoutStoreBuilder {
    /// The columns of one of the store's tables; empty when it has no such table.
    func columns(of table: String) throws -> Set<String> {
        try queue.read { db in try db.tableExists(table) ? Set(try db.columns(in: table).map(\.name)) : [] }
    }
}

extension LayoutStoreBuilder {
    /// One `OrderPlaced` row per position in eventsource-py's PostgreSQL table, its `txid` the
    /// writing transaction's, or the given one (a txid from another cluster, as a restored dump has).
    public static func eventsourcePyPostgresInserts(_ positions: ClosedRange<Int>, txid: String? = nil) -> String {
        positions.map { p in
            """
            INSERT INTO events (global_position, event_id, aggregate_id, aggregate_type, event_type, version, "timestamp", payload\(txid == nil ? "" : ", txid"))
            VALUES (\(p), gen_random_uuid(), 'a\(p)', 'Order', 'OrderPlaced', 1, now(), '{}'\(txid.map { ", '\($0)'::xid8" } ?? ""));
            """
        }.joined(separator: "\n")
    }
}
