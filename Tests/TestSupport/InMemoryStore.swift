import EventStore
import Foundation
import GRDB

/// A store held in arrays, answering every `StoreReader` question the slow, obvious way: the
/// meaning of each read written once. Screen tests use it as their store; the conformance suite
/// uses it as the oracle every adapter × layout must agree with.
public struct InMemoryStore: StoreReader {
    public var info: StoreInfo
    public var streamRows: [StreamSummary]
    public var eventRows: [RecordedEvent]
    public var checkpointRows: [Checkpoint]
    public var leaseRows: [Lease]
    public var snapshotRows: [Snapshot]
    /// The database's clock, for lease expiry.
    public var databaseNow: Timestamp
    /// `es_projection_status` rows; nil = the store has no such table.
    public var runnerStatusRows: [RunnerStatus]?
    /// `es_projection_commands` rows in insertion order; nil = the store has no such table.
    public var commandRows: [CommandRequest]?
    /// Dead letters in id order; nil = the layout has none.
    public var deadLetterRows: [DeadLetter]?
    /// The outbox's counts; nil = the layout has none.
    public var outbox: OutboxSummary?
    /// The library's visibility horizon (eventsource-py on PostgreSQL); nil: the store has none.
    public var horizon: VisibilityHorizon?

    public init(info: StoreInfo = StoreInfo(location: "memory", layout: .waku), streams: [StreamSummary], events: [RecordedEvent],
                checkpoints: [Checkpoint] = [], leases: [Lease] = [], snapshots: [Snapshot] = [],
                databaseNow: Timestamp = Timestamp(microseconds: 0)) {
        self.info = info
        streamRows = streams
        checkpointRows = checkpoints
        leaseRows = leases
        snapshotRows = snapshots
        self.databaseNow = databaseNow
        // Visibility is the store's meaning, not the rows' say: a live stream row must exist.
        let live = Set(streams.filter { !$0.isDeleted }.map(\.id))
        eventRows = events.map { var e = $0; e.isHidden = !live.contains(e.streamId); return e }
            .sorted { $0.globalPosition < $1.globalPosition }
    }

    /// SQLite's BINARY collation compares UTF-8 bytes.
    static func precedes(_ a: String, _ b: String) -> Bool { Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }

    public func head() async throws -> GlobalPosition { eventRows.last?.globalPosition ?? -1 }

    public func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        let ordered = streamRows.sorted { Self.precedes($0.id, $1.id) }.filter { $0.id.hasPrefix(query.idPrefix) }
        switch query.direction {
        case .forwards:
            return Array(ordered.filter { s in query.after.map { Self.precedes($0, s.id) } ?? true }.prefix(query.limit))
        case .backwards:
            return Array(ordered.reversed().filter { s in query.after.map { Self.precedes(s.id, $0) } ?? true }.prefix(query.limit))
        }
    }

    public func countStreams(_ filter: StreamQuery.Filter, cap: Int64) async throws -> PendingCount {
        let prefix = StreamQuery(filter: filter).idPrefix
        let n = Int64(streamRows.filter { $0.id.hasPrefix(prefix) }.count)
        return n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: false)
    }

    public func eventTypes(prefix: String, limit: Int) async throws -> [String] {
        Array(Set(eventRows.map(\.eventType)).filter { $0.hasPrefix(prefix) }.sorted(by: Self.precedes).prefix(limit))
    }

    public func stream(id: String) async throws -> StreamSummary? { streamRows.first { $0.id == id } }

    public func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        let rows = eventRows.filter { $0.streamId == query.streamId && (query.eventTypes.isEmpty || query.eventTypes.contains($0.eventType)) }
            .sorted { $0.position < $1.position }
        switch query.direction {
        case .forwards: return Array(rows.filter { $0.position >= (query.from ?? .min) }.prefix(query.limit))
        case .backwards: return Array(rows.reversed().filter { $0.position <= (query.from ?? .max) }.prefix(query.limit))
        }
    }

    public func softDeletedStreams() async throws -> Set<String> { Set(streamRows.filter(\.isDeleted).map(\.id)) }

    public func pendingCount(after checkpoint: GlobalPosition, eventTypes: Set<String> = []) -> Int {
        visible(false, eventTypes).filter { $0.globalPosition > checkpoint }.count
    }

    func visible(_ includeHidden: Bool, _ types: Set<String>) -> [RecordedEvent] {
        eventRows.filter { (includeHidden || !$0.isHidden) && (types.isEmpty || types.contains($0.eventType)) }
    }

    public func log(_ query: LogQuery) async throws -> [RecordedEvent] {
        let rows = visible(query.includeHidden, query.eventTypes)
        switch query.anchor {
        case .after(let c): return Array(rows.filter { $0.cursor.ordinal > c.ordinal }.prefix(query.limit))
        case .before(let c): return Array(rows.reversed().filter { $0.cursor.ordinal < c.ordinal }.prefix(query.limit))
        }
    }

    public func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        Array(eventRows.filter { e in ranges.contains { $0.contains(e.globalPosition) } }.prefix(limit))
    }

    public func event(at position: GlobalPosition) async throws -> RecordedEvent? { eventRows.first { $0.globalPosition == position } }
    public func checkpoints() async throws -> [Checkpoint] { checkpointRows.sorted { Self.precedes($0.projectionName, $1.projectionName) } }
    public func leases() async throws -> [Lease] { leaseRows.sorted { Self.precedes($0.projectionName, $1.projectionName) } }

    public func snapshots(after streamId: String?, limit: Int) async throws -> [Snapshot] {
        Array(snapshotRows.sorted { Self.precedes($0.streamId, $1.streamId) }
            .filter { s in Self.precedes(streamId ?? "", s.streamId) }.prefix(limit))
    }

    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        guard info.capabilities.contains(.gaps) else { return [] }
        return gapRuns(in: window, limit: limit, includeOrphans: includeOrphans)
    }

    public func gapRuns(in window: ClosedRange<GlobalPosition>, limit: Int = .max, includeOrphans: Bool = false) -> [Gap] {
        let streamIds = Set(streamRows.map(\.id))
        var result: [Gap] = []
        func add(_ from: GlobalPosition, _ to: GlobalPosition, _ kind: Gap.Kind) {
            if let last = result.last, last.kind == kind, last.to + 1 == from { result[result.count - 1].to = to } else {
                result.append(Gap(from: from, to: to, kind: kind))
            }
        }
        var expected = window.lowerBound
        for e in eventRows where window.contains(e.globalPosition) {
            if e.globalPosition > expected { add(expected, e.globalPosition - 1, .missing) }
            // Events whose stream has no row at all are hidden too, but reported only when asked.
            if e.isHidden, includeOrphans || streamIds.contains(e.streamId) { add(e.globalPosition, e.globalPosition, .deleted) }
            expected = e.globalPosition + 1
        }
        if expected <= window.upperBound { add(expected, window.upperBound, .missing) }
        return Array(result.prefix(limit))
    }

    public func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        let n = Int64(pendingCount(after: checkpoint, eventTypes: eventTypes))
        return n > cap ? PendingCount(count: cap, isCapped: true) : PendingCount(count: n, isCapped: false)
    }

    public func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot {
        let leases = Dictionary(leaseRows.map { ($0.projectionName, $0) }, uniquingKeysWith: { a, _ in a })
        var progress: [ProjectionProgress] = []
        for checkpoint in try await checkpoints() {
            let types = request.eventTypes[checkpoint.projectionName]
                ?? runnerStatusRows?.first { $0.projectionName == checkpoint.projectionName }?.eventTypes ?? []
            let pending = try await pendingEvents(after: checkpoint.position, eventTypes: types, cap: request.pendingCap)
            let next = visible(false, types).first { $0.globalPosition > checkpoint.position }
            let nextAny = types.isEmpty || pending.count == 0 ? nil : visible(false, []).first { $0.globalPosition > checkpoint.position }
            progress.append(ProjectionProgress(checkpoint: checkpoint, lease: leases[checkpoint.projectionName], pending: pending,
                                               nextVisible: pending.count == 0 ? nil : next?.globalPosition,
                                               nextVisibleTime: pending.count == 0 ? nil : next?.timestamp,
                                               nextVisibleAnyType: nextAny?.globalPosition, nextVisibleAnyTypeTime: nextAny?.timestamp,
                                               runner: runnerStatusRows?.first { $0.projectionName == checkpoint.projectionName },
                                               latestRequest: commandRows?.last { $0.projectionName == checkpoint.projectionName }))
        }
        return ProjectionSnapshot(head: try await head(), databaseNow: databaseNow, projections: progress)
    }

    public func event(id: String) async throws -> RecordedEvent? { eventRows.first { $0.eventId == id } }

    public func deadLetters(_ query: DeadLetterQuery) async throws -> [DeadLetter]? {
        deadLetterRows.map { rows in
            Array(rows.sorted { $0.id < $1.id }.filter { letter in
                letter.id > (query.after ?? .min) && query.projection.map { $0 == letter.projectionName } ?? true
                    && query.status.map { $0 == letter.status } ?? true
            }.prefix(query.limit))
        }
    }

    public func outboxSummary() async throws -> OutboxSummary? { outbox }

    public func runnerStatuses() async throws -> [RunnerStatus]? {
        runnerStatusRows?.sorted { Self.precedes($0.projectionName, $1.projectionName) }
    }

    public func commandRequests(projection: String?, limit: Int) async throws -> [CommandRequest]? {
        commandRows.map { rows in Array(rows.reversed().filter { r in projection.map { $0 == r.projectionName } ?? true }.prefix(limit)) }
    }
}

extension InMemoryStore {
    /// Every row of a waku-layout SQLite file, read plainly (`SELECT *`, no paging, no index): the
    /// oracle the SQLite adapter's keyset, index-backed queries are checked against.
    public static func load(sqlitePath path: String, location: String? = nil) throws -> InMemoryStore {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            func time(_ value: DatabaseValue) -> StoreTime? {
                switch value.storage {
                case .null: nil
                case .string(let s): StoreTime(text: s)
                default: .unreadable("\(value)")
                }
            }
            let streams = try Row.fetchAll(db, sql: "SELECT * FROM es_streams").map { r in
                StreamSummary(id: r["stream_id"], type: r["stream_type"], version: r["version"], createdAt: time(r["created_at"]),
                              updatedAt: time(r["updated_at"]), deletedAt: time(r["deleted_at"]))
            }
            let events = try Row.fetchAll(db, sql: "SELECT * FROM es_events").map { r in
                RecordedEvent(globalPosition: r["global_position"], eventId: r["event_id"], streamId: r["stream_id"],
                              eventType: r["event_type"], position: r["position"], data: r["data"], metadata: r["metadata"],
                              timestamp: time(r["timestamp"]) ?? .unreadable("NULL"), schemaVersion: r["schema_version"],
                              idempotencyKey: r["idempotency_key"])
            }
            let checkpoints = try db.tableExists("es_checkpoints") ? try Row.fetchAll(db, sql: "SELECT * FROM es_checkpoints").map { r in
                Checkpoint(projectionName: r["projection_name"], position: r["position"], updatedAt: time(r["updated_at"]) ?? .unreadable("NULL"),
                           createdAt: time(r["created_at"]))
            } : []
            let leases = try db.tableExists("es_projection_leases") ? try Row.fetchAll(db, sql: "SELECT * FROM es_projection_leases").map { r in
                Lease(projectionName: r["projection_name"], holderId: r["holder_id"], acquiredAt: time(r["acquired_at"]),
                      renewedAt: time(r["renewed_at"]), expiresAt: time(r["expires_at"]) ?? .unreadable("NULL"))
            } : []
            let snapshots = try db.tableExists("es_snapshots") ? try Row.fetchAll(db, sql: "SELECT * FROM es_snapshots").map { r in
                Snapshot(streamId: r["stream_id"], state: r["state"], version: r["version"], stateType: r["state_type"],
                         schemaVersion: r["schema_version"], createdAt: time(r["created_at"]), updatedAt: time(r["updated_at"]))
            } : []
            var store = InMemoryStore(info: StoreInfo(location: location ?? path, layout: .waku), streams: streams, events: events,
                                      checkpoints: checkpoints, leases: leases, snapshots: snapshots)
            // The runner's tables, when a runner has made them (well-formed rows: the oracle reads plainly).
            if try db.tableExists(RunnerSchema.status) {
                store.runnerStatusRows = try Row.fetchAll(db, sql: "SELECT * FROM es_projection_status").map { r in
                    var types: Set<String>?
                    if let text: String = r["event_types"], case .success(.array(let items)) = JSONValue.parsed(text) {
                        types = Set(items.compactMap { if case .string(let s) = $0 { s } else { nil } })
                    }
                    return RunnerStatus(projectionName: r["projection_name"], state: .init(text: r["state"]), holderId: r["holder_id"],
                                        heartbeatAt: time(r["heartbeat_at"]), checkpoint: r["checkpoint"], eventTypes: types,
                                        eventsPerSecond: r["events_per_second"], lastError: r["last_error"],
                                        lastErrorPosition: r["last_error_position"], skippedBatches: r["skipped_batches"] ?? 0,
                                        rebuildTarget: r["rebuild_target"], rebuildStartedAt: time(r["rebuild_started_at"]),
                                        updatedAt: time(r["updated_at"]))
                }
            }
            if try db.tableExists(RunnerSchema.commands) {
                store.commandRows = try Row.fetchAll(db, sql: "SELECT * FROM es_projection_commands ORDER BY id").map { r in
                    CommandRequest(id: r["id"], projectionName: r["projection_name"], command: r["command"], requestedBy: r["requested_by"],
                                   requestedAt: time(r["requested_at"]) ?? .unreadable("NULL"), status: .init(text: r["status"]),
                                   startedAt: time(r["started_at"]), finishedAt: time(r["finished_at"]), detail: r["detail"])
                }
            }
            return store
        }
    }
}
