import EventStore
import PostgresNIO

/// A statement and its parameters, built up in order (`$1`, `$2`, … as values are bound).
struct Statement: Sendable, Hashable {
    var sql = ""
    var binds = PostgresBindings()

    init(_ sql: String = "") { self.sql = sql }

    /// Binds a value and returns its placeholder.
    mutating func bind<Value: PostgresDynamicTypeEncodable>(_ value: Value) -> String {
        binds.append(value)
        return "$\(binds.count)"
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: binds) }
}

/// The SQL the waku-layout reader runs on PostgreSQL (SPEC §3.1), mirroring the SQLite adapter's
/// `WakuSQL` query for query. Every column is read through its text form (`::text`), so a column of
/// any type reads; every navigation query is keyset-paged on one of waku's own indexes —
/// `ix_es_events_global_position`, `ix_es_events_event_type`, `uq_es_events_stream_id_position`,
/// `es_streams_pkey` — and `Tests/PostgresStoreTests/PostgresQueryPlanTests.swift` runs `EXPLAIN` on each
/// under a large store's statistics.
enum PostgresSQL {
    /// Visible = a stream row exists and is not deleted: waku's `read_all` join. Written as a
    /// `LATERAL` probe with `LIMIT 1`, one primary-key probe per event read: the planner can neither
    /// hash it (a hashed `EXISTS` reads all of `es_streams` for every page) nor make it a join over
    /// the whole table, so a page costs its rows whatever the store's size.
    static let liveStream = "(SELECT true AS live FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL LIMIT 1)"

    /// The events, with `v.live` saying whether each is visible; without hidden ones, only visible rows.
    static func source(includeHidden: Bool) -> String {
        includeHidden ? "es_events e LEFT JOIN LATERAL \(liveStream) v ON true" : "es_events e CROSS JOIN LATERAL \(liveStream) v"
    }

    /// Columns to read from `source(includeHidden:)`.
    static func eventColumns(includeHidden: Bool) -> String {
        """
        e.global_position::text, e.event_id::text, e.stream_id::text, e.event_type::text, e."position"::text, \
        e.data::text, e.metadata::text, e."timestamp"::text, e.schema_version::text, e.idempotency_key::text, \
        \(includeHidden ? "(v.live IS NULL)::text" : "'f'") AS hidden
        """
    }

    /// `SELECT <columns> FROM <source>` for events, visible or all.
    static func selectEvents(includeHidden: Bool) -> String {
        "SELECT \(eventColumns(includeHidden: includeHidden)) FROM \(source(includeHidden: includeHidden))"
    }

    static let head = "SELECT max(global_position)::int8 FROM es_events"

    static func eventAt(_ position: GlobalPosition) -> Statement {
        var s = Statement()
        s.sql = selectEvents(includeHidden: true) + " WHERE e.global_position = \(s.bind(position)) ORDER BY e.event_id LIMIT 1"
        return s
    }

    /// The event with an id, visible or not, through the `event_id` primary key. waku's column is a
    /// `uuid`: the caller passes only ids that parse as one (anything else names no event).
    static func eventWithId(_ uuid: String) -> Statement {
        var s = Statement()
        s.sql = selectEvents(includeHidden: true) + " WHERE e.event_id = \(s.bind(uuid))::uuid LIMIT 1"
        return s
    }

    /// A page of the global log. With event types, one subquery per type, each a keyset walk,
    /// merged and cut to the page (as on SQLite).
    static func log(_ query: LogQuery) -> Statement {
        let (op, order, anchor): (String, String, GlobalPosition) = switch query.anchor {
        case .after(let c): (">", "ASC", c.ordinal)
        case .before(let c): ("<", "DESC", c.ordinal)
        }
        var s = Statement()
        let limit = s.bind(Int64(query.limit))
        let from = s.bind(anchor)
        let base = "SELECT \(eventColumns(includeHidden: query.includeHidden)), e.global_position AS p FROM \(source(includeHidden: query.includeHidden)) WHERE "
        let tail = " ORDER BY e.global_position \(order) LIMIT \(limit)"
        if query.eventTypes.isEmpty {
            s.sql = base + "e.global_position \(op) \(from)" + tail
            return s
        }
        let parts = query.eventTypes.sorted().map { type in
            "(" + base + "e.event_type = \(s.bind(type)) AND e.global_position \(op) \(from)" + tail + ")"
        }
        s.sql = "SELECT * FROM (" + parts.joined(separator: " UNION ALL ") + ") t ORDER BY p \(order) LIMIT \(limit)"
        return s
    }

    /// Every event in short position ranges: one range seek on the global-position index per pair.
    static func eventsInRanges(_ ranges: [ClosedRange<GlobalPosition>], limit: Int) -> Statement {
        var s = Statement()
        let lows = s.bind(ranges.map(\.lowerBound))
        let highs = s.bind(ranges.map(\.upperBound))
        let n = s.bind(Int64(limit))
        s.sql = """
            SELECT x.* FROM unnest(\(lows)::int8[], \(highs)::int8[]) AS r(lo, hi) CROSS JOIN LATERAL (
              SELECT \(eventColumns(includeHidden: true)), e.global_position AS p FROM \(source(includeHidden: true))
              WHERE e.global_position BETWEEN r.lo AND r.hi ORDER BY e.global_position LIMIT \(n)
            ) x ORDER BY x.p LIMIT \(n)
            """
        return s
    }

    static func eventsInRange(_ range: ClosedRange<GlobalPosition>, limit: Int) -> Statement {
        var s = Statement()
        s.sql = """
            \(selectEvents(includeHidden: true)) \
            WHERE e.global_position BETWEEN \(s.bind(range.lowerBound)) AND \(s.bind(range.upperBound)) \
            ORDER BY e.global_position LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    static let databaseNow = "SELECT now()::text"

    static func streamEvents(_ query: StreamEventsQuery) -> Statement {
        var s = Statement()
        s.sql = selectEvents(includeHidden: true) + " WHERE e.stream_id = \(s.bind(query.streamId))"
        if let from = query.from {
            s.sql += (query.direction == .forwards ? " AND e.\"position\" >= " : " AND e.\"position\" <= ") + s.bind(from)
        }
        if !query.eventTypes.isEmpty {
            s.sql += " AND e.event_type = ANY(\(s.bind(query.eventTypes.sorted())))"
        }
        s.sql += " ORDER BY e.\"position\" " + (query.direction == .forwards ? "ASC" : "DESC") + " LIMIT " + s.bind(Int64(query.limit))
        return s
    }

    static let streamColumns = "stream_id::text, stream_type::text, version::text, created_at::text, updated_at::text, deleted_at::text"

    /// A prefix match on the primary-key index. Where `stream_id` sorts by bytes (collation C or
    /// POSIX, or C.UTF-8), the prefix is a range of the index; in another collation it is not
    /// contiguous (en_US ignores punctuation at first), so the walk filters in index order instead.
    static func prefixCondition(_ prefix: String, byteOrdered: Bool, _ s: inout Statement) -> [String] {
        guard !prefix.isEmpty else { return [] }
        let p = s.bind(prefix)
        return byteOrdered ? ["stream_id >= \(p)", "stream_id < \(s.bind(prefix + "\u{10FFFF}"))", "starts_with(stream_id, \(p))"]
            : ["starts_with(stream_id, \(p))"]
    }

    static func streams(_ query: StreamQuery, byteOrdered: Bool) -> Statement {
        var s = Statement()
        var conditions: [String] = []
        let backwards = query.direction == .backwards
        if let after = query.after { conditions.append("stream_id \(backwards ? "<" : ">") \(s.bind(after))") }
        conditions += prefixCondition(query.idPrefix, byteOrdered: byteOrdered, &s)
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        s.sql = "SELECT \(streamColumns) FROM es_streams\(filter) ORDER BY stream_id\(backwards ? " DESC" : "") LIMIT \(s.bind(Int64(query.limit)))"
        return s
    }

    static func countStreams(prefix: String, cap: Int64, byteOrdered: Bool) -> Statement {
        var s = Statement()
        let conditions = prefixCondition(prefix, byteOrdered: byteOrdered, &s)
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        s.sql = "SELECT count(*)::int8 FROM (SELECT 1 FROM es_streams\(filter) LIMIT \(s.bind(cap + 1))) t"
        return s
    }

    static func streamById(_ id: String) -> Statement {
        var s = Statement()
        s.sql = "SELECT \(streamColumns) FROM es_streams WHERE stream_id = \(s.bind(id))"
        return s
    }

    /// The first event type after one: a loose scan of `ix_es_events_event_type`, one seek per type.
    /// `upper` bounds the walk to a prefix's range where the collation sorts by bytes.
    static func nextEventType(in table: String = WakuSchema.events, column: String = "event_type", after last: String, from prefix: String,
                              upper: String?) -> Statement {
        var s = Statement()
        s.sql = "SELECT min(\(column))::text FROM \(table) WHERE \(column) > \(s.bind(last)) AND \(column) >= \(s.bind(prefix))"
        if let upper { s.sql += " AND \(column) < \(s.bind(upper))" }
        return s
    }

    /// Runs of absent positions in the window: each present position whose successor (by the
    /// global-position index, `lead`) is more than one further starts a run; the last present
    /// position's successor is the window's end + 1. One ordered index scan of the window.
    static func missingRuns(in window: ClosedRange<GlobalPosition>, limit: Int) -> Statement {
        var s = Statement()
        let lo = s.bind(window.lowerBound), hi = s.bind(window.upperBound)
        s.sql = """
            SELECT (p + 1)::int8, (next - 1)::int8 FROM (
              SELECT global_position::int8 AS p, lead(global_position::int8, 1, \(hi)::int8 + 1) OVER (ORDER BY global_position) AS next
              FROM es_events WHERE global_position BETWEEN \(lo) AND \(hi)
            ) t WHERE next > p + 1 ORDER BY p LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    static func firstPositionInWindow(_ window: ClosedRange<GlobalPosition>) -> Statement {
        var s = Statement()
        s.sql = "SELECT min(global_position)::int8 FROM es_events WHERE global_position BETWEEN \(s.bind(window.lowerBound)) AND \(s.bind(window.upperBound))"
        return s
    }

    static let deletedStreams = "SELECT stream_id::text FROM es_streams WHERE deleted_at IS NOT NULL"

    /// Runs of consecutive positions held by hidden events (`position - row_number` is constant
    /// along a run). The deleted streams' ids come as one array, each searched through
    /// `uq_es_events_stream_id_position`; with orphans, every event in the window is also probed
    /// for a stream row.
    static func hiddenRuns(deleted: [String], orphans: Bool, in window: ClosedRange<GlobalPosition>, limit: Int) -> Statement {
        var s = Statement()
        let ids = s.bind(deleted)
        let condition = orphans
            ? "(e.stream_id = ANY(\(ids)::text[]) OR NOT EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id))"
            : "e.stream_id = ANY(\(ids)::text[])"
        s.sql = """
            SELECT min(p)::int8, max(p)::int8 FROM (
              SELECT e.global_position AS p, e.global_position - row_number() OVER (ORDER BY e.global_position) AS run
              FROM es_events e WHERE \(condition) AND e.global_position BETWEEN \(s.bind(window.lowerBound)) AND \(s.bind(window.upperBound))
            ) t GROUP BY run ORDER BY 1 LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    static func pending(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) -> Statement {
        var s = Statement()
        var sql = "SELECT count(*)::int8 FROM (SELECT 1 FROM \(source(includeHidden: false)) WHERE e.global_position > \(s.bind(checkpoint))"
        if !eventTypes.isEmpty { sql += " AND e.event_type = ANY(\(s.bind(eventTypes.sorted())))" }
        sql += " LIMIT \(s.bind(cap + 1))) t"
        s.sql = sql
        return s
    }

    static let checkpoints = """
        SELECT projection_name::text, "position"::text, updated_at::text, created_at::text FROM es_checkpoints ORDER BY projection_name
        """
    static let leases = """
        SELECT projection_name::text, holder_id::text, acquired_at::text, renewed_at::text, expires_at::text
        FROM es_projection_leases ORDER BY projection_name
        """
    static let runnerStatuses = """
        SELECT projection_name::text, state::text, holder_id::text, heartbeat_at::text, checkpoint::text, event_types::text,
               events_per_second::text, last_error::text, last_error_position::text, skipped_batches::text,
               rebuild_target::text, rebuild_started_at::text, updated_at::text
        FROM es_projection_status ORDER BY projection_name
        """

    /// Newest first, of one projection or all: by the table's `c.id`, not the selected text of the
    /// same name (which would sort 9 before 10).
    static func commandRequests(projection: String?, limit: Int) -> Statement {
        var s = Statement()
        let filter = projection.map { "WHERE projection_name = \(s.bind($0)) " } ?? ""
        s.sql = """
            SELECT id::text, projection_name::text, command::text, requested_by::text, requested_at::text, status::text,
                   started_at::text, finished_at::text, detail::text
            FROM es_projection_commands c \(filter)ORDER BY c.id DESC LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    static func snapshots(after streamId: String?, limit: Int) -> Statement {
        var s = Statement()
        let after = streamId.map { "WHERE stream_id > \(s.bind($0)) " } ?? ""
        s.sql = """
            SELECT stream_id::text, state::text, version::text, state_type::text, schema_version::text, created_at::text, updated_at::text
            FROM es_snapshots \(after)ORDER BY stream_id LIMIT \(s.bind(Int64(limit)))
            """
        return s
    }

    /// The tables the reader needs that this role may not read.
    static func unreadableTables(_ tables: [String]) -> Statement {
        var s = Statement()
        s.sql = """
            SELECT t::text FROM unnest(\(s.bind(tables + [RunnerSchema.status, RunnerSchema.commands]))::text[]) AS t
            WHERE to_regclass(t) IS NOT NULL AND NOT has_table_privilege(to_regclass(t), 'SELECT')
            """
        return s
    }

    /// Which of the optional tables exist (checkpoints, leases, snapshots, the runner's two).
    static let presentTables = """
        SELECT t::text FROM unnest(ARRAY['es_checkpoints', 'es_projection_leases', 'es_snapshots',
                                        'es_projection_status', 'es_projection_commands']) AS t
        WHERE to_regclass(t) IS NOT NULL
        """

    /// Writing transactions other than ours on this database, as `pg_stat_activity` shows them: the
    /// oldest one's age by the server's clock, and how many sessions this role may not see into
    /// (without `pg_read_all_stats`, other roles' sessions show no transaction start).
    static let openWriters = """
        SELECT extract(epoch FROM (now() - min(xact_start) FILTER (WHERE backend_xid IS NOT NULL)))::text,
               count(*) FILTER (WHERE query = '<insufficient privilege>')::int8
        FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
        """
}
