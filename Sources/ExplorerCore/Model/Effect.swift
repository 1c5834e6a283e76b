import EventStore

/// Which pane a query fills. A newer query for the same slot supersedes (cancels) the older one.
public enum Slot: String, Sendable, Hashable, CaseIterable {
    case head, streams, events, projections, gaps
}

/// Where the Events pane reads: the global log (optionally of some types) or one stream.
public enum EventSource: Sendable, Hashable {
    case log(types: Set<String>)
    case stream(String)

    public static let globalLog = EventSource.log(types: [])
}

/// An events page position: global positions for the log, stream positions for a stream.
public enum EventAnchor: Sendable, Hashable {
    /// Rows after this position, ascending.
    case after(Int64)
    /// Rows before this position, nearest first (returned ascending by the executor).
    case before(Int64)
}

/// A store read the runner performs, off the input loop.
public enum Query: Sendable, Hashable {
    case head
    case streams(StreamQuery)
    case events(EventSource, EventAnchor, limit: Int)
    case projections(gapTimeout: Double, now: Timestamp)
    /// The gaps in the default window, with projection statuses to say which each blocks.
    case gaps(gapTimeout: Double, now: Timestamp)
}

/// What a query returned.
public enum QueryResult: Sendable, Hashable {
    case head(GlobalPosition)
    case streams([StreamSummary])
    case events([RecordedEvent])
    case projections([ProjectionStatus])
    case gaps([Gap], [ProjectionStatus])
}

/// Work the reducer asks for; the runner does it and feeds the outcome back as actions.
public enum Effect: Sendable, Hashable {
    case query(id: Int, slot: Slot, Query)
    /// Write text to the clipboard with OSC 52 (the backend does it; headless runs ignore it).
    case copyToClipboard(String)
    case loadTheme(String)
    case quit
}

extension Query {
    /// Runs the query against a store. Pages are always returned in ascending order.
    public func execute(on reader: any StoreReader) async throws -> QueryResult {
        switch self {
        case .head:
            return .head(try await reader.head())
        case .streams(let query):
            return .streams(try await reader.streams(query))
        case .events(.log(let types), let anchor, let limit):
            switch anchor {
            case .after(let p):
                return .events(try await reader.log(LogQuery(anchor: .after(p), limit: limit, eventTypes: types)))
            case .before(let p):
                return .events(try await reader.log(LogQuery(anchor: .before(p), limit: limit, eventTypes: types)).reversed())
            }
        case .events(.stream(let id), let anchor, let limit):
            switch anchor {
            case .after(let p):
                return .events(try await reader.streamEvents(StreamEventsQuery(streamId: id, from: p + 1, limit: limit)))
            case .before(let p):
                if p <= 0 { return .events([]) }
                let from: Int64? = p == .max ? nil : p - 1
                return .events(try await reader.streamEvents(
                    StreamEventsQuery(streamId: id, from: from, direction: .backwards, limit: limit)).reversed())
            }
        case .projections(let timeout, let now):
            return .projections(try await reader.projectionStatuses(now: now, thresholds: .init(gapTimeout: timeout)))
        case .gaps(let timeout, let now):
            let statuses = try await reader.projectionStatuses(now: now, thresholds: .init(gapTimeout: timeout))
            // The statuses carry the checkpoints and the head; ask for the head only when there are none.
            let head = if let known = statuses.first?.head { known } else { try await reader.head() }
            guard let window = Gap.defaultWindow(head: head, checkpoints: statuses.map(\.checkpoint.position)) else {
                return .gaps([], statuses)
            }
            return .gaps(try await reader.gaps(in: window, limit: 1000), statuses)
        }
    }
}
