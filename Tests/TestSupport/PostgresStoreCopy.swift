import EventStore
import Foundation
import GRDB
import PostgresNIO

/// waku's tables on PostgreSQL: the library's DDL (`WakuSchema.postgresDDL`), under the name the
/// tests have used since before it moved there.
public let wakuPostgresDDL = WakuSchema.postgresDDL

/// Copies the rows of a waku-layout SQLite store into an empty PostgreSQL database with waku's
/// PostgreSQL DDL, through `COPY … FROM STDIN` (one stream per table, not a statement per row).
/// The same rows on both engines: what the conformance and `--json` agreement tests compare.
public enum PostgresStoreCopy {
    public static let tables: [(name: String, columns: [String])] = [
        ("es_streams", ["stream_id", "stream_type", "version", "created_at", "updated_at", "deleted_at"]),
        ("es_events", ["event_id", "stream_id", "event_type", "position", "global_position", "data", "metadata", "timestamp",
                       "schema_version", "idempotency_key"]),
        ("es_checkpoints", ["projection_name", "position", "updated_at", "created_at"]),
        ("es_projection_leases", ["projection_name", "holder_id", "acquired_at", "renewed_at", "expires_at"]),
        ("es_snapshots", ["stream_id", "state", "version", "state_type", "schema_version", "created_at", "updated_at"]),
    ]

    /// Creates waku's tables in `database` and copies every row of the SQLite store at `path`.
    public static func copy(sqlitePath path: String, into database: TestDatabase) async throws {
        try await database.psql(WakuSchema.postgresDDL)
        let connection = try await database.connect()
        do {
            for (table, columns) in tables {
                try await copy(table: table, columns: columns, from: path, over: connection)
            }
            try await connection.query("""
                SELECT setval(pg_get_serial_sequence('es_events', 'global_position'),
                              greatest(coalesce(max(global_position), 0), 0), max(global_position) IS NOT NULL) FROM es_events
                """, logger: quietLogger)
            try await connection.query("ANALYZE", logger: quietLogger)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
    }

    static func copy(table: String, columns: [String], from path: String, over connection: PostgresConnection) async throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        guard try await queue.read({ db in try db.tableExists(table) }) else { return }
        let sql = "SELECT " + columns.joined(separator: ", ") + " FROM \(table) ORDER BY rowid"
        // Read in slices so a large store never sits in memory whole.
        var offset = 0
        let slice = 20_000
        try await connection.copyFrom(table: table, columns: columns, logger: quietLogger) { writer in
            while true {
                let from = offset
                let text: String = try await queue.read { db in
                    var out = ""
                    let rows = try Row.fetchCursor(db, sql: sql + " LIMIT \(slice) OFFSET \(from)")
                    while let row = try rows.next() {
                        out += (0..<columns.count).map { field(row[$0] as DatabaseValue) }.joined(separator: "\t") + "\n"
                    }
                    return out
                }
                if text.isEmpty { break }
                try await writer.write(ByteBuffer(string: text))
                offset += slice
            }
        }
    }

    /// A value in COPY's text format: `\N` for NULL, backslash escapes for the separators.
    static func field(_ value: DatabaseValue) -> String {
        let text: String
        switch value.storage {
        case .null: return "\\N"
        case .int64(let i): text = String(i)
        case .double(let d): text = String(d)
        case .string(let s): text = s
        case .blob(let data): text = String(decoding: data, as: UTF8.self)
        }
        var out = ""
        for c in text.unicodeScalars {
            switch c {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}

extension InMemoryStore {
    /// Every row of a waku store on PostgreSQL, read plainly (`SELECT *`, each column's text, no
    /// paging, no index): the oracle the PostgreSQL adapter's keyset queries are checked against.
    /// JSON comes as the server re-serialises it, as the adapter sees it too.
    public static func load(postgres database: TestDatabase) async throws -> InMemoryStore {
        let connection = try await database.connect()
        defer { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
        func rows(_ table: String, _ columns: [String]) async throws -> [[String?]] {
            let list = columns.map { "\"\($0)\"::text" }.joined(separator: ", ")
            var out: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(list) FROM \(table)"), logger: quietLogger) {
                out.append(row.map { $0.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } })
            }
            return out
        }
        func time(_ text: String?) -> StoreTime? { text.map(StoreTime.init(text:)) }
        let columns = Dictionary(uniqueKeysWithValues: PostgresStoreCopy.tables.map { ($0.name, $0.columns) })
        let streams = try await rows("es_streams", columns["es_streams"]!).map { r in
            StreamSummary(id: r[0]!, type: r[1]!, version: Int64(r[2]!)!, createdAt: time(r[3]), updatedAt: time(r[4]), deletedAt: time(r[5]))
        }
        let events = try await rows("es_events", columns["es_events"]!).map { r in
            RecordedEvent(globalPosition: Int64(r[4]!)!, eventId: r[0]!, streamId: r[1]!, eventType: r[2]!, position: Int64(r[3]!)!,
                          data: r[5]!, metadata: r[6]!, timestamp: time(r[7]) ?? .unreadable("NULL"), schemaVersion: Int64(r[8]!)!,
                          idempotencyKey: r[9]!)
        }
        let checkpoints = try await rows("es_checkpoints", columns["es_checkpoints"]!).map { r in
            Checkpoint(projectionName: r[0]!, position: Int64(r[1]!)!, updatedAt: time(r[2]) ?? .unreadable("NULL"), createdAt: time(r[3]))
        }
        let leases = try await rows("es_projection_leases", columns["es_projection_leases"]!).map { r in
            Lease(projectionName: r[0]!, holderId: r[1]!, acquiredAt: time(r[2]), renewedAt: time(r[3]), expiresAt: time(r[4]) ?? .unreadable("NULL"))
        }
        let snapshots = try await rows("es_snapshots", columns["es_snapshots"]!).map { r in
            Snapshot(streamId: r[0]!, state: r[1]!, version: Int64(r[2]!)!, stateType: r[3]!, schemaVersion: Int64(r[4]!)!,
                     createdAt: time(r[5]), updatedAt: time(r[6]))
        }
        return InMemoryStore(info: StoreInfo(location: database.url, layout: .waku), streams: streams, events: events,
                             checkpoints: checkpoints, leases: leases, snapshots: snapshots)
    }
}
