import EventStore

/// The log of an events table keyed by an integer primary key that is its global position
/// (eventsource-py's `global_position`, lexigram's `global_sequence`) on PostgreSQL: the keyset
/// shapes of `PostgresSQL`'s waku log, with that layout's table, columns and row mapping. Such
/// layouts have no soft deletes, so every event is visible.
struct PostgresPositionalSQL: Sendable {
    let table: String
    /// The integer primary key holding the global position.
    let position: String
    /// The select list the layout's row mapping reads, each column of `e` cast to text.
    let columns: String
    let map: @Sendable (ServerRow) -> RecordedEvent
    /// `event_id`, as an id typed by hand is bound against it.
    let eventId: PostgresKeyColumn
    /// Whether an index leads with `event_type` (completion walks it; else the latest events' types).
    let typeIndexed: Bool
    let typesSortByBytes: Bool

    var head: Statement { Statement("SELECT max(\(position))::int8 FROM \(table)") }

    func eventAt(_ p: GlobalPosition) -> Statement {
        var s = Statement()
        s.sql = "SELECT \(columns) FROM \(table) e WHERE e.\(position) = \(s.bind(p))"
        return s
    }

    /// The event with an id through the unique `event_id` index; nil when the id cannot be of the
    /// column's type (a `uuid` column holds no `ev-1`).
    func eventById(_ id: String) -> Statement? {
        var s = Statement()
        guard let condition = eventId.equals(id, &s, alias: "e") else { return nil }
        s.sql = "SELECT \(columns) FROM \(table) e WHERE \(condition) LIMIT 1"
        return s
    }

    /// A page of the log; with types, one subquery per type (index-backed where `event_type` has an
    /// index, a primary-key range otherwise), merged and cut to the page.
    func log(_ query: LogQuery) -> Statement {
        let (op, order, anchor): (String, String, GlobalPosition) = switch query.anchor {
        case .after(let c): (">", "ASC", c.ordinal)
        case .before(let c): ("<", "DESC", c.ordinal)
        }
        var s = Statement()
        let limit = s.bind(Int64(query.limit))
        let from = s.bind(anchor)
        let base = "SELECT \(columns), e.\(position) AS p FROM \(table) e WHERE "
        let tail = " ORDER BY e.\(position) \(order) LIMIT \(limit)"
        if query.eventTypes.isEmpty {
            s.sql = base + "e.\(position) \(op) \(from)" + tail
            return s
        }
        let parts = query.eventTypes.sorted().map { type in
            "(" + base + "e.event_type = \(s.bind(type)) AND e.\(position) \(op) \(from)" + tail + ")"
        }
        s.sql = "SELECT * FROM (" + parts.joined(separator: " UNION ALL ") + ") t ORDER BY p \(order) LIMIT \(limit)"
        return s
    }

    /// Every event in short position ranges: one range seek on the primary key per pair.
    func eventsInRanges(_ ranges: [ClosedRange<GlobalPosition>], limit: Int) -> Statement {
        var s = Statement()
        let lows = s.bind(ranges.map(\.lowerBound))
        let highs = s.bind(ranges.map(\.upperBound))
        let n = s.bind(Int64(limit))
        s.sql = """
            SELECT x.* FROM unnest(\(lows)::int8[], \(highs)::int8[]) AS r(lo, hi) CROSS JOIN LATERAL (
              SELECT \(columns), e.\(position) AS p FROM \(table) e
              WHERE e.\(position) BETWEEN r.lo AND r.hi ORDER BY e.\(position) LIMIT \(n)
            ) x ORDER BY x.p LIMIT \(n)
            """
        return s
    }

    func eventsInRange(_ range: ClosedRange<GlobalPosition>, limit: Int) -> Statement {
        var s = Statement()
        s.sql = """
            SELECT \(columns) FROM \(table) e WHERE e.\(position) BETWEEN \(s.bind(range.lowerBound)) AND \(s.bind(range.upperBound)) \
            ORDER BY e.\(position) LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    /// Runs of absent positions in the window (as `PostgresSQL.missingRuns`): one ordered range of the primary key.
    func missingRuns(in window: ClosedRange<GlobalPosition>, limit: Int) -> Statement {
        var s = Statement()
        let lo = s.bind(window.lowerBound), hi = s.bind(window.upperBound)
        s.sql = """
            SELECT (p + 1)::int8, (next - 1)::int8 FROM (
              SELECT \(position)::int8 AS p, lead(\(position)::int8, 1, \(hi)::int8 + 1) OVER (ORDER BY \(position)) AS next
              FROM \(table) WHERE \(position) BETWEEN \(lo) AND \(hi)
            ) t WHERE next > p + 1 ORDER BY p LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    func firstPositionInWindow(_ window: ClosedRange<GlobalPosition>) -> Statement {
        var s = Statement()
        s.sql = "SELECT min(\(position))::int8 FROM \(table) WHERE \(position) BETWEEN \(s.bind(window.lowerBound)) AND \(s.bind(window.upperBound))"
        return s
    }

    func pending(after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) -> Statement {
        var s = Statement()
        var sql = "SELECT count(*)::int8 FROM (SELECT 1 FROM \(table) e WHERE e.\(position) > \(s.bind(checkpoint))"
        if !eventTypes.isEmpty { sql += " AND e.event_type = ANY(\(s.bind(eventTypes.sorted())))" }
        sql += " LIMIT \(s.bind(limit))) t"
        s.sql = sql
        return s
    }

    /// The distinct types of the latest 10,000 events with a prefix: a primary-key range, for a
    /// table with no index on its type (completion then offers the types in recent use).
    func recentEventTypes(prefix: String, limit: Int) -> Statement {
        var s = Statement()
        s.sql = """
            SELECT DISTINCT t::text FROM (SELECT event_type AS t FROM \(table) ORDER BY \(position) DESC LIMIT 10000) r
            WHERE starts_with(t::text, \(s.bind(prefix))) ORDER BY 1 LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    // MARK: reads

    func head(_ s: Session) async throws -> GlobalPosition { try await s.integer(head) ?? -1 }

    func events(_ s: Session, in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        let short = ranges.filter { $0.upperBound - $0.lowerBound < Int64(limit) }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }
        var found = short.isEmpty ? [] : try await s.rows(eventsInRanges(short, limit: limit)).map(map)
        for range in long { found += try await s.rows(eventsInRange(range, limit: limit)).map(map) }
        return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
    }

    func event(_ s: Session, at p: GlobalPosition) async throws -> RecordedEvent? { try await s.one(eventAt(p)).map(map) }

    func event(_ s: Session, id: String) async throws -> RecordedEvent? {
        guard let statement = eventById(id) else { return nil }
        return try await s.one(statement).map(map)
    }

    func missingGaps(_ s: Session, in window: ClosedRange<GlobalPosition>, limit: Int) async throws -> [Gap] {
        let (lo, hi) = (window.lowerBound, window.upperBound)
        var missing: [Gap] = []
        let first = try await s.integer(firstPositionInWindow(window))
        let leading = first.map { $0 - 1 } ?? hi
        if leading >= lo { missing.append(Gap(from: lo, to: leading, kind: .missing)) }
        missing += try await s.rows(missingRuns(in: lo...min(hi, GlobalPosition.max - 1), limit: limit)).compactMap(PostgresStoreReader.run(.missing))
        return Array(missing.prefix(limit))
    }

    func pending(_ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) async throws -> Int64 {
        try await s.integer(pending(after: checkpoint, eventTypes: eventTypes, limit: limit)) ?? 0
    }

    /// Completion: a seek per type through an index on `event_type` when the table has one, else
    /// the types of the latest 10,000 events.
    func eventTypes(_ s: Session, prefix: String, limit: Int) async throws -> [String] {
        if typeIndexed {
            return try await PostgresTypeWalk(table: table, byteOrdered: typesSortByBytes).types(s, prefix: prefix, limit: limit)
        }
        return try await s.rows(recentEventTypes(prefix: prefix, limit: limit)).compactMap { row -> String? in
            guard case .text(let bytes) = row[0] else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }
}

/// A layout whose log is one table keyed by a global position (eventsource-py, lexigram): its log
/// reads are `PostgresPositionalSQL`'s, whatever else the layout maps its own way.
protocol PositionalPostgresMapping: PostgresLayoutMapping {
    var log: PostgresPositionalSQL { get }
}

extension PositionalPostgresMapping {
    func head(_ s: Session) async throws -> GlobalPosition { try await log.head(s) }
    func logPage(_ query: LogQuery) -> (Statement, @Sendable (ServerRow) -> RecordedEvent) { (log.log(query), log.map) }
    func events(_ s: Session, in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        try await log.events(s, in: ranges, limit: limit)
    }
    func event(_ s: Session, at position: GlobalPosition) async throws -> RecordedEvent? { try await log.event(s, at: position) }
    func event(_ s: Session, id: String) async throws -> RecordedEvent? { try await log.event(s, id: id) }
    func gaps(_ s: Session, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        try await log.missingGaps(s, in: window, limit: limit)
    }
    func pending(_ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) async throws -> Int64 {
        try await log.pending(s, after: checkpoint, eventTypes: eventTypes, limit: limit)
    }
    func eventTypes(_ s: Session, prefix: String, limit: Int) async throws -> [String] { try await log.eventTypes(s, prefix: prefix, limit: limit) }
}
