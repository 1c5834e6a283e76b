import EventStore
import Foundation
import GRDB

/// The minimal layout (SPEC §3.5, the small "eventsourcing" library): one `events` table, streams
/// by `stream`, the log in `rowid` order. No global position (the log's `LogCursor` carries the
/// rowid, which views do not show), no checkpoints, no gaps. Correlation and causation are columns,
/// given as the event's metadata so every view shows them as it shows waku's.
struct MinimalMapping: LayoutMapping {
    static let columns = "e.rowid, e.id, e.stream, e.name, e.version, e.payload, e.correlation_id, e.causation_id, e.timestamp"
    static let streamsWalk = KeyWalk(table: "events", column: "stream")

    static func event(row: StoredRow) -> RecordedEvent {
        var c = ColumnReader(row)
        let rowid = c.int(0, "rowid")
        let metadata = JSONValue.object([
            "correlation_id": c.optionalText(6, "correlation_id").json, "causation_id": c.optionalText(7, "causation_id").json,
        ]).compact
        var event = RecordedEvent(globalPosition: rowid, cursor: LogCursor(ordinal: rowid), eventId: c.text(1, "event_id"),
                                  streamId: c.streamId(2, "stream_id"), eventType: c.text(3, "event_type"), position: c.int(4, "position"),
                                  data: c.text(5, "data"), metadata: metadata, timestamp: c.time(8), schemaVersion: 1, idempotencyKey: "",
                                  hasGlobalPosition: false)
        event.problems = c.problems
        return event
    }

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities { [] }

    func head(_ db: Database) throws -> GlobalPosition { try StoredRow.fetchInteger(db, sql: "SELECT MAX(rowid) FROM events") ?? -1 }

    func log(_ db: Database, _ query: LogQuery) throws -> [RecordedEvent] {
        let (sql, arguments) = Self.log(query)
        return try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(Self.event(row:))
    }

    /// A page of the log: a rowid range (types filtered along it: the table has no index on `name`).
    static func log(_ query: LogQuery) -> (String, StatementArguments) {
        let (op, order, anchor): (String, String, Int64) = switch query.anchor {
        case .after(let c): (">", "ASC", c.ordinal)
        case .before(let c): ("<", "DESC", c.ordinal)
        }
        var sql = "SELECT \(Self.columns) FROM events e WHERE e.rowid \(op) ?"
        var arguments: [any DatabaseValueConvertible] = [anchor]
        if !query.eventTypes.isEmpty {
            sql += " AND e.name IN (\(placeholders(query.eventTypes.count)))"
            arguments += query.eventTypes.sorted() as [any DatabaseValueConvertible]
        }
        sql += " ORDER BY e.rowid \(order) LIMIT ?"
        arguments.append(query.limit)
        return (sql, StatementArguments(arguments))
    }

    func events(_ db: Database, in ranges: [ClosedRange<GlobalPosition>], limit: Int) throws -> [RecordedEvent] {
        var found: [RecordedEvent] = []
        for range in ranges {
            found += try StoredRow.fetchAll(db, sql: "SELECT \(Self.columns) FROM events e WHERE e.rowid BETWEEN ? AND ? ORDER BY e.rowid LIMIT ?",
                                            arguments: [range.lowerBound, range.upperBound, limit]).map(Self.event(row:))
        }
        return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
    }

    func event(_ db: Database, at position: GlobalPosition) throws -> RecordedEvent? {
        try StoredRow.fetchOne(db, sql: "SELECT \(Self.columns) FROM events e WHERE e.rowid = ?", arguments: [position]).map(Self.event(row:))
    }

    func event(_ db: Database, id: String) throws -> RecordedEvent? {
        try StoredRow.fetchOne(db, sql: "SELECT \(Self.columns) FROM events e WHERE e.id = ?", arguments: [id]).map(Self.event(row:))
    }

    func streams(_ db: Database, _ query: StreamQuery) throws -> [StreamSummary] {
        try StreamKeyed.streams(db, walk: Self.streamsWalk, summary: StreamKeyed.minimal, query)
    }
    func stream(_ db: Database, id: String) throws -> StreamSummary? {
        try StreamKeyed.summary(db, StreamKeyed.minimal, id: EscapedBytes.decode(id))
    }
    func streamEvents(_ db: Database, _ query: StreamEventsQuery) throws -> [RecordedEvent] {
        try StreamKeyed.events(db, StreamKeyed.minimal, columns: Self.columns, map: Self.event(row:), query)
    }
    func countStreams(_ db: Database, prefix: String, cap: Int64) throws -> Int64 {
        try StreamKeyed.count(db, StreamKeyed.minimal, prefix: prefix, cap: cap)
    }

    /// Completion through an index on `name` when the table has one, else the names of the latest 10,000 events.
    func eventTypes(_ db: Database, prefix: String, limit: Int) throws -> [String] {
        if try SQLiteIndexes.leading(db, table: "events", column: "name") {
            return try WakuMapping.walkTypes(db, sql: "SELECT MIN(name) FROM events WHERE name > ?1 AND name >= ?2 AND name < ?3",
                                             prefix: prefix, limit: limit)
        }
        let sql = """
            SELECT DISTINCT name FROM (SELECT name FROM events ORDER BY rowid DESC LIMIT ?2)
            WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name LIMIT ?3
            """
        return try StoredRow.fetchAll(db, sql: sql, arguments: [prefix, 10_000, limit]).compactMap(\.firstText)
    }

    func checkpoints(_ db: Database) throws -> [Checkpoint] { [] }
    func snapshots(_ db: Database, after streamId: String?, limit: Int) throws -> [Snapshot] { [] }
    func gaps(_ db: Database, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) throws -> [Gap] { [] }
    /// Events after an ordinal (no projection keeps one here, but the count means the same).
    func pending(_ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) throws -> Int64 {
        let filter = eventTypes.isEmpty ? "" : " AND name IN (\(placeholders(eventTypes.count)))"
        var arguments: [any DatabaseValueConvertible] = [checkpoint]
        arguments += eventTypes.sorted() as [any DatabaseValueConvertible]
        arguments.append(limit)
        return try StoredRow.fetchInteger(db, sql: "SELECT COUNT(*) FROM (SELECT 1 FROM events WHERE rowid > ?\(filter) LIMIT ?)",
                                          arguments: StatementArguments(arguments)) ?? 0
    }
}
