/// The waku layout (SPEC §3.1, §3.2): its names, and its DDL on SQLite and PostgreSQL, written once
/// for the demo generator, the test store builders and layout detection.
public enum WakuSchema {
    public static let streams = "es_streams"
    public static let events = "es_events"
    public static let checkpoints = "es_checkpoints"
    public static let leases = "es_projection_leases"
    public static let snapshots = "es_snapshots"

    public static let streamColumns: Set<String> = ["stream_id", "stream_type", "version", "created_at", "updated_at", "deleted_at"]
    public static let eventColumns: Set<String> = [
        "global_position", "event_id", "stream_id", "event_type", "position", "data", "metadata",
        "timestamp", "schema_version", "idempotency_key",
    ]

    /// waku's tables and indexes on SQLite, in creation order, as waku's SQLite layout names them.
    public static let sqliteDDL = [
        """
        CREATE TABLE es_streams (stream_id TEXT PRIMARY KEY, stream_type TEXT NOT NULL,
          version INTEGER NOT NULL DEFAULT 0, created_at TEXT, updated_at TEXT, deleted_at TEXT)
        """,
        """
        CREATE TABLE es_events (global_position INTEGER PRIMARY KEY, event_id TEXT NOT NULL UNIQUE,
          stream_id TEXT NOT NULL, event_type TEXT NOT NULL, position INTEGER NOT NULL,
          data TEXT NOT NULL, metadata TEXT NOT NULL, timestamp TEXT NOT NULL,
          schema_version INTEGER NOT NULL DEFAULT 1, idempotency_key TEXT NOT NULL,
          UNIQUE (stream_id, position), UNIQUE (stream_id, idempotency_key))
        """,
        "CREATE INDEX ix_es_events_event_type ON es_events (event_type)",
        """
        CREATE TABLE es_checkpoints (projection_name TEXT PRIMARY KEY, position INTEGER NOT NULL,
          updated_at TEXT NOT NULL, created_at TEXT)
        """,
        """
        CREATE TABLE es_projection_leases (projection_name TEXT PRIMARY KEY, holder_id TEXT NOT NULL,
          acquired_at TEXT, renewed_at TEXT, expires_at TEXT NOT NULL)
        """,
        """
        CREATE TABLE es_snapshots (stream_id TEXT PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL,
          state_type TEXT NOT NULL, schema_version INTEGER NOT NULL DEFAULT 1, created_at TEXT, updated_at TEXT)
        """,
    ]

    /// waku's tables and indexes on PostgreSQL, as waku 0.43 creates them (SPEC §3.1; the schema of
    /// `Tests/Fixtures/waku-0.43.0-postgres.sql`), as one script: for tests, and for the demo and
    /// the runner on PostgreSQL. Readers never run it.
    public static let postgresDDL = """
        CREATE TABLE es_streams (
          stream_id TEXT PRIMARY KEY, stream_type TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 0,
          created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now(), deleted_at TIMESTAMPTZ);
        CREATE TABLE es_events (
          event_id UUID PRIMARY KEY, stream_id TEXT NOT NULL, event_type TEXT NOT NULL,
          position INTEGER NOT NULL,
          global_position BIGINT GENERATED ALWAYS AS IDENTITY (START WITH 0 MINVALUE 0 NO CYCLE),
          data JSONB NOT NULL, metadata JSONB NOT NULL, timestamp TIMESTAMPTZ NOT NULL,
          schema_version INTEGER NOT NULL DEFAULT 1, idempotency_key TEXT NOT NULL,
          CONSTRAINT uq_es_events_stream_id_position UNIQUE (stream_id, position),
          CONSTRAINT uq_es_events_idempotency_key UNIQUE (stream_id, idempotency_key));
        CREATE INDEX ix_es_events_event_type ON es_events (event_type);
        CREATE INDEX ix_es_events_global_position ON es_events (global_position);
        CREATE TABLE es_checkpoints (projection_name TEXT PRIMARY KEY, position BIGINT NOT NULL,
          updated_at TIMESTAMPTZ NOT NULL, created_at TIMESTAMPTZ DEFAULT now());
        CREATE TABLE es_projection_leases (projection_name TEXT PRIMARY KEY, holder_id TEXT NOT NULL,
          acquired_at TIMESTAMPTZ DEFAULT now(), renewed_at TIMESTAMPTZ DEFAULT now(),
          expires_at TIMESTAMPTZ NOT NULL);
        CREATE TABLE es_snapshots (stream_id TEXT PRIMARY KEY, state JSONB NOT NULL, version INTEGER NOT NULL,
          state_type TEXT NOT NULL, schema_version INTEGER NOT NULL DEFAULT 1,
          created_at TIMESTAMPTZ DEFAULT now(), updated_at TIMESTAMPTZ DEFAULT now());
        """

    public static let insertEvent = """
        INSERT INTO es_events (global_position, event_id, stream_id, event_type, position, data, metadata,
          timestamp, schema_version, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
}
