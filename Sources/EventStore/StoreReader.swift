/// Which way a keyset-paged read walks.
public enum Direction: String, Sendable, Hashable {
    case forwards, backwards
}

/// Streams in id order, after a cursor, optionally narrowed to a category or an id prefix.
public struct StreamQuery: Sendable, Hashable {
    public enum Filter: Sendable, Hashable {
        case none
        /// Streams whose id starts with `category-`.
        case category(String)
        case prefix(String)
    }
    public var filter: Filter
    /// Only streams whose id sorts after this one (the last id of the previous page).
    public var after: String?
    public var limit: Int

    public init(filter: Filter = .none, after: String? = nil, limit: Int = 50) {
        self.filter = filter
        self.after = after
        self.limit = limit
    }

    /// The id prefix the filter stands for; "" when unfiltered.
    public var idPrefix: String {
        switch filter {
        case .none: ""
        case .category(let c): c + "-"
        case .prefix(let p): p
        }
    }
}

/// A stream's events from a stream position, in either direction.
public struct StreamEventsQuery: Sendable, Hashable {
    public var streamId: String
    /// The first stream position to return (inclusive); nil = the start (forwards) or the end (backwards).
    public var from: Int64?
    public var direction: Direction
    public var limit: Int
    public var eventTypes: Set<String>

    public init(streamId: String, from: Int64? = nil, direction: Direction = .forwards, limit: Int = 50,
                eventTypes: Set<String> = []) {
        self.streamId = streamId
        self.from = from
        self.direction = direction
        self.limit = limit
        self.eventTypes = eventTypes
    }
}

/// The global log, keyset-paged by global position.
public struct LogQuery: Sendable, Hashable {
    public enum Anchor: Sendable, Hashable {
        /// Events with a global position greater than this one, ascending.
        case after(GlobalPosition)
        /// Events with a global position less than this one, descending (nearest first).
        case before(GlobalPosition)
    }
    public var anchor: Anchor
    public var limit: Int
    /// Empty = every type.
    public var eventTypes: Set<String>
    /// Show the events of soft-deleted (and row-less) streams too; projections never see them.
    public var includeHidden: Bool

    public init(anchor: Anchor = .after(-1), limit: Int = 50, eventTypes: Set<String> = [], includeHidden: Bool = false) {
        self.anchor = anchor
        self.limit = limit
        self.eventTypes = eventTypes
        self.includeHidden = includeHidden
    }
}

/// What a reader says about the store it reads.
public struct StoreInfo: Sendable, Hashable {
    /// The location with any password redacted.
    public var location: String
    /// The layout's name, e.g. `waku`.
    public var layout: String

    public init(location: String, layout: String) {
        self.location = location
        self.layout = layout
    }
}

/// Read-only access to an event store. Every paged read is keyset-paged (never `OFFSET`), so a page
/// costs the same at the start and at the end of a store of any size. Adapters never write.
public protocol StoreReader: Sendable {
    var info: StoreInfo { get }

    /// The highest global position present, events of deleted streams included; -1 when empty.
    func head() async throws -> GlobalPosition
    func streams(_ query: StreamQuery) async throws -> [StreamSummary]
    func stream(id: String) async throws -> StreamSummary?
    func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent]
    func log(_ query: LogQuery) async throws -> [RecordedEvent]
    /// The event at a global position, visible or not; nil when no row holds it.
    func event(at position: GlobalPosition) async throws -> RecordedEvent?
    func checkpoints() async throws -> [Checkpoint]
    func leases() async throws -> [Lease]
    func snapshots(after streamId: String?, limit: Int) async throws -> [Snapshot]
    /// Runs of positions in `window` that no visible event holds, ascending, at most `limit` runs.
    func gaps(in window: ClosedRange<GlobalPosition>, limit: Int) async throws -> [Gap]
    /// The same, and with `includeOrphans` also the events whose stream has no row (waku never writes
    /// them, but nothing stops another writer): finding those costs a check per event in the window.
    func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap]
    /// Visible events after `checkpoint` (optionally of some types), counted up to `cap`.
    func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount
}

extension StoreReader {
    /// Readers that cannot tell orphans apart answer without them.
    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        try await gaps(in: window, limit: limit)
    }
}
