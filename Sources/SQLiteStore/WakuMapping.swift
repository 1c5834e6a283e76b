import EventStore
import GRDB

/// The waku layout on SQLite (SPEC §3.2): `es_streams`, `es_events` and their companions, read
/// with `WakuSQL`.
struct WakuMapping: LayoutMapping {
    func capabilities(in catalog: SchemaCatalog) -> StoreCapabilities { StoreLayout.waku.capabilities }

    func head(_ db: Database) throws -> GlobalPosition { try StoredRow.fetchInteger(db, sql: WakuSQL.head) ?? -1 }

    func streams(_ db: Database, _ query: StreamQuery) throws -> [StreamSummary] {
        let (sql, arguments) = WakuSQL.streams(query)
        return try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(StreamSummary.init(row:))
    }

    func stream(_ db: Database, id: String) throws -> StreamSummary? {
        try StoredRow.fetchOne(db, sql: WakuSQL.streamById, arguments: [WakuSQL.idBytes(id)]).map(StreamSummary.init(row:))
    }

    func streamEvents(_ db: Database, _ query: StreamEventsQuery) throws -> [RecordedEvent] {
        let (sql, arguments) = WakuSQL.streamEvents(query)
        return try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(RecordedEvent.init(row:))
    }

    func log(_ db: Database, _ query: LogQuery) throws -> [RecordedEvent] {
        let (sql, arguments) = WakuSQL.log(query)
        return try StoredRow.fetchAll(db, sql: sql, arguments: arguments).map(RecordedEvent.init(row:))
    }

    func events(_ db: Database, in ranges: [ClosedRange<GlobalPosition>], limit: Int) throws -> [RecordedEvent] {
        // Short ranges (a follower's holes) in one statement; a long one (everything after the
        // cursor) keyset-paged on its own, so its cost is the page, not the range.
        let short = ranges.filter { $0.upperBound - $0.lowerBound < Int64(limit) }
        let long = ranges.filter { $0.upperBound - $0.lowerBound >= Int64(limit) }
        let pairs = JSONValue.array(short.map { .array([.int($0.lowerBound), .int($0.upperBound)]) }).compact
        var found = short.isEmpty ? [] : try StoredRow.fetchAll(db, sql: WakuSQL.eventsInRanges, arguments: [pairs, limit]).map(RecordedEvent.init(row:))
        for range in long {
            found += try StoredRow.fetchAll(db, sql: WakuSQL.eventsInRange, arguments: [range.lowerBound, range.upperBound, limit])
                .map(RecordedEvent.init(row:))
        }
        return Array(found.sorted { $0.globalPosition < $1.globalPosition }.prefix(limit))
    }

    func event(_ db: Database, at position: GlobalPosition) throws -> RecordedEvent? {
        try StoredRow.fetchOne(db, sql: WakuSQL.eventAt, arguments: [position]).map(RecordedEvent.init(row:))
    }

    func event(_ db: Database, id: String) throws -> RecordedEvent? {
        try StoredRow.fetchOne(db, sql: WakuSQL.eventById, arguments: [id]).map(RecordedEvent.init(row:))
    }

    func checkpoints(_ db: Database) throws -> [Checkpoint] {
        guard try db.tableExists(WakuSchema.checkpoints) else { return [] }
        return try StoredRow.fetchAll(db, sql: WakuSQL.checkpoints).map(Checkpoint.init(row:))
    }

    func leases(_ db: Database) throws -> [Lease] {
        guard try db.tableExists(WakuSchema.leases) else { return [] }
        return try StoredRow.fetchAll(db, sql: WakuSQL.leases).map(Lease.init(row:))
    }

    func snapshots(_ db: Database, after streamId: String?, limit: Int) throws -> [Snapshot] {
        guard try db.tableExists(WakuSchema.snapshots) else { return [] }
        return try StoredRow.fetchAll(db, sql: WakuSQL.snapshots, arguments: [WakuSQL.idBytes(streamId ?? ""), limit]).map(Snapshot.init(row:))
    }

    func firstVisible(_ db: Database, after position: GlobalPosition, eventTypes: Set<String>) throws -> RecordedEvent? {
        let (sql, arguments) = WakuSQL.log(LogQuery(anchor: .after(.position(position)), limit: 1, eventTypes: eventTypes))
        return try StoredRow.fetchOne(db, sql: sql, arguments: arguments).map(RecordedEvent.init(row:))
    }

    func gaps(_ db: Database, in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) throws -> [Gap] {
        let (lo, hi) = (window.lowerBound, window.upperBound)
        var missing: [Gap] = []
        let first = try StoredRow.fetchInteger(db, sql: WakuSQL.firstPositionInWindow, arguments: [lo, hi])
        if (first ?? hi + 1) > lo { missing.append(Gap(from: lo, to: (first ?? hi + 1) - 1, kind: .missing)) }
        missing += try StoredRow.fetchAll(db, sql: WakuSQL.missingRuns, arguments: [hi, lo, limit]).compactMap(Gap.run(.missing))
        // Text only: a deleted stream's id travels as JSON text (an id that is not UTF-8 cannot).
        let deletedIds = try StoredRow.fetchAll(db, sql: WakuSQL.deletedStreams).compactMap(\.firstText)
        var hidden: [Gap] = []
        if !deletedIds.isEmpty || includeOrphans {
            let ids = JSONValue.array(deletedIds.map(JSONValue.string)).compact
            hidden = try StoredRow.fetchAll(db, sql: WakuSQL.hiddenRuns(orphans: includeOrphans), arguments: [ids, lo, hi, limit])
                .compactMap(Gap.run(.deleted))
        }
        return Array(Gap.merge(missing: missing, deleted: hidden).prefix(limit))
    }

    func countStreams(_ db: Database, prefix: String, cap: Int64) throws -> Int64 {
        try StoredRow.fetchInteger(db, sql: WakuSQL.countStreams(prefix: prefix), arguments: [prefix, prefix + "\u{10FFFF}", cap + 1]) ?? 0
    }

    func eventTypes(_ db: Database, prefix: String, limit: Int) throws -> [String] {
        try Self.walkTypes(db, sql: WakuSQL.nextEventType, prefix: prefix, limit: limit)
    }

    /// Distinct types with a prefix, one index seek per type (`sql` gives the first type after `?1`
    /// within `?2 ..< ?3`). A type stored as anything but UTF-8 text cannot be typed back: the walk ends there.
    static func walkTypes(_ db: Database, sql: String, prefix: String, limit: Int) throws -> [String] {
        var types: [String] = []
        var last = "" // '' sorts before every type; the first seek asks for types >= the prefix.
        while types.count < limit, let next = try StoredRow.fetchOne(db, sql: sql, arguments: [last, prefix, prefix + "\u{10FFFF}"])?.firstText {
            if next.hasPrefix(prefix) { types.append(next) }
            last = next
        }
        return types
    }

    func softDeletedStreams(_ db: Database) throws -> Set<String> {
        Set(try StoredRow.fetchAll(db, sql: WakuSQL.deletedStreams).map { row -> String in
            if case .text(let bytes) = row[0] { return EscapedBytes.display(bytes).text }
            return "\(row[0])"
        })
    }

    func pending(_ db: Database, after checkpoint: GlobalPosition, eventTypes: Set<String>, limit: Int64) throws -> Int64 {
        if eventTypes.isEmpty {
            return try StoredRow.fetchInteger(db, sql: WakuSQL.pending, arguments: [checkpoint, limit]) ?? 0
        }
        var arguments: [any DatabaseValueConvertible] = [checkpoint]
        arguments += eventTypes.sorted() as [any DatabaseValueConvertible]
        arguments.append(limit)
        return try StoredRow.fetchInteger(db, sql: WakuSQL.pending(types: eventTypes.count), arguments: StatementArguments(arguments)) ?? 0
    }
}

extension Gap {
    /// A run of positions from a row's two first columns; nil when they are not integers (a
    /// hand-edited table): a wrong gap is worse than none.
    static func run(_ kind: Gap.Kind) -> @Sendable (StoredRow) -> Gap? {
        { row in
            guard case .integer(let from) = row[0], case .integer(let to) = row[1], from <= to else { return nil }
            return Gap(from: from, to: to, kind: kind)
        }
    }
}
