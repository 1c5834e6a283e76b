import EventStore
import Foundation
import GRDB

/// The oracle for the layouts other than waku: every row read plainly (`SELECT *`, no paging, no
/// index), mapped to the model the slow, obvious way. Streams come from their events (these layouts
/// have no streams table): version = the highest stream position, times of the first and last event.
extension InMemoryStore {
    public static func load(sqlitePath path: String, layout: StoreLayout) throws -> InMemoryStore {
        if layout == .waku { return try load(sqlitePath: path) }
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            func time(_ value: DatabaseValue) -> StoreTime? {
                switch value.storage {
                case .null: nil
                case .string(let s): StoreTime(text: s)
                case .double(let d): Timestamp(epochSeconds: d).map(StoreTime.at)
                case .int64(let i): Timestamp(epochSeconds: Double(i)).map(StoreTime.at)
                default: .unreadable("\(value)")
                }
            }
            var events: [RecordedEvent] = []
            var streamTypes: [String: String] = [:]
            var checkpoints: [Checkpoint] = [], leases: [Lease] = [], snapshots: [Snapshot] = []
            var deadLetters: [DeadLetter]?, outbox: OutboxSummary?
            var capabilities = layout.capabilities
            switch layout {
            case .eventsourcePy:
                for r in try Row.fetchAll(db, sql: "SELECT * FROM events") {
                    let (data, metadata, version) = EventsourcePySchema.split(payload: r["payload"])
                    let type: String = r["aggregate_type"], id = EventsourcePySchema.streamId(type: type, id: r["aggregate_id"])
                    streamTypes[id] = type
                    var fields: [EventField] = []
                    if let tenant: String = r["tenant_id"] { fields.append(EventField("tenant_id", tenant)) }
                    if let actor: String = r["actor_id"] { fields.append(EventField("actor_id", actor)) }
                    events.append(RecordedEvent(globalPosition: r["global_position"], eventId: r["event_id"], streamId: id,
                                                eventType: r["event_type"], position: r["version"], data: data, metadata: metadata,
                                                timestamp: time(r["timestamp"]) ?? .unreadable("NULL"), schemaVersion: version ?? 1,
                                                idempotencyKey: "", fields: fields))
                }
                let byId = Dictionary(events.map { ($0.eventId, $0.globalPosition) }, uniquingKeysWith: { a, _ in a })
                checkpoints = try Row.fetchAll(db, sql: "SELECT * FROM projection_checkpoints").map { r in
                    var position: GlobalPosition = -1
                    if let token: String = r["position_token"], case .success(let p)? = EventsourcePySchema.tokenPosition(token) {
                        position = p
                    } else if let id: String = r["last_event_id"], let p = byId[id] {
                        position = p
                    } else if let p: Int64 = r["global_position"] {
                        position = p
                    }
                    return Checkpoint(projectionName: r["projection_name"], position: position,
                                      updatedAt: time(r["updated_at"]) ?? .unreadable("NULL"), createdAt: time(r["created_at"]))
                }
                snapshots = try Row.fetchAll(db, sql: "SELECT * FROM snapshots").map { r in
                    Snapshot(streamId: EventsourcePySchema.streamId(type: r["aggregate_type"], id: r["aggregate_id"]), state: r["state"],
                             version: r["version"], stateType: r["aggregate_type"], schemaVersion: r["schema_version"],
                             createdAt: time(r["created_at"]), updatedAt: nil)
                }
                deadLetters = try Row.fetchAll(db, sql: "SELECT * FROM dead_letter_queue").map { r in
                    DeadLetter(id: r["id"], projectionName: r["projection_name"], eventId: r["event_id"], eventType: r["event_type"],
                               eventData: r["event_data"], errorMessage: r["error_message"], stackTrace: r["error_stacktrace"],
                               retryCount: r["retry_count"], firstFailedAt: time(r["first_failed_at"]) ?? .unreadable("NULL"),
                               lastFailedAt: time(r["last_failed_at"]) ?? .unreadable("NULL"), status: r["status"],
                               resolvedAt: time(r["resolved_at"]), resolvedBy: r["resolved_by"])
                }
                let rows = try Row.fetchAll(db, sql: "SELECT * FROM event_outbox")
                func count(_ status: String) -> Int64 { Int64(rows.filter { ($0["status"] as String?) == status }.count) }
                let oldest = rows.filter { ($0["status"] as String?) == "pending" }.compactMap { $0["created_at"] as String? }.min()
                outbox = OutboxSummary(pending: count("pending"), published: count("published"), failed: count("failed"),
                                       oldestPendingAt: oldest.map(StoreTime.init(text:)), databaseNow: Timestamp(microseconds: 0))
            case .lexigram:
                for r in try Row.fetchAll(db, sql: "SELECT * FROM events") {
                    events.append(RecordedEvent(globalPosition: r["global_sequence"], eventId: r["event_id"], streamId: r["stream_id"],
                                                eventType: r["event_type"], position: r["stream_version"], data: r["event_data"],
                                                metadata: r["metadata"] ?? "{}", timestamp: time(r["timestamp"]) ?? .unreadable("NULL"),
                                                schemaVersion: 1, idempotencyKey: ""))
                }
                checkpoints = try Row.fetchAll(db, sql: "SELECT * FROM event_checkpoints").map { r in
                    Checkpoint(projectionName: r["name"], position: r["position"], updatedAt: time(r["updated_at"]) ?? .unreadable("NULL"),
                               createdAt: nil)
                }
                leases = try Row.fetchAll(db, sql: "SELECT * FROM event_checkpoints_locks").map { r in
                    Lease(projectionName: r["name"], holderId: r["owner"], acquiredAt: nil, renewedAt: nil,
                          expiresAt: time(r["expires_at"]) ?? .unreadable("NULL"))
                }
                // The latest snapshot of each aggregate.
                let all = try Row.fetchAll(db, sql: "SELECT * FROM snapshots")
                for id in Set(all.map { $0["aggregate_id"] as String }) {
                    let r = all.filter { ($0["aggregate_id"] as String) == id }.max { ($0["version"] as Int64) < ($1["version"] as Int64) }!
                    snapshots.append(Snapshot(streamId: id, state: r["state"], version: r["version"], stateType: r["aggregate_type"],
                                              schemaVersion: 1, createdAt: time(r["timestamp"]), updatedAt: nil))
                }
            case .minimal:
                for r in try Row.fetchAll(db, sql: "SELECT rowid AS row_id, * FROM events") {
                    let rowid: Int64 = r["row_id"]
                    let metadata = JSONValue.object(["correlation_id": (r["correlation_id"] as String?).json,
                                                     "causation_id": (r["causation_id"] as String?).json]).compact
                    events.append(RecordedEvent(globalPosition: rowid, eventId: r["id"], streamId: r["stream"], eventType: r["name"],
                                                position: r["version"], data: r["payload"], metadata: metadata,
                                                timestamp: time(r["timestamp"]) ?? .unreadable("NULL"), schemaVersion: 1,
                                                idempotencyKey: "", hasGlobalPosition: false))
                }
                capabilities = []
            case .waku:
                break
            }
            // The streams, from their events.
            var streams: [StreamSummary] = []
            for (id, rows) in Dictionary(grouping: events, by: \.streamId) {
                let first = rows.min { $0.position < $1.position }!, last = rows.max { $0.position < $1.position }!
                streams.append(StreamSummary(id: id, type: streamTypes[id] ?? StreamSummary.category(of: id), version: last.position,
                                             createdAt: first.timestamp, updatedAt: last.timestamp, deletedAt: nil))
            }
            var store = InMemoryStore(info: StoreInfo(location: path, layout: layout, capabilities: capabilities), streams: streams,
                                      events: events, checkpoints: checkpoints, leases: leases, snapshots: snapshots)
            store.deadLetterRows = deadLetters
            store.outbox = outbox
            return store
        }
    }
}
