import EventStore
import Foundation
import Logging
import PostgresNIO
import PostgresStore

/// The demo on PostgreSQL: what a database holds before the demo touches it, and the connections
/// the demo writes through. The demo marks the stores it makes with a comment on `es_events`
/// (`COMMENT ON TABLE`, as `DemoMarker` sets SQLite's `application_id`): readers never look at it,
/// only the demo does, so that it never writes fake events into a real store by mistake.
public enum DemoPostgres {
    /// The start of the comment on a demo store's `es_events`.
    static let markerPrefix = "eventscope demo"

    /// What a database holds, for the demo's safety checks.
    public enum Contents: Sendable, Equatable {
        /// No table at all: the demo creates its store.
        case empty
        /// A store the demo made: reused as it is.
        case demo
        /// Tables the demo did not make (schema-qualified names when outside the current schema,
        /// sorted); `hasStore` when `es_events` is among them.
        case other(tables: [String], hasStore: Bool)
    }

    static let logger = Logger(label: "eventscope.demo.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A session of the demo's own (the writer side), at UTC.
    static func connect(_ target: PostgresTarget, id: Int = 1) async throws -> PostgresConnection {
        do {
            let configuration = try target.connectionConfiguration(startupParameters: [
                ("application_name", "eventscope-demo"), ("TimeZone", "UTC"),
            ])
            return try await PostgresConnection.connect(configuration: configuration, id: id, logger: logger)
        } catch {
            throw target.describe(error)
        }
    }

    /// What the database at `target` holds. An unreachable server is the operator's to fix here
    /// (one line, exit status 2), as when a reader opens it.
    public static func inspect(_ target: PostgresTarget) async throws -> Contents {
        do {
            let connection = try await connect(target)
            defer { close(connection) }
            return try await inspect(connection, target: target)
        } catch let error as StoreError {
            if case .unreachable(_, let reason) = error { throw StoreError.unsupportedLocation(target.location, reason: reason) }
            throw error
        }
    }

    static func inspect(_ connection: PostgresConnection, target: PostgresTarget) async throws -> Contents {
        let tables = try await texts(connection, target: target, """
            SELECT CASE WHEN n.nspname = current_schema() THEN c.relname::text ELSE n.nspname || '.' || c.relname END
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
            ORDER BY 1
            """).compactMap { $0 }
        if tables.isEmpty { return .empty }
        let comment = try await texts(connection, target: target,
                                      "SELECT obj_description(to_regclass('es_events'), 'pg_class')").first ?? nil
        if comment?.hasPrefix(markerPrefix) == true { return .demo }
        return .other(tables: tables, hasStore: tables.contains(WakuSchema.events))
    }

    /// The one-line refusal for a database that holds tables the demo did not make.
    public static func refusal(_ target: PostgresTarget, tables: [String]) -> StoreError {
        let shown = tables.prefix(4).joined(separator: ", ") + (tables.count > 4 ? ", … (\(tables.count) in all)" : "")
        return .badArgument("""
            \(target.location) already holds tables the demo did not make (\(shown)): the demo writes fake events, so it \
            uses an empty database or one it made. Choose another database, or pass --force to write there anyway
            """)
    }

    /// The server's text of each row's first column.
    static func texts(_ connection: PostgresConnection, target: PostgresTarget, _ sql: String,
                      _ binds: PostgresBindings = PostgresBindings()) async throws -> [String?] {
        do {
            var out: [String?] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
                out.append(row.first?.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) })
            }
            return out
        } catch {
            throw target.describe(error)
        }
    }

    static func execute(_ connection: PostgresConnection, target: PostgresTarget, _ sql: String) async throws {
        _ = try await texts(connection, target: target, sql)
    }

    static func close(_ connection: PostgresConnection) {
        connection.close().whenComplete { _ in withExtendedLifetime(connection) {} }
    }
}

extension DemoStoreGenerator {
    /// Creates the demo store in the database at `target`: waku's PostgreSQL tables
    /// (`WakuSchema.postgresDDL`), the same rows as `create(at:)` writes into SQLite for the same
    /// seed, streamed through `COPY … FROM STDIN` in slices (memory stays flat at any size);
    /// `es_events`' indexes are built after the load, by sorting, and the identity sequence is set
    /// so later appends continue after the head. All in one transaction: an interrupted run leaves
    /// the database as it was. `replacing`: drops the demo's tables first (`es_*`, `demo_*`).
    public func create(postgres target: PostgresTarget, replacing: Bool, progress: Progress? = nil) async throws -> Summary {
        guard events >= 50 else { throw StoreError.badArgument("a demo store needs at least 50 events (got \(events))") }
        let started = Date()
        let connection = try await DemoPostgres.connect(target)
        defer { DemoPostgres.close(connection) }
        func run(_ sql: String) async throws { try await DemoPostgres.execute(connection, target: target, sql) }
        func texts(_ sql: String) async throws -> [String?] { try await DemoPostgres.texts(connection, target: target, sql) }
        var summary: Summary
        var phases: [Phase] = []
        var mark = started
        func phase(_ name: String) {
            phases.append(Phase(name: name, seconds: Date().timeIntervalSince(mark)))
            mark = Date()
        }
        try await run("BEGIN")
        do {
            try await run("SET LOCAL maintenance_work_mem = '256MB'")
            if replacing {
                for table in try await texts("""
                    SELECT quote_ident(c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                    WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()
                      AND (c.relname LIKE 'es\\_%' OR c.relname LIKE 'demo\\_%')
                    """).compactMap({ $0 }) {
                    try await run("DROP TABLE IF EXISTS \(table) CASCADE")
                }
            }
            for statement in WakuSchema.postgresDDL.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
            where !statement.isEmpty {
                try await run(statement)
            }
            // es_events' constraints and indexes as waku made them, dropped for the load and built
            // again after it: one sort each instead of ten million random inserts into five b-trees.
            let constraints = try await texts("""
                SELECT format('ALTER TABLE es_events ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid))
                FROM pg_constraint WHERE conrelid = 'es_events'::regclass AND contype IN ('p', 'u') ORDER BY oid
                """).compactMap { $0 }
            let indexes = try await texts("""
                SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i WHERE i.indrelid = 'es_events'::regclass
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY i.indexrelid
                """).compactMap { $0 }
            for name in try await texts("""
                SELECT quote_ident(conname) FROM pg_constraint WHERE conrelid = 'es_events'::regclass AND contype IN ('p', 'u')
                """).compactMap({ $0 }) {
                try await run("ALTER TABLE es_events DROP CONSTRAINT \(name)")
            }
            for name in try await texts("SELECT indexrelid::regclass::text FROM pg_index WHERE indrelid = 'es_events'::regclass").compactMap({ $0 }) {
                try await run("DROP INDEX \(name)")
            }

            var writer = DemoEventWriter(generator: self)
            var copy = DemoCopyBuffer()
            var lastReport = Date()
            try await connection.copyFrom(table: WakuSchema.events, columns: DemoCopyBuffer.eventColumns, logger: DemoPostgres.logger) { sink in
                while !writer.done {
                    copy.reset()
                    try writer.generate(upTo: writer.index + 10_000, into: &copy)
                    try await sink.write(copy.buffer)
                    if let progress, Date().timeIntervalSince(lastReport) > 0.5 || writer.done {
                        progress(writer.index, events, Date().timeIntervalSince(started))
                        lastReport = Date()
                    }
                }
            }
            let (finished, tables) = writer.finish()
            summary = finished
            try await connection.copyFrom(table: WakuSchema.streams, columns: DemoStreams.columns, logger: DemoPostgres.logger) { sink in
                var cursor = DemoStreams.Cursor()
                while true {
                    let rows = writer.streamRows(from: &cursor, limit: 10_000)
                    if rows.isEmpty { break }
                    copy.reset()
                    for row in rows { copy.append(row) }
                    try await sink.write(copy.buffer)
                }
            }
            for table in tables where !table.rows.isEmpty {
                copy.reset()
                for row in table.rows { copy.append(row) }
                try await connection.copyFrom(table: table.table, columns: table.columns, logger: DemoPostgres.logger) { sink in
                    try await sink.write(copy.buffer)
                }
            }
            phase("generate and load")
            for statement in constraints + indexes { try await run(statement) }
            phase("index build")
            // The next append (waku's or the demo writer's) takes the position after the head.
            try await run("SELECT setval(pg_get_serial_sequence('es_events', 'global_position'), \(summary.head))")
            try await run("COMMENT ON TABLE es_events IS '\(DemoPostgres.markerPrefix) (seed \(seed), \(events) events)'")
            try await run("COMMIT")
        } catch {
            try? await run("ROLLBACK")
            // COPY's failures come from postgres-nio as they are: in the adapter's words, like the rest.
            throw target.describe(error)
        }
        try await run("ANALYZE")
        phase("finish")
        summary.phases = phases
        summary.seconds = Date().timeIntervalSince(started)
        let size = try await texts("SELECT pg_database_size(current_database())::text").first ?? nil
        summary.bytes = size.flatMap { Int64($0) } ?? 0
        return summary
    }
}

/// Rows in `COPY`'s text format: tab-separated, `\N` for NULL, backslash escapes for the separators.
/// The events go straight from the generator's bytes; the other tables' rows from their values.
struct DemoCopyBuffer: DemoEventSink {
    static let eventColumns = ["global_position", "event_id", "stream_id", "event_type", "position", "data", "metadata",
                               "timestamp", "schema_version", "idempotency_key"]

    var buffer = ByteBuffer()
    private var digits = DemoBytes(capacity: 24)

    mutating func reset() { buffer.clear() }

    mutating func append(position: Int64, version: Int64, schemaVersion: Int64, row: DemoBytes, fields: DemoEventFields) {
        row.bytes.withUnsafeBufferPointer { bytes in
            int(position); tab()
            text(bytes, fields.id); tab()
            text(bytes, fields.stream); tab()
            text(bytes, fields.type); tab()
            int(version); tab()
            text(bytes, fields.data); tab()
            text(bytes, fields.metadata); tab()
            text(bytes, fields.timestamp); tab()
            int(schemaVersion); tab()
            text(bytes, fields.id)
            buffer.writeInteger(UInt8(0x0A))
        }
    }

    mutating func append(_ row: [DemoValue]) {
        for (i, value) in row.enumerated() {
            if i > 0 { tab() }
            switch value {
            case .int(let v): int(v)
            case .null: buffer.writeStaticString("\\N")
            case .text(let s): Array(s.utf8).withUnsafeBufferPointer { text($0, 0..<$0.count) }
            }
        }
        buffer.writeInteger(UInt8(0x0A))
    }

    private mutating func tab() { buffer.writeInteger(UInt8(0x09)) }

    private mutating func int(_ value: Int64) {
        digits.reset()
        digits.append(int: Int(value))
        buffer.writeBytes(digits.bytes)
    }

    /// The bytes of `range`, with backslash, tab, newline and carriage return escaped.
    private mutating func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var start = range.lowerBound
        for i in range {
            let escaped: UInt8
            switch bytes[i] {
            case 0x5C: escaped = 0x5C
            case 0x09: escaped = 0x74
            case 0x0A: escaped = 0x6E
            case 0x0D: escaped = 0x72
            default: continue
            }
            buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<i])))
            buffer.writeInteger(UInt8(0x5C))
            buffer.writeInteger(escaped)
            start = i + 1
        }
        buffer.writeBytes(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[start..<range.upperBound])))
    }
}
