import EventStore

/// Synchronous answers over every row of a store in memory (an `InMemoryStore`, which holds the
/// meaning of each read): what the adapter's keyset, index-backed queries must agree with.
public struct BruteForce: Sendable {
    public let store: InMemoryStore

    public init(path: String) throws {
        store = try InMemoryStore.load(sqlitePath: path)
    }

    public var events: [RecordedEvent] { store.eventRows }
    /// Stream ids in the store's (byte) order.
    public var streamIds: [String] { store.streamRows.map(\.id).sorted(by: InMemoryStore.precedes) }
    public var head: GlobalPosition { events.last?.globalPosition ?? -1 }

    public func log(after p: GlobalPosition, limit: Int, types: Set<String> = [], includeHidden: Bool = false) -> [GlobalPosition] {
        Array(store.visible(includeHidden, types).lazy.filter { $0.globalPosition > p }.prefix(limit).map(\.globalPosition))
    }

    public func log(before p: GlobalPosition, limit: Int, types: Set<String> = [], includeHidden: Bool = false) -> [GlobalPosition] {
        Array(store.visible(includeHidden, types).reversed().lazy.filter { $0.globalPosition < p }.prefix(limit).map(\.globalPosition))
    }

    public func pending(after checkpoint: GlobalPosition) -> Int { store.pendingCount(after: checkpoint) }

    /// Every run of positions in the window that no visible event holds, split by kind (events with
    /// no stream row count as hidden, as with `--orphans`).
    public func gaps(in window: ClosedRange<GlobalPosition>, includeOrphans: Bool = true) -> [Gap] {
        store.gapRuns(in: window, includeOrphans: includeOrphans)
    }
}
