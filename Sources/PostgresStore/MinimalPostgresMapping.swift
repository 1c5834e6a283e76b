import EventStore

/// The minimal layout on PostgreSQL (SPEC §3.5): one `events` table, streams by `stream`, the log
/// in `(timestamp, id)` order (PostgreSQL has no `rowid`). No global position: an event's ordinal
/// is its time in epoch microseconds, and its `LogCursor` carries the id too, so paging goes on
/// after an event that shares its time with others. No checkpoints, no gaps. Correlation and
/// causation are columns, given as the event's metadata as on SQLite.
struct MinimalPostgresMapping: PostgresLayoutMapping {
    static let columns = """
        e.id::text, e.stream::text, e.name::text, e.version::text, e.payload::text, e.correlation_id::text, e.causation_id::text, \
        e."timestamp"::text
        """

    let keyed: PostgresStreamKeyed
    /// The time column's type: a `timestamp` or `timestamptz` is compared as one; anything else as
    /// its text, with a cursor's time in ISO-8601.
    let timeType: String
    let id: PostgresKeyColumn
    let namesIndexed: Bool
    let namesSortByBytes: Bool

    init(catalog: PostgresCatalog) {
        keyed = PostgresStreamKeyed(stream: "stream", version: "version", time: "\"timestamp\"", type: "name", catalog: catalog)
        timeType = catalog.type("events", "timestamp")
        id = PostgresKeyColumn(table: "events", name: "id", catalog: catalog)
        namesIndexed = catalog.leadsAnIndex("events", "name")
        namesSortByBytes = catalog.sortsByBytes("events", "name")
    }

    static func event(row: ServerRow) -> RecordedEvent {
        var c = ServerColumnReader(row)
        let metadata = JSONValue.object([
            "correlation_id": c.optionalText(5, "correlation_id").json, "causation_id": c.optionalText(6, "causation_id").json,
        ]).compact
        let time = c.time(7)
        let ordinal = time.timestamp?.microseconds ?? 0
        let id = c.text(0, "event_id")
        var event = RecordedEvent(globalPosition: ordinal, cursor: LogCursor(ordinal: ordinal, key: id), eventId: id,
                                  streamId: c.streamId(1, "stream_id"), eventType: c.text(2, "event_type"), position: c.int(3, "position"),
                                  data: c.text(4, "data"), metadata: metadata, timestamp: time, schemaVersion: 1, idempotencyKey: "",
                                  hasGlobalPosition: false)
        event.problems = c.problems
        return event
    }

    var tables: [String] { ["events"] }

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities { [] }

    var isTime: Bool { timeType.hasPrefix("timestamp") }
    /// The time column as ordered and compared.
    var time: String { isTime ? "e.\"timestamp\"" : "e.\"timestamp\"::text" }
    /// The id column as ordered and compared.
    var idColumn: String { id.expression("e") }

    /// A time as bound against the column: microseconds after the epoch, kept within years 1–9999
    /// (PostgreSQL's range is wider; nothing eventscope shows lies outside it).
    func bound(_ micros: Int64, _ s: inout Statement) -> String {
        let clamped = min(max(micros, -62_135_596_800_000_000 - 1), 253_402_300_800_000_000)
        if isTime { return "('epoch'::\(timeType) + \(s.bind(clamped)) * interval '1 microsecond')" }
        return s.bind(Timestamp(microseconds: clamped).iso8601)
    }

    /// Events after (or before) a cursor: by time and id where the cursor names an event, by time alone otherwise.
    func condition(_ anchor: LogQuery.Anchor, _ s: inout Statement) -> String? {
        let (cursor, op): (LogCursor, String) = switch anchor {
        case .after(let c): (c, ">")
        case .before(let c): (c, "<")
        }
        if cursor == .start || cursor == .end { return nil }
        let t = bound(cursor.ordinal, &s)
        guard let key = cursor.key, let keyValue = id.bind(key, &s) else { return "\(time) \(op) \(t)" }
        return "(\(time), \(idColumn)) \(op) (\(t), \(keyValue))"
    }

    func log(_ query: LogQuery) -> Statement {
        var s = Statement()
        var conditions: [String] = []
        if let c = condition(query.anchor, &s) { conditions.append(c) }
        if !query.eventTypes.isEmpty { conditions.append("e.name = ANY(\(s.bind(query.eventTypes.sorted())))") }
        let order = if case .after = query.anchor { "ASC" } else { "DESC" }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        s.sql = "SELECT \(Self.columns) FROM events e\(filter) ORDER BY \(time) \(order), \(idColumn) \(order) LIMIT \(s.bind(Int64(query.limit)))"
        return s
    }

    func head(_ s: Session) async throws -> GlobalPosition {
        try await s.one(Statement("SELECT \(Self.columns) FROM events e ORDER BY \(time) DESC, \(idColumn) DESC LIMIT 1"))
            .map(Self.event(row:))?.globalPosition ?? -1
    }

    func logPage(_ query: LogQuery) -> (Statement, @Sendable (ServerRow) -> RecordedEvent) { (log(query), Self.event(row:)) }

    func inRange(_ range: ClosedRange<GlobalPosition>, limit: Int) -> Statement {
        var s = Statement()
        s.sql = """
            SELECT \(Self.columns) FROM events e WHERE \(time) BETWEEN \(bound(range.lowerBound, &s)) AND \(bound(range.upperBound, &s)) \
            ORDER BY \(time), \(idColumn) LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    func events(_ s: Session, in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        var found: [RecordedEvent] = []
        for range in ranges { found += try await s.rows(inRange(range, limit: limit)).map(Self.event(row:)) }
        return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
    }

    func event(_ s: Session, at position: GlobalPosition) async throws -> RecordedEvent? {
        try await events(s, in: [position...position], limit: 1).first
    }

    func event(_ s: Session, id: String) async throws -> RecordedEvent? {
        var statement = Statement()
        guard let condition = self.id.equals(id, &statement, alias: "e") else { return nil }
        statement.sql = "SELECT \(Self.columns) FROM events e WHERE \(condition) LIMIT 1"
        return try await s.one(statement).map(Self.event(row:))
    }

    func streams(_ s: Session, _ query: StreamQuery) async throws -> [StreamSummary] { try await keyed.streams(s, query) }
    func stream(_ s: Session, id: String) async throws -> StreamSummary? { try await keyed.summary(s, id: PostgresStoreReader.bound(id)) }
    func streamEvents(_ s: Session, _ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        try await keyed.events(s, query, columns: Self.columns, map: Self.event(row:))
    }
    func countStreams(_ s: Session, prefix: String, cap: Int64) async throws -> Int64 {
        try await keyed.count(s, prefix: prefix, cap: cap)
    }

    /// Completion through an index on `name` when the table has one, else the names of the latest 10,000 events.
    func eventTypes(_ s: Session, prefix: String, limit: Int) async throws -> [String] {
        if namesIndexed {
            return try await PostgresTypeWalk(table: "events", column: "name", byteOrdered: namesSortByBytes).types(s, prefix: prefix, limit: limit)
        }
        var statement = Statement()
        statement.sql = """
            SELECT DISTINCT n::text FROM (SELECT e.name AS n FROM events e ORDER BY \(time) DESC, \(idColumn) DESC LIMIT 10000) r
            WHERE starts_with(n::text, \(statement.bind(prefix))) ORDER BY 1 LIMIT \(statement.bind(Int64(limit)))
            """
        return try await s.rows(statement).compactMap { row -> String? in
            guard case .text(let bytes) = row[0] else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    func checkpoints(_ s: Session) async throws -> [Checkpoint] { [] }
    func snapshots(_ s: Session, after streamId: String?, limit: Int) async throws -> [Snapshot] { [] }
    func gaps(_ s: Session, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] { [] }

    /// Events after an ordinal (no projection keeps one here, but the count means the same).
    func pending(_ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) async throws -> Int64 {
        var statement = Statement()
        var sql = "SELECT count(*)::int8 FROM (SELECT 1 FROM events e WHERE \(time) > \(bound(checkpoint, &statement))"
        if !eventTypes.isEmpty { sql += " AND e.name = ANY(\(statement.bind(eventTypes.sorted())))" }
        statement.sql = sql + " LIMIT \(statement.bind(limit))) t"
        return try await s.integer(statement) ?? 0
    }
}
