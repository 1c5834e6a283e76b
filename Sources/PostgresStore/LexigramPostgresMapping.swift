import EventStore

/// The lexigram layout on PostgreSQL (SPEC §3.4), with the meaning `LexigramMapping` gives it on
/// SQLite: events by `global_sequence`, streams by `stream_id` and `stream_version` (listed
/// through the table's own `UNIQUE (stream_id, stream_version)`), checkpoints in
/// `event_checkpoints`, leases in `event_checkpoints_locks` (expiry in epoch seconds, a `REAL`).
/// The library's index DDL fails, so every read is a primary-key range or a seek on that unique
/// index. Deletes are hard: the first position can be above 1.
struct LexigramPostgresMapping: PositionalPostgresMapping {
    let log: PostgresPositionalSQL
    let keyed: PostgresStreamKeyed

    init(catalog: PostgresCatalog) {
        log = PostgresPositionalSQL(
            table: "events", position: "global_sequence",
            columns: """
                e.global_sequence::text, e.event_id::text, e.stream_id::text, e.event_type::text, e.stream_version::text, \
                e.event_data::text, e.metadata::text, e."timestamp"::text
                """,
            map: Self.event(row:), eventId: PostgresKeyColumn(table: "events", name: "event_id", catalog: catalog),
            typeIndexed: catalog.leadsAnIndex("events", "event_type"), typesSortByBytes: catalog.sortsByBytes("events", "event_type"))
        keyed = PostgresStreamKeyed(stream: "stream_id", version: "stream_version", time: "\"timestamp\"", type: "event_type", catalog: catalog)
    }

    static func event(row: ServerRow) -> RecordedEvent {
        var c = ServerColumnReader(row)
        var event = RecordedEvent(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"), streamId: c.streamId(2, "stream_id"),
                                  eventType: c.text(3, "event_type"), position: c.int(4, "position"), data: c.text(5, "data"),
                                  metadata: c.optionalText(6, "metadata") ?? "{}", timestamp: c.time(7), schemaVersion: 1, idempotencyKey: "")
        event.problems = c.problems
        return event
    }

    var tables: [String] { ["events", "event_checkpoints", "event_checkpoints_locks", "snapshots"] }

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities {
        var capabilities: StoreCapabilities = [.globalPositions, .gaps]
        if catalog["event_checkpoints"] != nil { capabilities.insert(.checkpoints) }
        if catalog["event_checkpoints_locks"] != nil { capabilities.insert(.leases) }
        if catalog["snapshots"] != nil { capabilities.insert(.snapshots) }
        return capabilities
    }

    func streams(_ s: Session, _ query: StreamQuery) async throws -> [StreamSummary] { try await keyed.streams(s, query) }
    func stream(_ s: Session, id: String) async throws -> StreamSummary? { try await keyed.summary(s, id: PostgresStoreReader.bound(id)) }
    func streamEvents(_ s: Session, _ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        try await keyed.events(s, query, columns: log.columns, map: log.map)
    }
    func countStreams(_ s: Session, prefix: String, cap: Int64) async throws -> Int64 {
        try await keyed.count(s, prefix: prefix, cap: cap)
    }

    func checkpoints(_ s: Session) async throws -> [Checkpoint] {
        guard try await s.exists("event_checkpoints") else { return [] }
        return try await s.rows(Statement("""
            SELECT name::text, "position"::text, updated_at::text, NULL FROM event_checkpoints ORDER BY name::text COLLATE "C"
            """)).map(Checkpoint.init(server:))
    }

    /// Leases with their expiry in epoch seconds (as the library stores it); a time in text reads too.
    func leases(_ s: Session) async throws -> [Lease] {
        guard try await s.exists("event_checkpoints_locks") else { return [] }
        return try await s.rows(Statement("""
            SELECT name::text, owner::text, NULL, NULL, expires_at::text FROM event_checkpoints_locks ORDER BY name::text COLLATE "C"
            """)).map(Lease.init(server:))
    }

    func snapshots(_ s: Session, after streamId: String?, limit: Int) async throws -> [Snapshot] {
        guard try await s.exists("snapshots") else { return [] }
        // The latest snapshot of each aggregate (the table keeps several), in id order.
        var statement = Statement()
        statement.sql = """
            SELECT DISTINCT ON (s.aggregate_id::text COLLATE "C") s.aggregate_id::text, s.state::text, s.version::text, s.aggregate_type::text,
                   1, s."timestamp"::text
            FROM snapshots s WHERE s.aggregate_id::text COLLATE "C" > \(statement.bind(PostgresStoreReader.bound(streamId ?? "")))
            ORDER BY s.aggregate_id::text COLLATE "C", s.version DESC LIMIT \(statement.bind(Int64(limit)))
            """
        return try await s.rows(statement).map { row in
            var c = ServerColumnReader(row)
            var snapshot = Snapshot(streamId: c.streamId(0, "stream_id"), state: c.text(1, "state"), version: c.int(2, "version"),
                                    stateType: c.text(3, "state_type"), schemaVersion: 1, createdAt: c.optionalTime(5), updatedAt: nil)
            snapshot.problems = c.problems
            return snapshot
        }
    }
}
