import EventStore
import Foundation
import GRDB

/// Writes a small waku-layout SQLite store with exactly the rows a test names, for edge cases
/// the demo never makes (control characters in ids, corrupt JSON, row-less streams).
public struct WakuStoreBuilder {
    public let path: String
    let queue: DatabaseQueue

    public init(path: String) throws {
        self.path = path
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE es_streams (stream_id TEXT PRIMARY KEY, stream_type TEXT NOT NULL,
                  version INTEGER NOT NULL DEFAULT 0, created_at TEXT, updated_at TEXT, deleted_at TEXT);
                CREATE TABLE es_events (global_position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
                  stream_id TEXT NOT NULL, event_type TEXT NOT NULL, position INTEGER NOT NULL,
                  data TEXT NOT NULL, metadata TEXT NOT NULL, timestamp TEXT NOT NULL,
                  schema_version INTEGER NOT NULL DEFAULT 1, idempotency_key TEXT NOT NULL,
                  UNIQUE (stream_id, position), UNIQUE (stream_id, idempotency_key));
                CREATE INDEX ix_es_events_event_type ON es_events (event_type);
                CREATE TABLE es_checkpoints (projection_name TEXT PRIMARY KEY, position INTEGER NOT NULL,
                  updated_at TEXT NOT NULL, created_at TEXT);
                CREATE TABLE es_projection_leases (projection_name TEXT PRIMARY KEY, holder_id TEXT NOT NULL,
                  acquired_at TEXT, renewed_at TEXT, expires_at TEXT NOT NULL);
                CREATE TABLE es_snapshots (stream_id TEXT PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL,
                  state_type TEXT NOT NULL, schema_version INTEGER NOT NULL DEFAULT 1, created_at TEXT, updated_at TEXT);
                PRAGMA journal_mode = WAL;
                """)
        }
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
