import EventStore

/// Streams of a layout whose events carry the stream id in one column with a unique
/// `(stream, version)` index (lexigram, minimal): listed by a loose scan of that index, each
/// summed up from its first and last events (two seeks), as `StreamKeyed` does on SQLite.
struct PostgresStreamKeyed: Sendable {
    let table: String
    let stream: String
    let version: String
    let time: String
    let type: String
    let walk: PostgresKeyWalk

    init(table: String = "events", stream: String, version: String, time: String, type: String, catalog: PostgresCatalog) {
        self.table = table
        self.stream = stream
        self.version = version
        self.time = time
        self.type = type
        walk = PostgresKeyWalk(table: table, column: stream, catalog: catalog)
    }

    func streams(_ s: Session, _ query: StreamQuery) async throws -> [StreamSummary] {
        let ids = try await walk.values(s, after: query.after.map(PostgresStoreReader.bound), prefix: PostgresStoreReader.bound(query.idPrefix),
                                        direction: query.direction, limit: query.limit)
        var found: [StreamSummary] = []
        for id in ids { if let summary = try await summary(s, id: id) { found.append(summary) } }
        return found
    }

    /// A stream's first or last event's version and time: one seek on the `(stream, version)` index.
    func end(_ id: String, last: Bool) -> Statement? {
        var s = Statement()
        guard let bound = walk.key.bind(id, &s) else { return nil }
        s.sql = """
            SELECT e.\(version)::text, e.\(time)::text FROM \(table) e WHERE \(walk.key.expression("e")) = \(bound) \
            ORDER BY e.\(version) \(last ? "DESC" : "ASC") LIMIT 1
            """
        return s
    }

    func summary(_ s: Session, id: String) async throws -> StreamSummary? {
        guard let lastEvent = end(id, last: true), let firstEvent = end(id, last: false),
              let last = try await s.one(lastEvent) else { return nil }
        let first = try await s.one(firstEvent)
        var c = ServerColumnReader(last)
        var f = first.map(ServerColumnReader.init)
        var shownReader = ServerColumnReader(ServerRow(values: [.text(Array(id.utf8))]))
        let shown = shownReader.streamId(0, "stream_id")
        return StreamSummary(id: shown, type: StreamSummary.category(of: shown), version: c.int(0, "version"),
                             createdAt: f?.optionalTime(1), updatedAt: c.optionalTime(1), deletedAt: nil, problems: c.problems)
    }

    /// One stream's events from a version: a range of the `(stream, version)` index; nil when no
    /// stream can have that id.
    func events(_ query: StreamEventsQuery, columns: String) -> Statement? {
        var s = Statement()
        guard let bound = walk.key.bind(PostgresStoreReader.bound(query.streamId), &s) else { return nil }
        s.sql = "SELECT \(columns) FROM \(table) e WHERE \(walk.key.expression("e")) = \(bound)"
        if let from = query.from {
            s.sql += (query.direction == .forwards ? " AND e.\(version) >= " : " AND e.\(version) <= ") + s.bind(from)
        }
        if !query.eventTypes.isEmpty { s.sql += " AND e.\(type) = ANY(\(s.bind(query.eventTypes.sorted())))" }
        s.sql += " ORDER BY e.\(version) " + (query.direction == .forwards ? "ASC" : "DESC") + " LIMIT " + s.bind(Int64(query.limit))
        return s
    }

    func events(_ s: Session, _ query: StreamEventsQuery, columns: String, map: (ServerRow) -> RecordedEvent) async throws -> [RecordedEvent] {
        guard let statement = events(query, columns: columns) else { return [] }
        return try await s.rows(statement).map(map)
    }

    /// Distinct stream ids within a prefix: a range of the unique index, stopped past the cap; nil
    /// when no id can start with the prefix.
    func count(prefix: String, cap: Int64) -> Statement? {
        var s = Statement()
        guard let conditions = walk.key.prefix(PostgresStoreReader.bound(prefix), &s) else { return nil }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        s.sql = "SELECT count(*)::int8 FROM (SELECT DISTINCT \(walk.key.expression()) FROM \(table)\(filter) LIMIT \(s.bind(cap + 1))) t"
        return s
    }

    func count(_ s: Session, prefix: String, cap: Int64) async throws -> Int64 {
        guard let statement = count(prefix: prefix, cap: cap) else { return 0 }
        return try await s.integer(statement) ?? 0
    }
}
