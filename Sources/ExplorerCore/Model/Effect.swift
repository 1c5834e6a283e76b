import EventStore

/// Which pane a query fills. A newer query for the same slot supersedes (cancels) the older one.
public enum Slot: String, Sendable, Hashable, CaseIterable {
    case head, streams, streamCount, events, projections, gaps, completion, rebuildImpact, deadLetters, jump
    /// The library's visibility horizon (eventsource-py on PostgreSQL), read beside the head.
    case horizon
    /// The event Detail jumps to (`c`, by causation id).
    case detail
}

/// Where the Events pane reads: the global log (optionally of some types) or one stream.
public enum EventSource: Sendable, Hashable {
    case log(types: Set<String>)
    case stream(String)

    public static let globalLog = EventSource.log(types: [])
}

/// Where an events page starts: a log cursor for the log, a stream position (as a cursor) for a stream.
public enum EventAnchor: Sendable, Hashable {
    /// Rows after this cursor, ascending.
    case after(LogCursor)
    /// Rows before this cursor, nearest first (returned ascending by the executor).
    case before(LogCursor)
}

/// A store read the runner performs, off the input loop.
public enum Query: Sendable, Hashable {
    case head
    /// The rows the library's own readers cannot see yet (`VisibilityHorizonReader`).
    case horizon
    case streams(StreamQuery)
    /// How many streams a filter matches, up to a cap.
    case countStreams(StreamQuery.Filter)
    /// Completion candidates from the store's indexes: stream ids or event types with a prefix.
    case completeStreams(prefix: String)
    case completeTypes(prefix: String)
    case events(EventSource, EventAnchor, limit: Int)
    /// Every projection's progress, from one read of the store; pending events are counted for
    /// the types a projection takes where they are known (the config's, else the runner's).
    case projections(eventTypes: [String: Set<String>])
    /// What rebuilding a projection would cost (`StoreReader.rebuildImpact(of:)`).
    case rebuildImpact(projection: String, eventTypes: Set<String>?)
    /// The gaps in the default window, with the projections' progress to say which each blocks;
    /// the cache of the last scan makes a refresh read only what is new, and the session's tracker
    /// says which runs still need dating by their events.
    case gaps(GapRunCache, GapTracker)
    /// Dead letters in id order (nil result: the store keeps none).
    case deadLetters(DeadLetterQuery)
    /// One event by its id, wherever it is in the log (a dead letter's original event, the
    /// event a causation id names).
    case eventWithId(String)
}

/// A scan of the default gap window, with what the gap tracker needs to date the runs found.
public struct GapScan: Sendable, Hashable {
    public var snapshot: ProjectionSnapshot
    public var window: ClosedRange<GlobalPosition>?
    public var runs: [Gap]
    /// The commit time of the event right after each run, where one exists.
    public var commitTimes: [GlobalPosition: Timestamp]
    /// The runs as cached for the next refresh.
    public var cache: GapRunCache
    /// The store's open writing transactions, where it can tell (PostgreSQL): what says whether a
    /// missing run may still fill. nil on stores that cannot (SQLite).
    public var writers: OpenWriters?

    public init(snapshot: ProjectionSnapshot, window: ClosedRange<GlobalPosition>?, runs: [Gap],
                commitTimes: [GlobalPosition: Timestamp], cache: GapRunCache, writers: OpenWriters? = nil) {
        self.cache = cache
        self.writers = writers
        self.snapshot = snapshot
        self.window = window
        self.runs = runs
        self.commitTimes = commitTimes
    }
}

/// What a query returned.
public enum QueryResult: Sendable, Hashable {
    case head(GlobalPosition)
    /// nil when the store has no such horizon.
    case horizon(VisibilityHorizon?)
    case streams([StreamSummary])
    case streamCount(PendingCount)
    case completions([String])
    case events([RecordedEvent])
    case projections(ProjectionSnapshot)
    case gaps(GapScan)
    /// nil when the store knows no such projection.
    case rebuildImpact(RebuildImpact?)
    case deadLetters([DeadLetter]?)
    /// nil when the store holds no event with that id.
    case eventWithId(RecordedEvent?)
}

/// Work the reducer asks for; the runner does it and feeds the outcome back as actions.
public enum Effect: Sendable, Hashable {
    case query(id: Int, slot: Slot, Query)
    /// Write text to the clipboard with OSC 52 (the backend does it; headless runs ignore it).
    case copyToClipboard(String)
    case loadTheme(String)
    /// File a `rebuild` request for a projection through the injected `CommandRequester`.
    case requestRebuild(projection: String)
    /// Run a configured rebuild command (no shell); its output and end come back as actions.
    case runCommand(run: Int, arguments: [String])
    /// Stop that command.
    case stopCommand(run: Int)
    /// Give the terminal back and stop until the shell continues the process (Ctrl-Z).
    case suspend
    /// Give the terminal to `$PAGER` on this text (`o`), and take it back when the pager ends.
    case page(String)
    case quit
}

extension Query {
    /// Runs the query against a store. Pages are always returned in ascending order.
    public func execute(on reader: any StoreReader) async throws -> QueryResult {
        switch self {
        case .head:
            return .head(try await reader.head())
        case .horizon:
            return .horizon(try await (reader as? any VisibilityHorizonReader)?.visibilityHorizon(cap: ExplorerState.horizonCap))
        case .streams(let query):
            // Pages are returned in id order, whichever way they were read.
            let page = try await reader.streams(query)
            return .streams(query.direction == .backwards ? page.reversed() : page)
        case .countStreams(let filter):
            return .streamCount(try await reader.countStreams(filter, cap: 1_000_000))
        case .completeStreams(let prefix):
            return .completions(try await reader.streams(StreamQuery(filter: .prefix(prefix), limit: 50)).map(\.id))
        case .completeTypes(let prefix):
            return .completions(try await reader.eventTypes(prefix: prefix, limit: 50))
        case .events(.log(let types), let anchor, let limit):
            let page: [RecordedEvent]
            switch anchor {
            case .after(let c): page = try await reader.log(LogQuery(anchor: .after(c), limit: limit, eventTypes: types))
            case .before(let c): page = try await reader.log(LogQuery(anchor: .before(c), limit: limit, eventTypes: types)).reversed()
            }
            // An empty first page of a type nobody wrote is a typo more often than a quiet log: say so.
            if page.isEmpty, let type = types.first, types.count == 1,
               try await !reader.eventTypes(prefix: type, limit: 1).contains(type) {
                let near = try await reader.eventTypes(prefix: String(type.prefix(3)), limit: 6)
                throw StoreError.badArgument("no events of type \(type.debugDescription)"
                    + (near.isEmpty ? "" : "; types starting \(String(type.prefix(3)).debugDescription): " + near.joined(separator: ", ")))
            }
            return .events(page)
        case .events(.stream(let id), let anchor, let limit):
            let page: [RecordedEvent]
            switch anchor {
            case .after(let c):
                page = try await reader.streamEvents(StreamEventsQuery(streamId: id, from: c.ordinal + 1, limit: limit))
            case .before(let c):
                if c.ordinal <= 0 { return .events([]) }
                let from: Int64? = c == .end ? nil : c.ordinal - 1
                page = try await reader.streamEvents(StreamEventsQuery(streamId: id, from: from, direction: .backwards, limit: limit)).reversed()
            }
            if page.isEmpty, try await reader.stream(id: id) == nil {
                let category = StreamSummary.category(of: id)
                let near = try await reader.streams(StreamQuery(filter: .prefix(category), limit: 6)).map(\.id)
                throw StoreError.unknownStream(id, suggestions: near)
            }
            return .events(page)
        case .projections(let types):
            var snapshot = try await reader.projectionProgress(ProgressRequest(eventTypes: types))
            if reader.info.capabilities.contains(.outbox) { snapshot.outbox = try await reader.outboxSummary() }
            return .projections(snapshot)
        case .deadLetters(let query):
            return .deadLetters(try await reader.deadLetters(query))
        case .eventWithId(let id):
            return .eventWithId(try await reader.event(id: id))
        case .rebuildImpact(let projection, let types):
            return .rebuildImpact(try await reader.rebuildImpact(of: projection, eventTypes: types))
        case .gaps(var cache, let tracker):
            // Only whether events are pending matters to the Gaps pane, so count to one.
            let snapshot = try await reader.projectionProgress(ProgressRequest(pendingCap: 1))
            guard let window = Gap.defaultWindow(head: snapshot.head, checkpoints: snapshot.projections.map(\.checkpoint.position)) else {
                return .gaps(GapScan(snapshot: snapshot, window: nil, runs: [], commitTimes: [:], cache: cache))
            }
            let runs = try await cache.refresh(window, reader: reader)
            let times = try await tracker.commitTimes(after: runs, head: snapshot.head, reader: reader)
            // PostgreSQL's pg_stat_activity: one cheap read, asked of the stores that can tell.
            let writers = try await (reader as? any OpenTransactionReader)?.openWriters()
            return .gaps(GapScan(snapshot: snapshot, window: window, runs: runs, commitTimes: times, cache: cache, writers: writers))
        }
    }
}
