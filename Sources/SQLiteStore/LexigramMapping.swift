import EventStore
import Foundation
import GRDB

/// The lexigram layout on SQLite (SPEC §3.4): events by `global_sequence`, streams by `stream_id`
/// and `stream_version` (listed through the table's own `UNIQUE (stream_id, stream_version)`),
/// checkpoints in `event_checkpoints`, leases in `event_checkpoints_locks` (expiry in epoch
/// seconds). The library's index DDL fails, so nothing else may be indexed: every read here is a
/// primary-key range or a seek on that unique index. Deletes are hard: the first position can be
/// above 1, and a checkpoint can point at a position that no longer exists.
struct LexigramMapping: LayoutMapping {
    static let log = PositionalSQL(
        table: "events", position: "global_sequence", streamPosition: "stream_version",
        columns: "e.global_sequence, e.event_id, e.stream_id, e.event_type, e.stream_version, e.event_data, e.metadata, e.timestamp",
        map: Self.event(row:))

    static func event(row: StoredRow) -> RecordedEvent {
        var c = ColumnReader(row)
        var event = RecordedEvent(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"), streamId: c.streamId(2, "stream_id"),
                                  eventType: c.text(3, "event_type"), position: c.int(4, "position"), data: c.text(5, "data"),
                                  metadata: c.optionalText(6, "metadata") ?? "{}", timestamp: c.time(7), schemaVersion: 1, idempotencyKey: "")
        event.problems = c.problems
        return event
    }

    var log: PositionalSQL { Self.log }
    static let streamsWalk = KeyWalk(table: "events", column: "stream_id")

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities {
        var capabilities: StoreCapabilities = [.globalPositions, .gaps]
        if catalog["event_checkpoints"] != nil { capabilities.insert(.checkpoints) }
        if catalog["event_checkpoints_locks"] != nil { capabilities.insert(.leases) }
        if catalog["snapshots"] != nil { capabilities.insert(.snapshots) }
        return capabilities
    }

    func head(_ db: Database) throws -> GlobalPosition { try log.head(db) }
    func log(_ db: Database, _ query: LogQuery) throws -> [RecordedEvent] { try log.log(db, query) }
    func events(_ db: Database, in ranges: [ClosedRange<GlobalPosition>], limit: Int) throws -> [RecordedEvent] {
        try log.events(db, in: ranges, limit: limit)
    }
    func event(_ db: Database, at position: GlobalPosition) throws -> RecordedEvent? { try log.event(db, at: position) }
    func event(_ db: Database, id: String) throws -> RecordedEvent? { try log.event(db, id: id) }
    func gaps(_ db: Database, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) throws -> [Gap] {
        try log.missingGaps(db, in: window, limit: limit)
    }
    func pending(_ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) throws -> Int64 {
        try log.pending(db, after: checkpoint, eventTypes: eventTypes, limit: limit)
    }
    func eventTypes(_ db: Database, prefix: String, limit: Int) throws -> [String] { try log.eventTypes(db, prefix: prefix, limit: limit) }

    func streams(_ db: Database, _ query: StreamQuery) throws -> [StreamSummary] {
        try StreamKeyed.streams(db, walk: Self.streamsWalk, summary: StreamKeyed.lexigram, query)
    }
    func stream(_ db: Database, id: String) throws -> StreamSummary? {
        try StreamKeyed.summary(db, StreamKeyed.lexigram, id: EscapedBytes.decode(id))
    }
    func streamEvents(_ db: Database, _ query: StreamEventsQuery) throws -> [RecordedEvent] {
        try StreamKeyed.events(db, StreamKeyed.lexigram, columns: log.columns, map: log.map, query)
    }
    func countStreams(_ db: Database, prefix: String, cap: Int64) throws -> Int64 {
        try StreamKeyed.count(db, StreamKeyed.lexigram, prefix: prefix, cap: cap)
    }

    func checkpoints(_ db: Database) throws -> [Checkpoint] {
        guard try db.tableExists("event_checkpoints") else { return [] }
        return try StoredRow.fetchAll(db, sql: "SELECT name, position, updated_at, NULL FROM event_checkpoints ORDER BY name").map(Checkpoint.init(row:))
    }

    func leases(_ db: Database) throws -> [Lease] {
        guard try db.tableExists("event_checkpoints_locks") else { return [] }
        return try StoredRow.fetchAll(db, sql: "SELECT name, owner, NULL, NULL, expires_at FROM event_checkpoints_locks ORDER BY name").map(Lease.init(row:))
    }

    func snapshots(_ db: Database, after streamId: String?, limit: Int) throws -> [Snapshot] {
        guard try db.tableExists("snapshots") else { return [] }
        // The latest snapshot of each aggregate (the table keeps several), in id order.
        let sql = """
            SELECT aggregate_id, state, MAX(version), aggregate_type, 1, timestamp FROM snapshots
            WHERE aggregate_id > CAST(? AS TEXT) GROUP BY aggregate_id ORDER BY aggregate_id LIMIT ?
            """
        return try StoredRow.fetchAll(db, sql: sql, arguments: [Data(EscapedBytes.decode(streamId ?? "")), limit]).map { row in
            var c = ColumnReader(row)
            var snapshot = Snapshot(streamId: c.streamId(0, "stream_id"), state: c.text(1, "state"), version: c.int(2, "version"),
                                    stateType: c.text(3, "state_type"), schemaVersion: 1, createdAt: c.optionalTime(5), updatedAt: nil)
            snapshot.problems = c.problems
            return snapshot
        }
    }
}

/// Streams of a layout whose events carry the stream id in one column with a unique
/// `(stream, version)` index (lexigram, minimal): listed by a loose scan of that index, each
/// summed up from its first and last events (two seeks).
enum StreamKeyed {
    struct Columns: Sendable {
        let table: String
        let stream: String
        let version: String
        let time: String
        let type: String
    }

    static let lexigram = Columns(table: "events", stream: "stream_id", version: "stream_version", time: "timestamp", type: "event_type")
    static let minimal = Columns(table: "events", stream: "stream", version: "version", time: "timestamp", type: "name")

    static func streams(_ db: Database, walk: KeyWalk, summary columns: Columns, _ query: StreamQuery) throws -> [StreamSummary] {
        let ids = try walk.values(db, after: query.after.map(EscapedBytes.decode), prefix: EscapedBytes.decode(query.idPrefix),
                                  direction: query.direction, limit: query.limit)
        return try ids.compactMap { try summary(db, columns, id: $0) }
    }

    static func summary(_ db: Database, _ columns: Columns, id: [UInt8]) throws -> StreamSummary? {
        guard let last = try StoredRow.fetchOne(db, sql: end(columns, last: true), arguments: [Data(id)]) else { return nil }
        let first = try StoredRow.fetchOne(db, sql: end(columns, last: false), arguments: [Data(id)])
        var c = ColumnReader(last)
        var f = first.map(ColumnReader.init)
        let shown = EscapedBytes.display(id).text
        return StreamSummary(id: shown, type: StreamSummary.category(of: shown), version: c.int(0, "version"),
                             createdAt: f?.optionalTime(1), updatedAt: c.optionalTime(1), deletedAt: nil, problems: c.problems)
    }

    /// A stream's first or last event's version and time: one seek on the `(stream, version)` index.
    static func end(_ columns: Columns, last: Bool) -> String {
        "SELECT \(columns.version), \(columns.time) FROM \(columns.table) WHERE \(columns.stream) = CAST(? AS TEXT) ORDER BY \(columns.version) \(last ? "DESC" : "ASC") LIMIT 1"
    }

    static func events(_ db: Database, _ columns: Columns, columns select: String, map: (StoredRow) -> RecordedEvent,
                       _ query: StreamEventsQuery) throws -> [RecordedEvent] {
        let (sql, arguments) = eventsSQL(columns, columns: select, query)
        return try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(map)
    }

    /// One stream's events from a version: a range of the `(stream, version)` index.
    static func eventsSQL(_ columns: Columns, columns select: String, _ query: StreamEventsQuery) -> (String, StatementArguments) {
        var sql = "SELECT \(select) FROM \(columns.table) e WHERE e.\(columns.stream) = CAST(? AS TEXT)"
        var arguments: [any DatabaseValueConvertible] = [Data(EscapedBytes.decode(query.streamId))]
        if let from = query.from {
            sql += query.direction == .forwards ? " AND e.\(columns.version) >= ?" : " AND e.\(columns.version) <= ?"
            arguments.append(from)
        }
        if !query.eventTypes.isEmpty {
            sql += " AND e.\(columns.type) IN (\(placeholders(query.eventTypes.count)))"
            arguments += query.eventTypes.sorted() as [any DatabaseValueConvertible]
        }
        sql += " ORDER BY e.\(columns.version) " + (query.direction == .forwards ? "ASC" : "DESC") + " LIMIT ?"
        arguments.append(query.limit)
        return (sql, StatementArguments(arguments))
    }

    static func countSQL(_ columns: Columns) -> String {
        """
        SELECT COUNT(*) FROM (SELECT DISTINCT \(columns.stream) FROM \(columns.table)
        WHERE \(columns.stream) >= CAST(? AS TEXT) AND \(columns.stream) < CAST(? AS TEXT) LIMIT ?)
        """
    }

    /// Distinct stream ids within a prefix: a covering range of the unique index, stopped past the cap.
    static func count(_ db: Database, _ columns: Columns, prefix: String, cap: Int64) throws -> Int64 {
        let bytes = EscapedBytes.decode(prefix)
        return try StoredRow.fetchInteger(db, sql: countSQL(columns), arguments: [Data(bytes), Data(bytes + [0xF4, 0x8F, 0xBF, 0xBF]), cap + 1]) ?? 0
    }
}
