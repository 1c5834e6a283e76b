import EventStore
import Foundation
import GRDB

/// The SQLite file eventsource-py 0.15.1 wrote (`Tests/Fixtures/README.md` lists its facts), in WAL mode.
public let eventsourcePyFixture = fixtures + "/eventsource-py-0.15.1.sqlite"

/// Writes small SQLite stores in the layouts of other libraries (SPEC §3.3–§3.5), with their own
/// DDL and no index of ours: a test names the rows, or takes `sample`, which holds what every
/// layout test needs (gaps, a multi-event stream, emoji, CJK and combining marks in payloads and
/// ids, a control character in a stream id, an id holding `-`).
public struct LayoutStoreBuilder {
    public let path: String
    public let layout: StoreLayout
    let queue: DatabaseQueue

    /// A new store with the layout's tables, in WAL mode unless `wal` is false.
    public init(path: String, layout: StoreLayout, wal: Bool = true) throws {
        self.path = path
        self.layout = layout
        queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for statement in Self.ddl(layout) { try db.execute(sql: statement) }
        }
        if wal { try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") } }
    }

    public func execute(_ sql: String, _ arguments: StatementArguments = StatementArguments()) throws {
        try queue.write { db in try db.execute(sql: sql, arguments: arguments) }
    }

    public func close() throws { try queue.close() }

    /// A stream's events in the sample: `(global position, aggregate type or category, id, stream position, type, payload)`.
    public struct SampleEvent: Sendable {
        public let position: GlobalPosition
        public let type: String
        public let id: String
        public let version: Int64
        public let eventType: String
        public let payload: String
        public var streamId: String { type + "-" + id }
    }

    /// Global positions 2–4, 7–9, 12 and 13 (runs 0–1, 5–6 and 10–11 missing); stream positions
    /// 1-based, as eventsource-py and lexigram number them.
    public static let sampleEvents: [SampleEvent] = [
        SampleEvent(position: 2, type: "Order", id: "1", version: 1, eventType: "OrderPlaced", payload: #"{"total":"42.00","customer":"Zoë Ångström"}"#),
        SampleEvent(position: 3, type: "Account", id: "a-b-c", version: 1, eventType: "AccountOpened", payload: #"{"owner":"bob"}"#),
        SampleEvent(position: 4, type: "Order", id: "é東京", version: 1, eventType: "OrderPlaced", payload: #"{"city":"東京 🚚","note":"cafe\#u{301}"}"#),
        SampleEvent(position: 7, type: "Order", id: "1", version: 2, eventType: "OrderShipped", payload: #"{"carrier":"UPS 📦"}"#),
        SampleEvent(position: 8, type: "Evil", id: "\u{1B}[2J", version: 1, eventType: "Happened", payload: #"{"ok":true}"#),
        SampleEvent(position: 9, type: "Account", id: "a-b-c", version: 2, eventType: "MoneyDeposited", payload: #"{"amount":12.50}"#),
        SampleEvent(position: 12, type: "Order", id: "1", version: 3, eventType: "OrderShipped", payload: #"{"carrier":"DHL"}"#),
        SampleEvent(position: 13, type: "Order", id: "é東京", version: 2, eventType: "OrderCancelled", payload: #"{"reason":"ünïcödé ✓"}"#),
    ]

    static func time(_ position: GlobalPosition) -> String { "2026-11-02T00:00:\(position < 10 ? "0" : "")\(position).000000+00:00" }

    /// Writes the sample rows of the builder's layout, with the layout's other records.
    public func writeSample() throws {
        switch layout {
        case .eventsourcePy:
            for e in Self.sampleEvents {
                let payload = #"{"event_id":"ev-\#(e.position)","event_type":"\#(e.eventType)","event_version":1,"aggregate_id":"x","aggregate_type":"\#(e.type)","aggregate_version":99,"tenant_id":null,"actor_id":"alice","correlation_id":"corr-\#(e.position)","causation_id":null,"metadata":{"source":"test"},"#
                    + e.payload.dropFirst()
                try execute("INSERT INTO events (global_position, event_id, aggregate_id, aggregate_type, event_type, tenant_id, actor_id, version, timestamp, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [e.position, "ev-\(e.position)", e.id, e.type, e.eventType, e.position == 7 ? "tenant-1" : nil, "alice", e.version,
                             Self.time(e.position), payload, Self.time(e.position)])
            }
            try execute("""
                INSERT INTO projection_checkpoints (projection_name, last_event_id, last_event_type, global_position, events_processed, created_at, updated_at, position_token) VALUES
                ('TokenProjection', 'ev-3', 'AccountOpened', NULL, 3, '2026-11-02T00:00:00+00:00', '2026-11-02T00:01:00.000000+00:00', '{"s":"sqlite:/somewhere/else.db","k":[4]}'),
                ('LegacyById', 'ev-8', 'Happened', NULL, 5, '2026-11-02T00:00:00+00:00', '2026-11-02 00:02:00', NULL),
                ('Frozen', NULL, NULL, 3, 2, '2026-11-02T00:00:00+00:00', '2026-11-02 00:03:00', NULL)
                """)
            try execute("""
                INSERT INTO dead_letter_queue (event_id, projection_name, event_type, event_data, error_message, error_stacktrace, retry_count, first_failed_at, last_failed_at, status, resolved_at, resolved_by) VALUES
                ('ev-7', 'TokenProjection', 'OrderShipped', '{"carrier":"UPS 📦"}', 'boom: carrier unknown', 'Traceback: line 1', 3, '2026-11-02T00:01:00+00:00', '2026-11-02T00:05:00+00:00', 'failed', NULL, NULL),
                ('ev-9', 'LegacyById', 'MoneyDeposited', '{"amount":12.50}', 'déjà vu', NULL, 1, '2026-11-02T00:02:00+00:00', '2026-11-02T00:02:00+00:00', 'resolved', '2026-11-02T00:09:00+00:00', 'operator'),
                ('ev-gone', 'TokenProjection', 'Vanished', 'not json', 'lost', NULL, 0, '2026-11-02T00:03:00+00:00', '2026-11-02T00:03:00+00:00', 'retrying', NULL, NULL)
                """)
            try execute("""
                INSERT INTO event_outbox (id, event_id, event_type, aggregate_id, aggregate_type, event_data, created_at, status) VALUES
                ('o1', 'ev-2', 'OrderPlaced', '1', 'Order', '{}', '2026-11-02T00:00:02+00:00', 'published'),
                ('o2', 'ev-3', 'AccountOpened', 'a-b-c', 'Account', '{}', '2026-11-02T00:00:03+00:00', 'pending'),
                ('o3', 'ev-4', 'OrderPlaced', 'é東京', 'Order', '{}', '2026-11-02T00:00:04+00:00', 'pending'),
                ('o4', 'ev-7', 'OrderShipped', '1', 'Order', '{}', '2026-11-02T00:00:07+00:00', 'failed')
                """)
            try execute("INSERT INTO snapshots (aggregate_id, aggregate_type, version, schema_version, state, created_at) VALUES ('1', 'Order', 2, 1, '{\"status\":\"shipped\"}', '2026-11-02T00:00:08+00:00')")
        case .lexigram:
            for e in Self.sampleEvents {
                try execute("INSERT INTO events (global_sequence, stream_id, stream_version, event_id, event_type, event_data, metadata, timestamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            [e.position, e.streamId, e.version, "ev-\(e.position)", e.eventType, e.payload,
                             #"{"correlation_id":"corr-\#(e.position)","causation_id":null}"#, Self.time(e.position)])
            }
            // A hard delete below everything: the first position is 2; "gone" points at a deleted position.
            try execute("INSERT INTO event_checkpoints VALUES ('orders', 4, '2026-11-02T00:01:00+00:00'), ('gone', 6, '2026-11-02T00:02:00+00:00'), ('fresh', 0, '2026-11-02T00:03:00+00:00')")
            try execute("INSERT INTO event_checkpoints_locks VALUES ('orders', 'worker-1', 4070908800.5), ('gone', 'worker-dead', 1000.25)")
            try execute("""
                INSERT INTO snapshots VALUES ('s1', 'Order-1', 'Order', 1, '{"n":1}', '2026-11-02T00:00:03+00:00'),
                ('s2', 'Order-1', 'Order', 2, '{"n":2}', '2026-11-02T00:00:08+00:00')
                """)
        case .minimal:
            // rowids as the sample's positions (a deleted row's rowid leaves a hole, as here).
            for e in Self.sampleEvents {
                try execute("INSERT INTO events (rowid, id, name, payload, stream, timestamp, correlation_id, causation_id, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [e.position, "ev-\(e.position)", e.eventType, e.payload, e.streamId, Self.time(e.position),
                             "corr-\(e.position)", e.version > 1 ? "cause-\(e.position)" : nil, e.version])
            }
        case .waku:
            break
        }
    }

    public static func ddl(_ layout: StoreLayout) -> [String] {
        switch layout {
        case .waku: WakuSchema.sqliteDDL
        case .eventsourcePy: eventsourcePyDDL
        case .lexigram: lexigramDDL
        case .minimal: minimalDDL
        }
    }

    /// eventsource-py 0.15's SQLite tables and indexes, as the library creates them (the fixture's schema).
    public static let eventsourcePyDDL = [
        """
        CREATE TABLE events (global_position INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL UNIQUE,
          aggregate_id TEXT NOT NULL, aggregate_type TEXT NOT NULL, event_type TEXT NOT NULL, tenant_id TEXT, actor_id TEXT,
          version INTEGER NOT NULL, timestamp TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')),
          UNIQUE (aggregate_id, aggregate_type, version))
        """,
        "CREATE INDEX idx_events_aggregate_id ON events (aggregate_id)",
        "CREATE INDEX idx_events_aggregate_type ON events (aggregate_type)",
        "CREATE INDEX idx_events_event_type ON events (event_type)",
        "CREATE INDEX idx_events_timestamp ON events (timestamp)",
        "CREATE INDEX idx_events_tenant_id ON events (tenant_id) WHERE tenant_id IS NOT NULL",
        "CREATE INDEX idx_events_type_tenant_timestamp ON events (aggregate_type, tenant_id, timestamp)",
        "CREATE INDEX idx_events_aggregate_version ON events (aggregate_id, aggregate_type, version)",
        """
        CREATE TABLE event_outbox (id TEXT PRIMARY KEY, event_id TEXT NOT NULL, event_type TEXT NOT NULL, aggregate_id TEXT NOT NULL,
          aggregate_type TEXT NOT NULL, tenant_id TEXT, event_data TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT (datetime('now')),
          published_at TEXT, retry_count INTEGER NOT NULL DEFAULT 0, last_error TEXT, status TEXT NOT NULL DEFAULT 'pending',
          CHECK (status IN ('pending', 'published', 'failed')))
        """,
        "CREATE INDEX idx_outbox_status_created ON event_outbox (status, created_at) WHERE status = 'pending'",
        "CREATE INDEX idx_outbox_pending ON event_outbox (created_at) WHERE status = 'pending'",
        "CREATE INDEX idx_outbox_event_id ON event_outbox (event_id)",
        "CREATE INDEX idx_outbox_failed ON event_outbox (created_at) WHERE status = 'failed'",
        "CREATE INDEX idx_outbox_published_at ON event_outbox (published_at) WHERE status = 'published'",
        """
        CREATE TABLE projection_checkpoints (projection_name TEXT PRIMARY KEY, last_event_id TEXT, last_event_type TEXT,
          last_processed_at TEXT, global_position INTEGER, events_processed INTEGER NOT NULL DEFAULT 0,
          created_at TEXT NOT NULL DEFAULT (datetime('now')), updated_at TEXT NOT NULL DEFAULT (datetime('now')), position_token TEXT)
        """,
        """
        CREATE TABLE dead_letter_queue (id INTEGER PRIMARY KEY AUTOINCREMENT, event_id TEXT NOT NULL, projection_name TEXT NOT NULL,
          event_type TEXT NOT NULL, event_data TEXT NOT NULL, error_message TEXT NOT NULL, error_stacktrace TEXT,
          retry_count INTEGER NOT NULL DEFAULT 0, first_failed_at TEXT NOT NULL DEFAULT (datetime('now')),
          last_failed_at TEXT NOT NULL DEFAULT (datetime('now')), status TEXT NOT NULL DEFAULT 'failed', resolved_at TEXT,
          resolved_by TEXT, CHECK (status IN ('failed', 'retrying', 'resolved')), UNIQUE (event_id, projection_name))
        """,
        "CREATE INDEX idx_dlq_status ON dead_letter_queue (status)",
        "CREATE INDEX idx_dlq_projection_name ON dead_letter_queue (projection_name)",
        "CREATE INDEX idx_dlq_projection_status ON dead_letter_queue (projection_name, status)",
        """
        CREATE TABLE snapshots (id INTEGER PRIMARY KEY AUTOINCREMENT, aggregate_id TEXT NOT NULL, aggregate_type TEXT NOT NULL,
          version INTEGER NOT NULL, schema_version INTEGER NOT NULL DEFAULT 1, state TEXT NOT NULL, created_at TEXT NOT NULL,
          UNIQUE (aggregate_id, aggregate_type))
        """,
    ]

    /// lexigram's tables (SPEC §3.4) without the secondary indexes its DDL fails to create.
    public static let lexigramDDL = [
        """
        CREATE TABLE events (global_sequence INTEGER PRIMARY KEY, stream_id TEXT NOT NULL, stream_version INTEGER NOT NULL,
          event_id TEXT NOT NULL UNIQUE, event_type TEXT NOT NULL, event_data TEXT NOT NULL, metadata TEXT, timestamp TEXT NOT NULL,
          UNIQUE (stream_id, stream_version))
        """,
        "CREATE TABLE event_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT)",
        "CREATE TABLE event_checkpoints_locks (name TEXT PRIMARY KEY, owner TEXT NOT NULL, expires_at REAL NOT NULL)",
        """
        CREATE TABLE snapshots (id TEXT PRIMARY KEY, aggregate_id TEXT NOT NULL, aggregate_type TEXT NOT NULL, version INTEGER NOT NULL,
          state TEXT NOT NULL, timestamp TEXT NOT NULL)
        """,
    ]

    /// The minimal layout's one table (SPEC §3.5), with the `(stream, version)` uniqueness that
    /// optimistic appends rely on.
    public static let minimalDDL = [
        """
        CREATE TABLE events (id TEXT PRIMARY KEY, name TEXT NOT NULL, payload TEXT NOT NULL, stream TEXT NOT NULL,
          timestamp TEXT NOT NULL, correlation_id TEXT, causation_id TEXT, version INTEGER NOT NULL, UNIQUE (stream, version))
        """,
    ]
}
