import EventStore
import Foundation
import GRDB

/// The SQL the waku-layout reader runs. Every navigation query is keyset-paged and index-backed;
/// `Tests/SQLiteStoreTests/QueryPlanTests.swift` runs `EXPLAIN QUERY PLAN` on each shape here.
enum WakuSQL {
    /// An event is visible when its stream row exists and is not deleted: waku's `read_all` join.
    /// Written as a correlated `EXISTS` (one primary-key seek per event) and not as a join: with a
    /// large store's statistics SQLite plans a join with a Bloom filter, which reads all of
    /// `es_streams` on every page.
    static let visible = "EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)"

    static func eventColumns(includeHidden: Bool) -> String {
        """
        e.global_position, e.event_id, e.stream_id, e.event_type, e.position, e.data, e.metadata, \
        e.timestamp, e.schema_version, e.idempotency_key, \
        \(includeHidden ? "NOT \(visible)" : "0") AS hidden
        """
    }

    static func visibleOnly(_ includeHidden: Bool) -> String { includeHidden ? "" : " AND \(visible)" }

    /// A stream id as bound: the bytes its shown form names (`EscapedBytes`), as a blob that the
    /// SQL casts back to text (`CAST(? AS TEXT)`), so an id that is not UTF-8 is found too.
    static func idBytes(_ id: String) -> Data { Data(EscapedBytes.decode(id)) }

    static let id = "CAST(? AS TEXT)"

    static let head = "SELECT MAX(global_position) FROM es_events"

    static let eventAt = "SELECT \(eventColumns(includeHidden: true)) FROM es_events e WHERE e.global_position = ?"

    static let eventById = "SELECT \(eventColumns(includeHidden: true)) FROM es_events e WHERE e.event_id = ?"

    /// A page of the global log. With event types, one index-backed subquery per type
    /// (`ix_es_events_event_type` holds `(event_type, rowid)`), merged and cut to the page.
    static func log(_ query: LogQuery) -> (sql: String, arguments: StatementArguments) {
        let (op, order, anchor): (String, String, GlobalPosition) = switch query.anchor {
        case .after(let c): (">", "ASC", c.ordinal)
        case .before(let c): ("<", "DESC", c.ordinal)
        }
        let base = "SELECT \(eventColumns(includeHidden: query.includeHidden)) FROM es_events e WHERE "
        let tail = visibleOnly(query.includeHidden) + " ORDER BY e.global_position \(order) LIMIT ?"
        if query.eventTypes.isEmpty {
            return (base + "e.global_position \(op) ?" + tail, [anchor, query.limit])
        }
        let types = query.eventTypes.sorted()
        let parts = types.map { _ in "SELECT * FROM (" + base + "e.event_type = ? AND e.global_position \(op) ?" + tail + ")" }
        let sql = parts.joined(separator: " UNION ALL ") + " ORDER BY global_position \(order) LIMIT ?"
        var arguments: [any DatabaseValueConvertible] = []
        for t in types { arguments += [t, anchor, query.limit] }
        arguments.append(query.limit)
        return (sql, StatementArguments(arguments))
    }

    /// Every event in short position ranges, given as one JSON array of `[from, to]` pairs: a
    /// rowid range seek per pair.
    static let eventsInRanges = """
        SELECT \(eventColumns(includeHidden: true)) FROM json_each(?1) r JOIN es_events e
        ON e.global_position BETWEEN json_extract(r.value, '$[0]') AND json_extract(r.value, '$[1]')
        ORDER BY e.global_position LIMIT ?2
        """

    static let eventsInRange = """
        SELECT \(eventColumns(includeHidden: true)) FROM es_events e WHERE e.global_position BETWEEN ? AND ?
        ORDER BY e.global_position LIMIT ?
        """

    /// The database's clock, in the form the waku layout on SQLite stores times.
    static let databaseNow = "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

    static func streamEvents(_ query: StreamEventsQuery) -> (sql: String, arguments: StatementArguments) {
        var sql = "SELECT \(eventColumns(includeHidden: true)) FROM es_events e WHERE e.stream_id = \(id)"
        var arguments: [any DatabaseValueConvertible] = [idBytes(query.streamId)]
        if let from = query.from {
            sql += query.direction == .forwards ? " AND e.position >= ?" : " AND e.position <= ?"
            arguments.append(from)
        }
        if !query.eventTypes.isEmpty {
            sql += " AND e.event_type IN (" + query.eventTypes.map { _ in "?" }.joined(separator: ", ") + ")"
            arguments += query.eventTypes.sorted() as [any DatabaseValueConvertible]
        }
        sql += " ORDER BY e.position " + (query.direction == .forwards ? "ASC" : "DESC") + " LIMIT ?"
        arguments.append(query.limit)
        return (sql, StatementArguments(arguments))
    }

    static let streamColumns = "stream_id, stream_type, version, created_at, updated_at, deleted_at"

    static func streams(_ query: StreamQuery) -> (sql: String, arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        let backwards = query.direction == .backwards
        if let after = query.after {
            conditions.append(backwards ? "stream_id < \(id)" : "stream_id > \(id)")
            arguments.append(idBytes(after))
        } else {
            // Every text sorts at or after '': this makes the first page a seek on the primary-key index.
            conditions.append("stream_id >= ''")
        }
        let prefix = query.idPrefix
        if !prefix.isEmpty {
            // A range on the primary-key index; `instr` keeps the match exact inside it.
            conditions += ["stream_id >= ?", "stream_id < ?", "instr(stream_id, ?) = 1"]
            arguments += [prefix, prefix + "\u{10FFFF}", prefix]
        }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        arguments.append(query.limit)
        return ("SELECT \(streamColumns) FROM es_streams\(filter) ORDER BY stream_id\(backwards ? " DESC" : "") LIMIT ?",
                StatementArguments(arguments))
    }

    /// Counts streams matching a prefix through the primary-key index, stopping past a cap.
    static func countStreams(prefix: String) -> String {
        let range = prefix.isEmpty ? "stream_id >= ''" : "stream_id >= ?1 AND stream_id < ?2 AND instr(stream_id, ?1) = 1"
        return "SELECT COUNT(*) FROM (SELECT 1 FROM es_streams WHERE \(range) LIMIT ?3)"
    }

    /// The first event type after one, within a prefix: a loose scan of `ix_es_events_event_type`,
    /// one index seek per distinct type.
    static let nextEventType = "SELECT MIN(event_type) FROM es_events WHERE event_type > ?1 AND event_type >= ?2 AND event_type < ?3"

    static let streamById = "SELECT \(streamColumns) FROM es_streams WHERE stream_id = \(id)"

    /// Runs of absent positions in the window after a present one: each present position whose
    /// successor is absent starts a run, which ends before the next present position (or at the
    /// window's end). Streams over the rowid range with one rowid seek per event; a window function
    /// (`LAG`) would buffer the whole range first and is three times slower on a million rows.
    static let missingRuns = """
        SELECT e.global_position + 1,
               MIN(COALESCE((SELECT MIN(n.global_position) FROM es_events n WHERE n.global_position > e.global_position),
                            ?1 + 1) - 1, ?1)
        FROM es_events e
        WHERE e.global_position BETWEEN ?2 AND ?1 - 1
          AND NOT EXISTS (SELECT 1 FROM es_events x WHERE x.global_position = e.global_position + 1)
        ORDER BY e.global_position LIMIT ?3
        """

    /// The first present position in the window: below it, the window starts with a missing run.
    static let firstPositionInWindow = "SELECT MIN(global_position) FROM es_events WHERE global_position BETWEEN ? AND ?"

    /// Soft-deleted streams. Index-backed when the store has `ix_es_streams_deleted` (demo stores do);
    /// otherwise a scan of `es_streams`, which holds one row per aggregate, not per event.
    static let deletedStreams = "SELECT stream_id FROM es_streams WHERE deleted_at IS NOT NULL"

    /// Runs of consecutive positions held by hidden events, grouped in SQL (`position - row_number`
    /// is constant along a run). The deleted streams come as one JSON array (`json_each`), so any
    /// number of them is one statement; each is searched through the `(stream_id, position)` index.
    /// With orphans, every event in the window is also checked for a stream row (a covering seek).
    static func hiddenRuns(orphans: Bool) -> String {
        let condition = orphans
            ? "(e.stream_id IN (SELECT value FROM json_each(?1)) OR NOT EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id))"
            : "e.stream_id IN (SELECT value FROM json_each(?1))"
        return """
            SELECT MIN(p), MAX(p) FROM (
              SELECT e.global_position AS p, e.global_position - ROW_NUMBER() OVER (ORDER BY e.global_position) AS run
              FROM es_events e WHERE \(condition) AND e.global_position BETWEEN ?2 AND ?3
            ) GROUP BY run ORDER BY 1 LIMIT ?4
            """
    }

    static let pending = "SELECT COUNT(*) FROM (SELECT 1 FROM es_events e WHERE e.global_position > ? AND \(visible) LIMIT ?)"

    static func pending(types: Int) -> String {
        let list = Array(repeating: "?", count: types).joined(separator: ", ")
        return """
            SELECT COUNT(*) FROM (SELECT 1 FROM es_events e \
            WHERE e.global_position > ? AND e.event_type IN (\(list)) AND \(visible) LIMIT ?)
            """
    }

    static let checkpoints = "SELECT projection_name, position, updated_at, created_at FROM es_checkpoints ORDER BY projection_name"
    static let runnerStatuses = """
        SELECT projection_name, state, holder_id, heartbeat_at, checkpoint, event_types, events_per_second, last_error,
               last_error_position, skipped_batches, rebuild_target, rebuild_started_at, updated_at
        FROM es_projection_status ORDER BY projection_name
        """
    /// Newest first; `?1` = a projection name or NULL for all.
    static let commandRequests = """
        SELECT id, projection_name, command, requested_by, requested_at, status, started_at, finished_at, detail
        FROM es_projection_commands WHERE ?1 IS NULL OR projection_name = ?1 ORDER BY id DESC LIMIT ?2
        """
    static let leases = "SELECT projection_name, holder_id, acquired_at, renewed_at, expires_at FROM es_projection_leases ORDER BY projection_name"
    static let snapshots = """
        SELECT stream_id, state, version, state_type, schema_version, created_at, updated_at FROM es_snapshots \
        WHERE stream_id > CAST(? AS TEXT) ORDER BY stream_id LIMIT ?
        """
}
