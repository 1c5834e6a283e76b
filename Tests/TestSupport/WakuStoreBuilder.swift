import EventStore
import Foundation
import GRDB

/// Writes a small waku-layout SQLite store with exactly the rows a test names, for edge cases
/// the demo never makes (control characters in ids, corrupt JSON, row-less streams).
public struct WakuStoreBuilder {
    public let path: String
    let queue: DatabaseQueue

    /// A new store with waku's tables (or `ddl`'s); in WAL mode (as waku's SQLite layout runs) unless `wal` is false.
    public init(path: String, wal: Bool = true, ddl: [String] = WakuSchema.sqliteDDL) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for statement in ddl { try db.execute(sql: statement) }
        }
        if wal { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") } }
    }

    public func stream(_ id: String, version: Int64, deleted: Bool = false) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO es_streams VALUES (?, ?, ?, ?, ?, ?)",
                           arguments: [id, StreamSummary.category(of: id), version, "2026-11-01T00:00:00.000000Z",
                                       "2026-11-02T00:00:00.000000Z", deleted ? "2026-11-03T00:00:00.000000Z" : nil])
        }
    }

    public func event(_ globalPosition: GlobalPosition, stream: String, position: Int64, type: String = "Happened",
                      data: String = #"{"ok":true}"#,
                      metadata: String = #"{"correlation_id":"c1","causation_id":null,"extra":{}}"#) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO es_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           arguments: [globalPosition, "ev-\(globalPosition)", stream, type, position, data, metadata,
                                       "2026-11-02T00:00:0\(globalPosition % 10).000000Z", 1, "idem-\(globalPosition)"])
        }
    }

    public func checkpoint(_ name: String, at position: GlobalPosition, updatedAt: String = Timestamp.now().iso8601) throws {
        try queue.write { db in
            try db.execute(sql: "INSERT INTO es_checkpoints VALUES (?, ?, ?, ?)", arguments: [name, position, updatedAt, updatedAt])
        }
    }

    public func close() throws { try queue.close() }
}
