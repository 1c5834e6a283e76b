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
    /// The last id of the previous page: forwards, only ids that sort after it; backwards, before it.
    public var after: String?
    public var limit: Int
    /// Backwards walks from the end of the id order (nil `after`) towards the start, nearest first.
    public var direction: Direction

    public init(filter: Filter = .none, after: String? = nil, limit: Int = 50, direction: Direction = .forwards) {
        self.filter = filter
        self.after = after
        self.limit = limit
        self.direction = direction
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

/// Where a read of the global log starts: opaque to callers, meaningful to the adapter that made
/// it. A layout with global positions uses the position; one without uses its own ordering key
/// (`rowid`, or `(timestamp, id)`), so every layout pages its log through the same protocol.
public struct LogCursor: Sendable, Hashable {
    /// The global position, or the adapter's own ordinal (`rowid`, epoch microseconds).
    package var ordinal: Int64
    /// A tie-break for layouts whose ordinal is not unique (the id of `(timestamp, id)`).
    package var key: String?

    package init(ordinal: Int64, key: String? = nil) {
        self.ordinal = ordinal
        self.key = key
    }

    /// The cursor of a global position (layouts with `.globalPositions`).
    public static func position(_ position: GlobalPosition) -> LogCursor { LogCursor(ordinal: position) }
    /// Before the first event.
    public static let start = LogCursor(ordinal: -1)
    /// After the last event.
    public static let end = LogCursor(ordinal: .max)
}

/// The global log, keyset-paged by cursor.
public struct LogQuery: Sendable, Hashable {
    public enum Anchor: Sendable, Hashable {
        /// Events after this cursor, ascending.
        case after(LogCursor)
        /// Events before this cursor, descending (nearest first).
        case before(LogCursor)
    }
    public var anchor: Anchor
    public var limit: Int
    /// Empty = every type.
    public var eventTypes: Set<String>
    /// Show the events of soft-deleted (and row-less) streams too; projections never see them.
    public var includeHidden: Bool

    public init(anchor: Anchor = .after(.start), limit: Int = 50, eventTypes: Set<String> = [], includeHidden: Bool = false) {
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
    public var layout: StoreLayout
    public var capabilities: StoreCapabilities

    public init(location: String, layout: StoreLayout, capabilities: StoreCapabilities? = nil) {
        self.location = location
        self.layout = layout
        self.capabilities = capabilities ?? layout.capabilities
    }
}

/// Read-only access to an event store. Every paged read is keyset-paged (never `OFFSET`), so a page
/// costs the same at the start and at the end of a store of any size.
///
/// The protocol has no method that writes, and adapters open their connections read-only: a reader
/// cannot write by construction. The write side (the projection runner, the explorer's one rebuild
/// request) lives in other modules, on connections of its own.
public protocol StoreReader: Sendable {
    var info: StoreInfo { get }

    /// The highest global position present, events of deleted streams included; -1 when empty.
    func head() async throws -> GlobalPosition
    func streams(_ query: StreamQuery) async throws -> [StreamSummary]
    func stream(id: String) async throws -> StreamSummary?
    func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent]
    func log(_ query: LogQuery) async throws -> [RecordedEvent]
    /// Every event (visible or not) whose global position lies in one of `ranges`, ascending, at most
    /// `limit`: one query however many ranges, so a follower re-checks all its open holes at once.
    func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent]
    /// The event at a global position, visible or not; nil when no row holds it.
    func event(at position: GlobalPosition) async throws -> RecordedEvent?
    func checkpoints() async throws -> [Checkpoint]
    func leases() async throws -> [Lease]
    func snapshots(after streamId: String?, limit: Int) async throws -> [Snapshot]
    /// Runs of positions in `window` that no visible event holds, ascending, at most `limit` runs.
    /// With `includeOrphans`, also the events whose stream has no row (waku never writes them, but
    /// nothing stops another writer): finding those costs a check per event in the window.
    func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap]
    /// How many streams the filter matches, counted up to `cap` ("more than N" past it).
    func countStreams(_ filter: StreamQuery.Filter, cap: Int64) async throws -> PendingCount
    /// Event types that start with `prefix`, in order, at most `limit`: for completion, read
    /// through the event-type index one seek per type (never a scan of the log).
    func eventTypes(prefix: String, limit: Int) async throws -> [String]
    /// The ids of soft-deleted streams (empty for layouts without soft deletes): a change in this
    /// set is what turns visible events anywhere below the head into a `deleted` gap, or back.
    func softDeletedStreams() async throws -> Set<String>
    /// Visible events after `checkpoint` (optionally of some types), counted up to `cap`.
    func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount
    /// Every projection's progress, read from one consistent snapshot of the store, with lease
    /// expiry judged by the database's clock (waku compares `expires_at` with the server's `now()`).
    func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot
    /// The runner's status rows (`es_projection_status`), in projection-name order; nil when the
    /// store has no such table (no eventscope runner has served it: a waku app's store).
    func runnerStatuses() async throws -> [RunnerStatus]?
    /// Operator requests (`es_projection_commands`), newest first, of one projection or all, at
    /// most `limit`; nil when the store has no commands table.
    func commandRequests(projection: String?, limit: Int) async throws -> [CommandRequest]?
    /// The event with this event id, visible or not; nil when no row holds it (a dead letter's
    /// event that was deleted since, an id typed by hand).
    func event(id: String) async throws -> RecordedEvent?
    /// Dead letters (events projections set aside), in id order; nil when the layout has none.
    func deadLetters(_ query: DeadLetterQuery) async throws -> [DeadLetter]?
    /// The outbox's counts by status and its oldest pending row's age; nil when the layout has none.
    func outboxSummary() async throws -> OutboxSummary?
}

/// Defaults for the requirements added after the first adapters: a layout without the concept
/// answers nil, so an adapter written before them still conforms.
extension StoreReader {
    public func event(id: String) async throws -> RecordedEvent? { nil }
    public func deadLetters(_ query: DeadLetterQuery) async throws -> [DeadLetter]? { nil }
    public func outboxSummary() async throws -> OutboxSummary? { nil }
}

extension StoreReader {
    public func gaps(in window: ClosedRange<GlobalPosition>, limit: Int) async throws -> [Gap] {
        try await gaps(in: window, limit: limit, includeOrphans: false)
    }
}

/// A reader that can hand over a long range of the log as the store sends it, instead of page by
/// page: what `events --ndjson` and `--json` read on a server, whose next rows are then on their
/// way while the caller writes the last ones.
public protocol LogStreamingReader: StoreReader {
    /// The events `log(query)` would list for `query.limit` as large as needed, in its order, up to
    /// `query.limit`: each handed to `body` as it is read, none held. `body` returns false to stop
    /// (the rest is not read); what it throws is thrown as it is. A read that breaks after handing
    /// over events goes on after the last one, where the store allows.
    func streamLog(_ query: LogQuery, _ body: (RecordedEvent) async throws -> Bool) async throws
}
