import EventStore
import GRDB

/// The log of an events table keyed by an integer primary key that is its global position
/// (eventsource-py's `global_position`, lexigram's `global_sequence`): the same keyset, rowid-range
/// shapes as `WakuSQL`'s, with that layout's table, columns and row mapping. Such layouts have no
/// soft deletes, so every event is visible.
struct PositionalSQL: Sendable {
    /// The table's name, aliased `e` in every statement.
    let table: String
    /// The integer primary key holding the global position.
    let position: String
    /// The stream position column (a unique index with the stream's own columns).
    let streamPosition: String
    /// The select list the layout's row mapping reads, each column prefixed `e.`.
    let columns: String
    let map: @Sendable (StoredRow) -> RecordedEvent

    var head: String { "SELECT MAX(\(position)) FROM \(table)" }
    var eventAt: String { "SELECT \(columns) FROM \(table) e WHERE e.\(position) = ?" }
    var eventById: String { "SELECT \(columns) FROM \(table) e WHERE e.event_id = ?" }

    /// A page of the log; with types, one subquery per type (index-backed where `event_type` has an
    /// index, a primary-key range otherwise), merged and cut to the page.
    func log(_ query: LogQuery) -> (sql: String, arguments: StatementArguments) {
        let (op, order, anchor): (String, String, GlobalPosition) = switch query.anchor {
        case .after(let c): (">", "ASC", c.ordinal)
        case .before(let c): ("<", "DESC", c.ordinal)
        }
        let base = "SELECT \(columns), e.\(position) AS sort_key FROM \(table) e WHERE "
        let tail = " ORDER BY e.\(position) \(order) LIMIT ?"
        if query.eventTypes.isEmpty {
            return (base + "e.\(position) \(op) ?" + tail, [anchor, query.limit])
        }
        let types = query.eventTypes.sorted()
        let parts = types.map { _ in "SELECT * FROM (" + base + "e.event_type = ? AND e.\(position) \(op) ?" + tail + ")" }
        var arguments: [any DatabaseValueConvertible] = []
        for t in types { arguments += [t, anchor, query.limit] }
        arguments.append(query.limit)
        return (parts.joined(separator: " UNION ALL ") + " ORDER BY sort_key \(order) LIMIT ?", StatementArguments(arguments))
    }

    var eventsInRanges: String {
        """
        SELECT \(columns) FROM json_each(?1) r JOIN \(table) e
        ON e.\(position) BETWEEN json_extract(r.value, '$[0]') AND json_extract(r.value, '$[1]')
        ORDER BY e.\(position) LIMIT ?2
        """
    }

    var eventsInRange: String {
        "SELECT \(columns) FROM \(table) e WHERE e.\(position) BETWEEN ? AND ? ORDER BY e.\(position) LIMIT ?"
    }

    /// Runs of absent positions after a present one (as `WakuSQL.missingRuns`).
    var missingRuns: String {
        """
        SELECT e.\(position) + 1,
               MIN(COALESCE((SELECT MIN(n.\(position)) FROM \(table) n WHERE n.\(position) > e.\(position)), ?1 + 1) - 1, ?1)
        FROM \(table) e
        WHERE e.\(position) BETWEEN ?2 AND ?1 - 1
          AND NOT EXISTS (SELECT 1 FROM \(table) x WHERE x.\(position) = e.\(position) + 1)
        ORDER BY e.\(position) LIMIT ?3
        """
    }

    var firstPositionInWindow: String { "SELECT MIN(\(position)) FROM \(table) WHERE \(position) BETWEEN ? AND ?" }

    func pending(types: Int) -> String {
        let filter = types == 0 ? "" : " AND e.event_type IN (\(placeholders(types)))"
        return "SELECT COUNT(*) FROM (SELECT 1 FROM \(table) e WHERE e.\(position) > ?\(filter) LIMIT ?)"
    }

    /// The first event type after one, within a prefix: one seek per type on an `event_type` index.
    var nextEventType: String { "SELECT MIN(event_type) FROM \(table) WHERE event_type > ?1 AND event_type >= ?2 AND event_type < ?3" }

    /// The distinct types of the latest `?2` events with a prefix: a primary-key range, for a table
    /// with no index on its type (completion then offers the types in recent use).
    var recentEventTypes: String {
        """
        SELECT DISTINCT event_type FROM (SELECT event_type FROM \(table) ORDER BY \(position) DESC LIMIT ?2)
        WHERE substr(event_type, 1, length(?1)) = ?1 ORDER BY event_type LIMIT ?3
        """
    }

    // MARK: reads

    func head(_ db: Database) throws -> GlobalPosition { try StoredRow.fetchInteger(db, sql: head) ?? -1 }

    func log(_ db: Database, _ query: LogQuery) throws -> [RecordedEvent] {
        let (sql, arguments) = log(query)
        return try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(map)
    }

    func events(_ db: Database, in ranges: [ClosedRange<GlobalPosition>], limit: Int) throws -> [RecordedEvent] {
        let short = ranges.filter { $0.upperBound - $0.lowerBound < Int64(limit) }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }
        let pairs = JSONValue.array(short.map { .array([.int($0.lowerBound), .int($0.upperBound)]) }).compact
        var found = short.isEmpty ? [] : try StoredRow.fetchAll(db, sql: eventsInRanges, arguments: [pairs, limit]).map(map)
        for range in long {
            found += try StoredRow.fetchAll(db, sql: eventsInRange, arguments: [range.lowerBound, range.upperBound, limit]).map(map)
        }
        return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
    }

    func event(_ db: Database, at position: GlobalPosition) throws -> RecordedEvent? {
        try StoredRow.fetchOne(db, sql: eventAt, arguments: [position]).map(map)
    }

    func event(_ db: Database, id: String) throws -> RecordedEvent? {
        try StoredRow.fetchOne(db, sql: eventById, arguments: [id]).map(map)
    }

    func missingGaps(_ db: Database, in window: ClosedRange<GlobalPosition>, limit: Int) throws -> [Gap] {
        let (lo, hi) = (window.lowerBound, window.upperBound)
        var missing: [Gap] = []
        let first = try StoredRow.fetchInteger(db, sql: firstPositionInWindow, arguments: [lo, hi])
        if (first ?? hi + 1) > lo { missing.append(Gap(from: lo, to: (first ?? hi + 1) - 1, kind: .missing)) }
        missing += try StoredRow.fetchAll(db, sql: missingRuns, arguments: [hi, lo, limit]).compactMap(Gap.run(.missing))
        return Array(missing.prefix(limit))
    }

    func pending(_ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) throws -> Int64 {
        var arguments: [any DatabaseValueConvertible] = [checkpoint]
        arguments += eventTypes.sorted() as [any DatabaseValueConvertible]
        arguments.append(limit)
        return try StoredRow.fetchInteger(db, sql: pending(types: eventTypes.count), arguments: StatementArguments(arguments)) ?? 0
    }

    /// Completion: a seek per type through an index on `event_type` when the table has one, else
    /// the types of the latest 10,000 events.
    func eventTypes(_ db: Database, prefix: String, limit: Int) throws -> [String] {
        if try SQLiteIndexes.leading(db, table: table, column: "event_type") {
            return try WakuMapping.walkTypes(db, sql: nextEventType, prefix: prefix, limit: limit)
        }
        return try StoredRow.fetchAll(db, sql: recentEventTypes, arguments: [prefix, 10_000, limit]).compactMap(\.firstText)
    }
}

/// What indexes a table of someone else's schema has: layouts read through what exists and never add one.
enum SQLiteIndexes {
    /// Whether an index (or the primary key) of `table` starts with `column`.
    static func leading(_ db: Database, table: String, column: String) throws -> Bool {
        for index in try db.indexes(on: table) where index.columns.first == column { return true }
        return try db.primaryKey(table).columns.first == column
    }
}
