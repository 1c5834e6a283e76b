import EventStore
import Foundation

/// The waku layout on PostgreSQL (SPEC §3.1): `es_streams`, `es_events` and their companions, read
/// with `PostgresSQL`.
struct WakuPostgresMapping: PostgresLayoutMapping {
    /// Whether `stream_id` sorts by bytes here (C collations): prefix filters are then index ranges.
    let byteOrdered: Bool

    var tables: [String] {
        [WakuSchema.events, WakuSchema.streams, WakuSchema.checkpoints, WakuSchema.leases, WakuSchema.snapshots]
    }

    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities { StoreLayout.waku.capabilities }

    var streamReadsTakeSeveralStatements: Bool { false }

    func head(_ s: Session) async throws -> GlobalPosition { try await s.integer(Statement(PostgresSQL.head)) ?? -1 }

    func streams(_ s: Session, _ query: StreamQuery) async throws -> [StreamSummary] {
        try await s.rows(PostgresSQL.streams(query, byteOrdered: byteOrdered)).map(StreamSummary.init(server:))
    }

    func stream(_ s: Session, id: String) async throws -> StreamSummary? {
        try await s.one(PostgresSQL.streamById(PostgresStoreReader.bound(id))).map(StreamSummary.init(server:))
    }

    func streamEvents(_ s: Session, _ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        var q = query
        q.streamId = PostgresStoreReader.bound(query.streamId)
        return try await s.rows(PostgresSQL.streamEvents(q)).map(RecordedEvent.init(server:))
    }

    func logPage(_ query: LogQuery) -> (Statement, @Sendable (ServerRow) -> RecordedEvent) {
        (PostgresSQL.log(query), RecordedEvent.init(server:))
    }

    func events(_ s: Session, in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        // Short ranges (a follower's holes) in one statement; a long one keyset-paged on its own.
        let short = ranges.filter { $0.upperBound - $0.lowerBound < Int64(limit) }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }
        var found = short.isEmpty ? [] : try await s.rows(PostgresSQL.eventsInRanges(short, limit: limit)).map(RecordedEvent.init(server:))
        for range in long {
            found += try await s.rows(PostgresSQL.eventsInRange(range, limit: limit)).map(RecordedEvent.init(server:))
        }
        return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
    }

    func event(_ s: Session, at position: GlobalPosition) async throws -> RecordedEvent? {
        try await s.one(PostgresSQL.eventAt(position)).map(RecordedEvent.init(server:))
    }

    func event(_ s: Session, id: String) async throws -> RecordedEvent? {
        guard let uuid = UUID(uuidString: id.trimmingCharacters(in: .whitespaces)) else { return nil }
        return try await s.one(PostgresSQL.eventWithId(uuid.uuidString.lowercased())).map(RecordedEvent.init(server:))
    }

    func checkpoints(_ s: Session) async throws -> [Checkpoint] {
        guard try await s.exists(WakuSchema.checkpoints) else { return [] }
        return try await s.rows(Statement(PostgresSQL.checkpoints)).map(Checkpoint.init(server:))
    }

    func leases(_ s: Session) async throws -> [Lease] {
        guard try await s.exists(WakuSchema.leases) else { return [] }
        return try await s.rows(Statement(PostgresSQL.leases)).map(Lease.init(server:))
    }

    func snapshots(_ s: Session, after streamId: String?, limit: Int) async throws -> [Snapshot] {
        guard try await s.exists(WakuSchema.snapshots) else { return [] }
        return try await s.rows(PostgresSQL.snapshots(after: streamId.map(PostgresStoreReader.bound), limit: limit)).map(Snapshot.init(server:))
    }

    func firstVisible(_ s: Session, after position: GlobalPosition, eventTypes: Set<String>) async throws -> RecordedEvent? {
        try await s.one(PostgresSQL.log(LogQuery(anchor: .after(.position(position)), limit: 1, eventTypes: eventTypes)))
            .map(RecordedEvent.init(server:))
    }

    func gaps(_ s: Session, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        var missing: [Gap] = []
        let first = try await s.integer(PostgresSQL.firstPositionInWindow(window))
        let (lo, hi) = (window.lowerBound, window.upperBound)
        let leading = first.map { $0 - 1 } ?? hi
        if leading >= lo { missing.append(Gap(from: lo, to: leading, kind: .missing)) }
        // The window's end + 1 closes the last run: kept below the largest integer.
        let bounded = lo...min(hi, GlobalPosition.max - 1)
        missing += try await s.rows(PostgresSQL.missingRuns(in: bounded, limit: limit)).compactMap(PostgresStoreReader.run(.missing))
        let deleted = try await s.rows(Statement(PostgresSQL.deletedStreams)).compactMap { row -> String? in
            guard case .text(let bytes) = row[0] else { return nil }
            return String(validating: bytes, as: UTF8.self)
        }
        var hidden: [Gap] = []
        if !deleted.isEmpty || includeOrphans {
            hidden = try await s.rows(PostgresSQL.hiddenRuns(deleted: deleted, orphans: includeOrphans, in: window, limit: limit))
                .compactMap(PostgresStoreReader.run(.deleted))
        }
        return Array(Gap.merge(missing: missing, deleted: hidden).prefix(limit))
    }

    func countStreams(_ s: Session, prefix: String, cap: Int64) async throws -> Int64 {
        try await s.integer(PostgresSQL.countStreams(prefix: prefix, cap: cap, byteOrdered: byteOrdered)) ?? 0
    }

    func eventTypes(_ s: Session, prefix: String, limit: Int) async throws -> [String] {
        try await PostgresTypeWalk(table: WakuSchema.events, byteOrdered: byteOrdered).types(s, prefix: prefix, limit: limit)
    }

    func softDeletedStreams(_ s: Session) async throws -> Set<String> {
        Set(try await s.rows(Statement(PostgresSQL.deletedStreams)).map { row -> String in
            var c = ServerColumnReader(row)
            return c.streamId(0, "stream_id")
        })
    }

    func pending(_ s: Session, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) async throws -> Int64 {
        try await s.integer(PostgresSQL.pending(after: checkpoint, eventTypes: eventTypes, cap: limit - 1)) ?? 0
    }
}
