import EventStore
import Foundation
import GRDB

/// The eventsource-py layout on SQLite (SPEC §3.3). There is no streams table: a stream is an
/// `(aggregate_type, aggregate_id)` pair, shown as `Type-id`, listed and summed up through the
/// events' unique `(aggregate_id, aggregate_type, version)` index. Versions are 1-based and taken
/// from the `version` column (the payload's `aggregate_version` often disagrees). No soft deletes.
struct EventsourcePyMapping: LayoutMapping {
    static let log = PositionalSQL(
        table: "events", position: "global_position", streamPosition: "version",
        columns: "e.global_position, e.event_id, e.aggregate_id, e.aggregate_type, e.event_type, e.tenant_id, e.actor_id, e.version, e.timestamp, e.payload",
        map: Self.event(row:))

    static func event(row: StoredRow) -> RecordedEvent {
        var c = ColumnReader(row)
        let payload = c.text(9, "payload")
        let (data, metadata, schemaVersion) = EventsourcePySchema.split(payload: payload)
        var fields: [EventField] = []
        if let tenant = c.optionalText(5, "tenant_id") { fields.append(EventField("tenant_id", tenant)) }
        if let actor = c.optionalText(6, "actor_id") { fields.append(EventField("actor_id", actor)) }
        var event = RecordedEvent(globalPosition: c.int(0, "global_position"), eventId: c.text(1, "event_id"),
                                  streamId: c.streamId(joining: 3, 2, "stream_id"), eventType: c.text(4, "event_type"),
                                  position: c.int(7, "position"), data: data, metadata: metadata, timestamp: c.time(8),
                                  schemaVersion: schemaVersion ?? 1, idempotencyKey: "", fields: fields)
        event.problems = c.problems.map { $0.field == "payload" ? ValueProblem(field: "data", stored: $0.stored, reason: $0.reason) : $0 }
        return event
    }

    var log: PositionalSQL { Self.log }

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities {
        var capabilities: StoreCapabilities = [.globalPositions, .gaps]
        if catalog[EventsourcePySchema.checkpoints] != nil { capabilities.insert(.checkpoints) }
        if catalog[EventsourcePySchema.snapshots] != nil { capabilities.insert(.snapshots) }
        if catalog[EventsourcePySchema.deadLetters] != nil { capabilities.insert(.deadLetters) }
        if catalog[EventsourcePySchema.outbox] != nil { capabilities.insert(.outbox) }
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

    // MARK: streams

    /// The aggregate types present, in the order of their ids' prefix `Type-`: a seek per type.
    static func types(_ db: Database) throws -> [[UInt8]] {
        try KeyWalk(table: "events", column: "aggregate_type").values(db, after: nil, prefix: [], direction: .forwards, limit: .max)
            .sorted { ($0 + [0x2D]).lexicographicallyPrecedes($1 + [0x2D]) }
    }

    /// The aggregates of one type in id order: a seek per aggregate on the unique index (`+` keeps
    /// the planner off the type index, which would read every event of the type).
    static func ids(ofType type: [UInt8]) -> KeyWalk {
        KeyWalk(table: "events", column: "aggregate_id", scope: "+aggregate_type = CAST(? AS TEXT)", scopeArguments: [Data(type)])
    }

    /// The `(type, id)` pairs a shown stream id can stand for, longest type first: ids may hold `-`,
    /// so the id is split on the types actually present.
    static func pairs(_ db: Database, id: String) throws -> [(type: [UInt8], id: [UInt8])] {
        let bytes = EscapedBytes.decode(id)
        return try types(db).filter { bytes.starts(with: $0 + [0x2D]) }.sorted { $0.count > $1.count }
            .map { ($0, Array(bytes.dropFirst($0.count + 1))) }
    }

    static let lastEvent = """
        SELECT version, timestamp FROM events WHERE aggregate_id = CAST(? AS TEXT) AND aggregate_type = CAST(? AS TEXT)
        ORDER BY version DESC LIMIT 1
        """
    static let firstEvent = """
        SELECT version, timestamp FROM events WHERE aggregate_id = CAST(? AS TEXT) AND aggregate_type = CAST(? AS TEXT)
        ORDER BY version ASC LIMIT 1
        """

    /// A stream's summary from its first and last events (two seeks); nil when it has none.
    static func summary(_ db: Database, type: [UInt8], id: [UInt8]) throws -> StreamSummary? {
        guard let last = try StoredRow.fetchOne(db, sql: lastEvent, arguments: [Data(id), Data(type)]) else { return nil }
        let first = try StoredRow.fetchOne(db, sql: firstEvent, arguments: [Data(id), Data(type)])
        var c = ColumnReader(last)
        let version = c.int(0, "version")
        let updated = c.optionalTime(1)
        var f = first.map(ColumnReader.init)
        let (shown, _) = EscapedBytes.display(type + [0x2D] + id)
        return StreamSummary(id: shown, type: EscapedBytes.display(type).text, version: version, createdAt: f?.optionalTime(1),
                             updatedAt: updated, deletedAt: nil, problems: c.problems)
    }

    func streams(_ db: Database, _ query: StreamQuery) throws -> [StreamSummary] {
        let prefix = EscapedBytes.decode(query.idPrefix)
        let after = query.after.map(EscapedBytes.decode)
        let forwards = query.direction == .forwards
        var types = try Self.types(db)
        if !forwards { types.reverse() }
        var found: [StreamSummary] = []
        for type in types where found.count < query.limit {
            let head = type + [0x2D]
            // The part of the prefix and of the cursor that falls inside this type's ids.
            var idPrefix: [UInt8] = []
            if prefix.starts(with: head) { idPrefix = Array(prefix.dropFirst(head.count)) } else if !head.starts(with: prefix) { continue }
            var idAfter: [UInt8]?
            if let after {
                if after.starts(with: head) {
                    idAfter = Array(after.dropFirst(head.count))
                } else if forwards ? !after.lexicographicallyPrecedes(head) : after.lexicographicallyPrecedes(head) {
                    continue // every id of this type lies on the wrong side of the cursor
                }
            }
            for id in try Self.ids(ofType: type).values(db, after: idAfter, prefix: idPrefix, direction: query.direction,
                                                        limit: query.limit - found.count) {
                if let summary = try Self.summary(db, type: type, id: id) { found.append(summary) }
            }
        }
        return found
    }

    func stream(_ db: Database, id: String) throws -> StreamSummary? {
        for pair in try Self.pairs(db, id: id) {
            if let summary = try Self.summary(db, type: pair.type, id: pair.id) { return summary }
        }
        return nil
    }

    func streamEvents(_ db: Database, _ query: StreamEventsQuery) throws -> [RecordedEvent] {
        for pair in try Self.pairs(db, id: query.streamId) {
            let (sql, arguments) = Self.streamEvents(query, type: pair.type, id: pair.id)
            let events = try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(log.map)
            if !events.isEmpty { return events }
        }
        return []
    }

    /// One aggregate's events from a version: a range of the unique `(aggregate_id, aggregate_type, version)` index.
    static func streamEvents(_ query: StreamEventsQuery, type: [UInt8], id: [UInt8]) -> (String, StatementArguments) {
        var sql = "SELECT \(log.columns) FROM events e WHERE e.aggregate_id = CAST(? AS TEXT) AND e.aggregate_type = CAST(? AS TEXT)"
        var arguments: [any DatabaseValueConvertible] = [Data(id), Data(type)]
        if let from = query.from {
            sql += query.direction == .forwards ? " AND e.version >= ?" : " AND e.version <= ?"
            arguments.append(from)
        }
        if !query.eventTypes.isEmpty {
            sql += " AND e.event_type IN (\(placeholders(query.eventTypes.count)))"
            arguments += query.eventTypes.sorted() as [any DatabaseValueConvertible]
        }
        sql += " ORDER BY e.version " + (query.direction == .forwards ? "ASC" : "DESC") + " LIMIT ?"
        arguments.append(query.limit)
        return (sql, StatementArguments(arguments))
    }

    /// The distinct ids of a type within a prefix: a covering range of the unique index, stopped past the cap.
    static let countIds = """
        SELECT COUNT(*) FROM (SELECT DISTINCT aggregate_id FROM events
        WHERE +aggregate_type = CAST(? AS TEXT) AND aggregate_id >= CAST(? AS TEXT) AND aggregate_id < CAST(? AS TEXT) LIMIT ?)
        """

    func countStreams(_ db: Database, prefix: String, cap: Int64) throws -> Int64 {
        let bytes = EscapedBytes.decode(prefix)
        var total: Int64 = 0
        for type in try Self.types(db) where total <= cap {
            let head = type + [0x2D]
            var idPrefix: [UInt8] = []
            if bytes.starts(with: head) { idPrefix = Array(bytes.dropFirst(head.count)) } else if !head.starts(with: bytes) { continue }
            total += try StoredRow.fetchInteger(db, sql: Self.countIds, arguments: [Data(type), Data(idPrefix), Data(idPrefix + [0xF4, 0x8F, 0xBF, 0xBF]),
                                                                          cap + 1 - total]) ?? 0
        }
        return total
    }

    // MARK: checkpoints, snapshots, dead letters, the outbox

    /// The position: `position_token`'s, else the global position of `last_event_id`, else the
    /// legacy `global_position`, else -1.
    static let checkpoints = """
        SELECT c.projection_name, c.position_token,
               (SELECT e.global_position FROM events e WHERE e.event_id = c.last_event_id), c.global_position,
               c.updated_at, c.created_at, c.last_event_id
        FROM projection_checkpoints c ORDER BY c.projection_name
        """

    func checkpoints(_ db: Database) throws -> [Checkpoint] {
        guard try db.tableExists(EventsourcePySchema.checkpoints) else { return [] }
        return try StoredRow.fetchAll(db, sql: Self.checkpoints).map { row in
            var c = ColumnReader(row)
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

    func snapshots(_ db: Database, after streamId: String?, limit: Int) throws -> [Snapshot] {
        guard try db.tableExists(EventsourcePySchema.snapshots) else { return [] }
        // One row per aggregate, in shown-id order: the table is small beside the events (a scan of it).
        let sql = """
            SELECT aggregate_type, aggregate_id, state, version, schema_version, created_at FROM snapshots
            WHERE CAST(aggregate_type || '-' || aggregate_id AS BLOB) > ? ORDER BY CAST(aggregate_type || '-' || aggregate_id AS BLOB) LIMIT ?
            """
        return try StoredRow.fetchAll(db, sql: sql, arguments: [Data(EscapedBytes.decode(streamId ?? "")), limit]).map { row in
            var c = ColumnReader(row)
            var snapshot = Snapshot(streamId: c.streamId(joining: 0, 1, "stream_id"), state: c.text(2, "state"), version: c.int(3, "version"),
                                    stateType: c.text(0, "state_type"), schemaVersion: c.int(4, "schema_version", default: 1),
                                    createdAt: c.optionalTime(5), updatedAt: nil)
            snapshot.problems = c.problems
            return snapshot
        }
    }

    static let deadLetters = """
        SELECT id, projection_name, event_id, event_type, event_data, error_message, error_stacktrace, retry_count,
               first_failed_at, last_failed_at, status, resolved_at, resolved_by
        FROM dead_letter_queue WHERE id > ?
        """

    func deadLetters(_ db: Database, _ query: DeadLetterQuery) throws -> [DeadLetter]? {
        guard try db.tableExists(EventsourcePySchema.deadLetters) else { return nil }
        var sql = Self.deadLetters
        var arguments: [any DatabaseValueConvertible] = [query.after ?? Int64.min]
        if let projection = query.projection {
            sql += " AND projection_name = ?"
            arguments.append(projection)
        }
        if let status = query.status {
            sql += " AND status = ?"
            arguments.append(status)
        }
        sql += " ORDER BY id LIMIT ?"
        arguments.append(query.limit)
        return try StoredRow.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            var c = ColumnReader(row)
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
        SELECT (SELECT COUNT(*) FROM event_outbox WHERE status = 'pending'),
               (SELECT COUNT(*) FROM event_outbox WHERE status = 'published'),
               (SELECT COUNT(*) FROM event_outbox WHERE status = 'failed'),
               (SELECT MIN(created_at) FROM event_outbox WHERE status = 'pending'),
               strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        """

    func outboxSummary(_ db: Database) throws -> OutboxSummary? {
        guard try db.tableExists(EventsourcePySchema.outbox), let row = try StoredRow.fetchOne(db, sql: Self.outbox) else { return nil }
        var c = ColumnReader(row)
        return OutboxSummary(pending: c.int(0, "pending"), published: c.int(1, "published"), failed: c.int(2, "failed"),
                             oldestPendingAt: c.optionalTime(3), databaseNow: c.optionalTime(4)?.timestamp ?? Timestamp(microseconds: 0))
    }
}
