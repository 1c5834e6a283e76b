import EventStore
import GRDB

/// Answers computed the slow, obvious way, from every row in memory: what the adapter's keyset,
/// index-backed queries must agree with.
public struct BruteForce {
    public struct EventRow: Sendable {
        public let position: GlobalPosition
        public let streamId: String
        public let streamPosition: Int64
        public let type: String
        public let visible: Bool
    }

    public let events: [EventRow]
    public let streamIds: [String]

    public init(path: String) throws {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        let (events, ids) = try queue.read { db -> ([EventRow], [String]) in
            let live = Set(try String.fetchAll(db, sql: "SELECT stream_id FROM es_streams WHERE deleted_at IS NULL"))
            let rows = try Row.fetchAll(db, sql: "SELECT global_position, stream_id, position, event_type FROM es_events")
            let events = rows.map { row in
                EventRow(position: row[0], streamId: row[1], streamPosition: row[2], type: row[3], visible: live.contains(row[1]))
            }
            return (events.sorted { $0.position < $1.position }, try String.fetchAll(db, sql: "SELECT stream_id FROM es_streams"))
        }
        try queue.close()
        self.events = events
        // SQLite's BINARY collation compares UTF-8 bytes.
        streamIds = ids.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public var head: GlobalPosition { events.last?.position ?? -1 }

    public func log(after p: GlobalPosition, limit: Int, types: Set<String> = [], includeHidden: Bool = false) -> [GlobalPosition] {
        Array(events.lazy.filter { $0.position > p && (includeHidden || $0.visible) && (types.isEmpty || types.contains($0.type)) }
            .prefix(limit).map(\.position))
    }

    public func log(before p: GlobalPosition, limit: Int, types: Set<String> = [], includeHidden: Bool = false) -> [GlobalPosition] {
        Array(events.reversed().lazy.filter { $0.position < p && (includeHidden || $0.visible) && (types.isEmpty || types.contains($0.type)) }
            .prefix(limit).map(\.position))
    }

    public func pending(after checkpoint: GlobalPosition) -> Int {
        events.lazy.filter { $0.position > checkpoint && $0.visible }.count
    }

    /// Every run of positions in the window that no visible event holds, split by kind.
    public func gaps(in window: ClosedRange<GlobalPosition>) -> [Gap] {
        let byPosition = Dictionary(uniqueKeysWithValues: events.map { ($0.position, $0) })
        var result: [Gap] = []
        for p in window {
            let kind: Gap.Kind? = switch byPosition[p] {
            case nil: .missing
            case let row? where !row.visible: .deleted
            default: nil
            }
            guard let kind else { continue }
            if let last = result.last, last.kind == kind, last.to + 1 == p { result[result.count - 1].to = p } else {
                result.append(Gap(from: p, to: p, kind: kind))
            }
        }
        return result
    }
}
