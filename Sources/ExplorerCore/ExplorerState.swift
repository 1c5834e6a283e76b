import EventStore

/// A query in flight for a pane: its id (older results are ignored) and whether it is slow.
public struct Pending: Sendable, Hashable {
    public var id: Int
    public var slow: Bool = false
}

/// A line at the bottom of the screen: information or an error.
public struct Message: Sendable, Hashable {
    public var text: String
    public var isError: Bool
}

/// The `/` or `:` line being typed.
public struct InputLine: Sendable, Hashable {
    public enum Kind: Sendable, Hashable {
        case search(PaneID)
        case command
    }
    public var kind: Kind
    public var text: String = ""
    /// The streams prefix before typing began, restored by Esc.
    public var previousPrefix: String = ""
}

/// The Streams pane: a page of streams, the prefix filter, and whether more pages follow.
public struct StreamsPane: Sendable, Hashable {
    public var rows: [StreamSummary] = []
    public var cursor = ListCursor()
    public var prefix = ""
    public var hasMore = false
    public var pending: Pending?
    public var appending = false
    public var loaded = false
}

/// The Events pane: a bounded window of a stream's events or the global log, paged both ways.
public struct EventsPane: Sendable, Hashable {
    /// What a pending page does when it arrives.
    public enum Purpose: Sendable, Hashable {
        case replace(select: Target)
        case append
        case prepend
        /// The page before a jump target, so the target shows with what precedes it.
        case context
    }
    public enum Target: Sendable, Hashable {
        case first, last
        /// The first row at or after this position (global or stream).
        case position(Int64)
    }
    public var source: EventSource = .globalLog
    public var rows: [RecordedEvent] = []
    public var cursor = ListCursor()
    public var atStart = true
    public var atEnd = true
    public var pending: Pending?
    public var purpose: Purpose = .replace(select: .first)
    public var pendingAnchor: EventAnchor = .after(-1)
    /// Events that arrived while following but scrolled away from the bottom.
    public var newCount = 0
    public var search: String?
    public var loaded = false
}

/// The Detail pane: one event, its scroll position, and the raw-view switch.
public struct DetailPane: Sendable, Hashable {
    public var event: RecordedEvent?
    public var raw = false
    public var scroll = 0
}

/// The Projections pane: statuses from the last refresh and their throughput.
public struct ProjectionsPane: Sendable, Hashable {
    public var rows: [ProjectionStatus] = []
    public var cursor = ListCursor()
    public var pending: Pending?
    public var loadedAt: Timestamp?
    /// Events per second from the checkpoint's movement between two loads.
    public var rates: [String: Double] = [:]
    public var search: String?
}

/// The Gaps pane: runs from the last refresh, with when this session first saw each.
public struct GapsPane: Sendable, Hashable {
    public var rows: [Gap] = []
    public var statuses: [ProjectionStatus] = []
    /// When this session first saw each gap (SPEC §5).
    public var firstSeen: [Gap: Timestamp] = [:]
    public var cursor = ListCursor()
    public var pending: Pending?
    public var loadedAt: Timestamp?
    public var search: String?
}

/// The whole explorer as a value: what `render` draws and `reduce` changes.
public struct ExplorerState: Sendable, Hashable {
    public var info: StoreInfo
    public var layout: Layout
    public var focus: PaneID = .streams
    public var theme: Theme
    public var themeNames: [String]
    public var now: Timestamp
    public var head: GlobalPosition?
    public var headPending: Pending?
    public var lastHeadPoll: Timestamp?
    public var follow = false
    public var absoluteTimes = false
    public var showHelp = false
    public var helpScroll = 0
    public var input: InputLine?
    public var message: Message?
    public var quit = false
    public var tickCount = 0
    /// Gaps younger than this may still fill (SPEC §5, waku's default 10 s).
    public var gapTimeout: Double
    public var nextRequestID = 1

    public var streams = StreamsPane()
    public var events = EventsPane()
    public var detail = DetailPane()
    public var projections = ProjectionsPane()
    public var gaps = GapsPane()

    public init(info: StoreInfo, width: Int, height: Int, theme: Theme = .monochrome,
                themeNames: [String] = EmbeddedThemes.all.map(\.name), now: Timestamp, gapTimeout: Double = 10) {
        self.info = info
        self.layout = Layout(width: width, height: height)
        self.theme = theme
        self.themeNames = themeNames
        self.now = now
        self.gapTimeout = gapTimeout
    }

    mutating func takeRequestID() -> Int {
        defer { nextRequestID += 1 }
        return nextRequestID
    }

    /// Whether any pane is waiting on a query (the snapshot command waits for none).
    public var isLoading: Bool {
        headPending != nil || streams.pending != nil || events.pending != nil
            || projections.pending != nil || gaps.pending != nil
    }
}
