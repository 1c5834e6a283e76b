import EventStore

/// The eventsource-py layout on PostgreSQL (SPEC §3.3), with the meaning `EventsourcePyMapping`
/// gives it on SQLite: a stream is an `(aggregate_type, aggregate_id)` pair shown as `Type-id`,
/// listed through the events' own indexes; versions are 1-based from the `version` column; the
/// payload (`jsonb` here, re-serialised by the server) splits into domain fields and envelope; a
/// checkpoint comes from `position_token`, else `last_event_id`'s position, else the legacy
/// `global_position`. Beside SQLite, rows carry the writing transaction (`txid xid8`), and the
/// library's readers only see rows below the snapshot's horizon (`visibilityHorizon`).
struct EventsourcePyPostgresMapping: PositionalPostgresMapping {
    let log: PostgresPositionalSQL
    let catalog: PostgresCatalog

    init(catalog: PostgresCatalog) {
        self.catalog = catalog
        log = PostgresPositionalSQL(
            table: "events", position: "global_position",
            columns: """
                e.global_position::text, e.event_id::text, e.aggregate_id::text, e.aggregate_type::text, e.event_type::text, \
                e.tenant_id::text, e.actor_id::text, e.version::text, e."timestamp"::text, e.payload::text
                """,
            map: Self.event(row:), eventId: PostgresKeyColumn(table: "events", name: "event_id", catalog: catalog),
            typeIndexed: catalog.leadsAnIndex("events", "event_type"), typesSortByBytes: catalog.sortsByBytes("events", "event_type"))
    }

    static func event(row: ServerRow) -> RecordedEvent {
        var c = ServerColumnReader(row)
        let payload = c.text(9, "payload")
        let (data, metadata, schemaVersion) = EventsourcePySchema.split(payload: payload)
        var fields: [EventField] = []
        if let tenant = c.optionalText(5, "tenant_id") { fields.append(EventField("tenant_id", tenant)) }
        if let actor = c.optionalText(6, "actor_id") { fields.append(EventField("actor_id", actor)) }
        let type = c.text(3, "aggregate_type"), id = c.text(2, "aggregate_id")
        var joined = ServerColumnReader(ServerRow(values: [.text(Array(EventsourcePySchema.streamId(type: type, id: id).utf8))]))
        var event = RecordedEvent(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"),
                                  streamId: joined.streamId(0, "stream_id"), eventType: c.text(4, "event_type"),
                                  position: c.int(7, "position"), data: data, metadata: metadata, timestamp: c.time(8),
                                  schemaVersion: schemaVersion ?? 1, idempotencyKey: "", fields: fields)
        event.problems = (c.problems + joined.problems).map {
            $0.field == "payload" ? ValueProblem(field: "data", stored: $0.stored, reason: $0.reason) : $0
        }
        return event
    }

    var tables: [String] {
        ["events", EventsourcePySchema.checkpoints, EventsourcePySchema.deadLetters, EventsourcePySchema.outbox, EventsourcePySchema.snapshots]
    }

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities {
        var capabilities: StoreCapabilities = [.globalPositions, .gaps]
        if catalog[EventsourcePySchema.checkpoints] != nil { capabilities.insert(.checkpoints) }
        if catalog[EventsourcePySchema.snapshots] != nil { capabilities.insert(.snapshots) }
        if catalog[EventsourcePySchema.deadLetters] != nil { capabilities.insert(.deadLetters) }
        if catalog[EventsourcePySchema.outbox] != nil { capabilities.insert(.outbox) }
        // The library's readers stop at the transaction horizon where rows carry their txid.
        if self.catalog.type("events", "txid") == "xid8" { capabilities.insert(.visibilityHorizon) }
        return capabilities
    }

    // MARK: streams

    /// The aggregate types present, in the order of their ids' prefix `Type-`: a seek per type.
    func types(_ s: Session) async throws -> [String] {
        try await PostgresKeyWalk(table: "events", column: "aggregate_type", catalog: catalog)
            .values(s, after: nil, prefix: "", direction: .forwards, limit: .max)
            .sorted { Array(($0 + "-").utf8).lexicographicallyPrecedes(Array(($1 + "-").utf8)) }
    }

    /// The aggregates of one type in id order: a seek per aggregate on an index leading with `aggregate_id`.
    func ids(ofType type: String) -> PostgresKeyWalk {
        PostgresKeyWalk(table: "events", column: "aggregate_id", catalog: catalog, scope: ("aggregate_type", type))
    }

    /// The aggregate's columns, compared as their types allow (the library's ids are `uuid`s).
    var idKey: PostgresKeyColumn { PostgresKeyColumn(table: "events", name: "aggregate_id", catalog: catalog) }
    var typeKey: PostgresKeyColumn { PostgresKeyColumn(table: "events", name: "aggregate_type", catalog: catalog) }

    /// The `(type, id)` pairs a shown stream id can stand for, longest type first: ids may hold `-`.
    func pairs(_ s: Session, id: String) async throws -> [(type: String, id: String)] {
        let bound = PostgresStoreReader.bound(id)
        return try await types(s).filter { bound.utf8.starts(with: ($0 + "-").utf8) }.sorted { $0.utf8.count > $1.utf8.count }
            .map { ($0, String(decoding: bound.utf8.dropFirst($0.utf8.count + 1), as: UTF8.self)) }
    }

    /// A stream's first or last event: one seek on the unique `(aggregate_id, aggregate_type, version)`
    /// index; nil when no aggregate can have that id.
    func end(type: String, id: String, last: Bool) -> Statement? {
        var s = Statement()
        guard let idValue = idKey.bind(id, &s), let typeValue = typeKey.bind(type, &s) else { return nil }
        s.sql = """
            SELECT e.version::text, e."timestamp"::text FROM events e \
            WHERE \(idKey.expression("e")) = \(idValue) AND \(typeKey.expression("e")) = \(typeValue) \
            ORDER BY e.version \(last ? "DESC" : "ASC") LIMIT 1
            """
        return s
    }

    func summary(_ s: Session, type: String, id: String) async throws -> StreamSummary? {
        guard let lastEvent = end(type: type, id: id, last: true), let firstEvent = end(type: type, id: id, last: false),
              let last = try await s.one(lastEvent) else { return nil }
        let first = try await s.one(firstEvent)
        var c = ServerColumnReader(last)
        var f = first.map(ServerColumnReader.init)
        var shown = ServerColumnReader(ServerRow(values: [.text(Array(EventsourcePySchema.streamId(type: type, id: id).utf8))]))
        var typeShown = ServerColumnReader(ServerRow(values: [.text(Array(type.utf8))]))
        return StreamSummary(id: shown.streamId(0, "stream_id"), type: typeShown.streamId(0, "stream_type"), version: c.int(0, "version"),
                             createdAt: f?.optionalTime(1), updatedAt: c.optionalTime(1), deletedAt: nil, problems: c.problems)
    }

    func streams(_ s: Session, _ query: StreamQuery) async throws -> [StreamSummary] {
        let prefix = PostgresStoreReader.bound(query.idPrefix)
        let after = query.after.map(PostgresStoreReader.bound)
        let forwards = query.direction == .forwards
        var types = try await types(s)
        if !forwards { types.reverse() }
        var found: [StreamSummary] = []
        for type in types where found.count < query.limit {
            let head = type + "-"
            // The part of the prefix and of the cursor that falls inside this type's ids.
            var idPrefix = ""
            if prefix.utf8.starts(with: head.utf8) {
                idPrefix = String(decoding: prefix.utf8.dropFirst(head.utf8.count), as: UTF8.self)
            } else if !head.utf8.starts(with: prefix.utf8) { continue }
            var idAfter: String?
            if let after {
                if after.utf8.starts(with: head.utf8) {
                    idAfter = String(decoding: after.utf8.dropFirst(head.utf8.count), as: UTF8.self)
                } else if forwards ? !after.utf8.lexicographicallyPrecedes(head.utf8) : after.utf8.lexicographicallyPrecedes(head.utf8) {
                    continue // every id of this type lies on the wrong side of the cursor
                }
            }
            for id in try await ids(ofType: type).values(s, after: idAfter, prefix: idPrefix, direction: query.direction,
                                                          limit: query.limit - found.count) {
                if let summary = try await summary(s, type: type, id: id) { found.append(summary) }
            }
        }
        return found
    }

    func stream(_ s: Session, id: String) async throws -> StreamSummary? {
        for pair in try await pairs(s, id: id) {
            if let summary = try await summary(s, type: pair.type, id: pair.id) { return summary }
        }
        return nil
    }

    func streamEvents(_ s: Session, _ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        for pair in try await pairs(s, id: query.streamId) {
            guard let statement = streamEvents(query, type: pair.type, id: pair.id) else { continue }
            let events = try await s.rows(statement).map(log.map)
            if !events.isEmpty { return events }
        }
        return []
    }

    /// One aggregate's events from a version: a range of the unique `(aggregate_id, aggregate_type, version)` index.
    func streamEvents(_ query: StreamEventsQuery, type: String, id: String) -> Statement? {
        var s = Statement()
        guard let idValue = idKey.bind(id, &s), let typeValue = typeKey.bind(type, &s) else { return nil }
        s.sql = "SELECT \(log.columns) FROM events e WHERE \(idKey.expression("e")) = \(idValue) AND \(typeKey.expression("e")) = \(typeValue)"
        if let from = query.from {
            s.sql += (query.direction == .forwards ? " AND e.version >= " : " AND e.version <= ") + s.bind(from)
        }
        if !query.eventTypes.isEmpty { s.sql += " AND e.event_type = ANY(\(s.bind(query.eventTypes.sorted())))" }
        s.sql += " ORDER BY e.version " + (query.direction == .forwards ? "ASC" : "DESC") + " LIMIT " + s.bind(Int64(query.limit))
        return s
    }

    /// The distinct ids of a type within a prefix: a range of an index leading with `aggregate_id`,
    /// stopped past the cap; nil when no id can start with the prefix.
    func countIds(type: String, idPrefix: String, cap: Int64) -> Statement? {
        var s = Statement()
        guard let typeValue = typeKey.bind(type, &s), let range = idKey.prefix(idPrefix, &s) else { return nil }
        let conditions = ["\(typeKey.expression()) = \(typeValue)"] + range
        s.sql = """
            SELECT count(*)::int8 FROM (SELECT DISTINCT \(idKey.expression()) FROM events WHERE \(conditions.joined(separator: " AND ")) \
            LIMIT \(s.bind(cap))) t
            """
        return s
    }

    func countStreams(_ s: Session, prefix: String, cap: Int64) async throws -> Int64 {
        let bound = PostgresStoreReader.bound(prefix)
        var total: Int64 = 0
        for type in try await types(s) where total <= cap {
            let head = type + "-"
            var idPrefix = ""
            if bound.utf8.starts(with: head.utf8) {
                idPrefix = String(decoding: bound.utf8.dropFirst(head.utf8.count), as: UTF8.self)
            } else if !head.utf8.starts(with: bound.utf8) { continue }
            guard let statement = countIds(type: type, idPrefix: idPrefix, cap: cap + 1 - total) else { continue }
            total += try await s.integer(statement) ?? 0
        }
        return total
    }

    // MARK: checkpoints, snapshots, dead letters, the outbox

    /// The position: `position_token`'s, else the global position of `last_event_id` (through the
    /// unique `event_id` index where both columns have one type), else the legacy `global_position`.
    var checkpointsSQL: String {
        let same = catalog.type("events", "event_id") == catalog.type(EventsourcePySchema.checkpoints, "last_event_id")
        let match = same ? "e.event_id = c.last_event_id" : "e.event_id::text = c.last_event_id::text"
        return """
            SELECT c.projection_name::text, c.position_token::text,
                   (SELECT e.global_position::int8 FROM events e WHERE \(match) LIMIT 1), c.global_position::text,
                   c.updated_at::text, c.created_at::text, c.last_event_id::text
            FROM projection_checkpoints c ORDER BY c.projection_name::text COLLATE "C"
            """
    }

    func checkpoints(_ s: Session) async throws -> [Checkpoint] {
        guard try await s.exists(EventsourcePySchema.checkpoints) else { return [] }
        return try await s.rows(Statement(checkpointsSQL)).map { row in
            var c = ServerColumnReader(row)
            let name = c.text(0, "name")
            var position: GlobalPosition?
            switch EventsourcePySchema.tokenPosition(c.optionalText(1, "position_token")) {
            case .success(let p)?: position = p
            case .failure?: c.problem("position_token", row[1], "not a position token ({\"k\": [position]})")
            case nil: break
            }
            if position == nil { position = c.optionalInt(2, "position") }
            if position == nil { position = c.optionalInt(3, "global_position") }
            if position == nil, let lost = c.optionalText(6, "last_event_id") {
                c.problems.append(ValueProblem(field: "position", stored: lost, reason: "its last event is no longer in the store"))
            }
            var checkpoint = Checkpoint(projectionName: name, position: position ?? -1, updatedAt: c.time(4), createdAt: c.optionalTime(5))
            if !(-1..<GlobalPosition.max).contains(checkpoint.position) {
                c.problems.append(ValueProblem(field: "position", stored: String(checkpoint.position), reason: "not a checkpoint (below -1 or the largest integer)"))
                checkpoint.position = -1
            }
            checkpoint.problems = c.problems
            return checkpoint
        }
    }

    func snapshots(_ s: Session, after streamId: String?, limit: Int) async throws -> [Snapshot] {
        guard try await s.exists(EventsourcePySchema.snapshots) else { return [] }
        // One row per aggregate, in shown-id order: the table is small beside the events (a scan of it).
        var statement = Statement()
        let key = #"(aggregate_type::text || '-' || aggregate_id::text) COLLATE "C""#
        statement.sql = """
            SELECT aggregate_type::text, aggregate_id::text, state::text, version::text, schema_version::text, created_at::text
            FROM snapshots WHERE \(key) > \(statement.bind(PostgresStoreReader.bound(streamId ?? ""))) ORDER BY \(key) LIMIT \(statement.bind(Int64(limit)))
            """
        return try await s.rows(statement).map { row in
            var c = ServerColumnReader(row)
            let type = c.text(0, "state_type"), id = c.text(1, "stream_id")
            var shown = ServerColumnReader(ServerRow(values: [.text(Array(EventsourcePySchema.streamId(type: type, id: id).utf8))]))
            var snapshot = Snapshot(streamId: shown.streamId(0, "stream_id"), state: c.text(2, "state"), version: c.int(3, "version"),
                                    stateType: type, schemaVersion: c.int(4, "schema_version", default: 1),
                                    createdAt: c.optionalTime(5), updatedAt: nil)
            snapshot.problems = c.problems + shown.problems
            return snapshot
        }
    }

    func deadLetters(_ s: Session, _ query: DeadLetterQuery) async throws -> [DeadLetter]? {
        guard try await s.exists(EventsourcePySchema.deadLetters) else { return nil }
        var statement = Statement()
        var sql = """
            SELECT d.id::text, d.projection_name::text, d.event_id::text, d.event_type::text, d.event_data::text, d.error_message::text,
                   d.error_stacktrace::text, d.retry_count::text, d.first_failed_at::text, d.last_failed_at::text, d.status::text,
                   d.resolved_at::text, d.resolved_by::text
            FROM dead_letter_queue d WHERE d.id > \(statement.bind(query.after ?? Int64.min))
            """
        if let projection = query.projection { sql += " AND d.projection_name = \(statement.bind(projection))" }
        if let status = query.status { sql += " AND d.status = \(statement.bind(status))" }
        // `d.id`, the column: the selected text of the same name would sort 10 before 2.
        sql += " ORDER BY d.id LIMIT \(statement.bind(Int64(query.limit)))"
        statement.sql = sql
        return try await s.rows(statement).map { row in
            var c = ServerColumnReader(row)
            var letter = DeadLetter(id: c.int(0, "id"), projectionName: c.text(1, "projection"), eventId: c.text(2, "event_id"),
                                    eventType: c.text(3, "event_type"), eventData: c.text(4, "event_data"),
                                    errorMessage: c.text(5, "error_message"), stackTrace: c.optionalText(6, "stack_trace"),
                                    retryCount: c.int(7, "retry_count"), firstFailedAt: c.time(8), lastFailedAt: c.time(9),
                                    status: c.text(10, "status"), resolvedAt: c.optionalTime(11), resolvedBy: c.optionalText(12, "resolved_by"))
            letter.problems = c.problems
            return letter
        }
    }

    /// Each count through the library's partial index for its status; the oldest pending row
    /// through `idx_outbox_pending (created_at) WHERE status = 'pending'`.
    static let outbox = """
        SELECT (SELECT count(*) FROM event_outbox WHERE status = 'pending')::int8,
               (SELECT count(*) FROM event_outbox WHERE status = 'published')::int8,
               (SELECT count(*) FROM event_outbox WHERE status = 'failed')::int8,
               (SELECT min(created_at) FROM event_outbox WHERE status = 'pending')::text,
               now()::text
        """

    func outboxSummary(_ s: Session) async throws -> OutboxSummary? {
        guard try await s.exists(EventsourcePySchema.outbox), let row = try await s.one(Statement(Self.outbox)) else { return nil }
        var c = ServerColumnReader(row)
        return OutboxSummary(pending: c.int(0, "pending"), published: c.int(1, "published"), failed: c.int(2, "failed"),
                             oldestPendingAt: c.optionalTime(3), databaseNow: c.optionalTime(4)?.timestamp ?? Timestamp(microseconds: 0))
    }

    // MARK: the library's visibility horizon

    /// The library's readers take only rows with `txid < pg_snapshot_xmin(pg_current_snapshot())`.
    /// Rows at or above it are normally the newest few, so only the tail is looked at: the latest
    /// `window` rows down the primary key from the head, a page's cost whatever the store's size.
    /// Rows with a txid at or past `pg_snapshot_xmax` were never handed out by this cluster: a
    /// restored dump, whose rows the library will not show until this cluster's ids pass theirs.
    /// Columns: hidden, the lowest hidden position, from another cluster, the horizon, rows looked
    /// at, and whether the lowest of those is hidden too (then there may be more below).
    static func horizon(window: Int64) -> Statement {
        var s = Statement()
        s.sql = """
            WITH snap AS MATERIALIZED (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin, pg_snapshot_xmax(pg_current_snapshot()) AS xmax),
            tail AS MATERIALIZED (SELECT e.global_position AS p, e.txid FROM events e ORDER BY e.global_position DESC LIMIT \(s.bind(window)))
            SELECT count(t.p) FILTER (WHERE t.txid >= s.xmin)::int8, (min(t.p) FILTER (WHERE t.txid >= s.xmin))::int8,
                   count(t.p) FILTER (WHERE t.txid >= s.xmax)::int8, min(s.xmin::text), count(t.p)::int8,
                   coalesce(min(t.p) FILTER (WHERE t.txid >= s.xmin) = min(t.p), false)::text
            FROM snap s LEFT JOIN tail t ON true
            """
        return s
    }

    /// How far down from the head hidden rows are looked for: in-flight rows sit at the head; a
    /// restore's hide the whole store, and past this many the counts say "at least".
    static let horizonWindow: Int64 = 10_000

    func visibilityHorizon(_ s: Session, cap: Int64) async throws -> VisibilityHorizon? {
        guard catalog.type("events", "txid") == "xid8", let row = try await s.one(Self.horizon(window: Self.horizonWindow)) else { return nil }
        var c = ServerColumnReader(row)
        let hidden = c.int(0, "hidden"), foreign = c.int(2, "from_another_cluster")
        // Every row looked at is hidden, down to the window's end: more may be hidden below it.
        let more = c.int(4, "looked_at") == Self.horizonWindow && c.bool(5)
        func counted(_ n: Int64) -> PendingCount {
            n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: more && n > 0)
        }
        return VisibilityHorizon(hidden: counted(hidden), firstHidden: c.optionalInt(1, "first_hidden"),
                                 fromAnotherCluster: counted(foreign), horizon: c.optionalText(3, "horizon") ?? "")
    }
}
