import EventStore

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
    /// A completion asked of the store: its query, and the text it completes.
    public var completing: Completion?

    public struct Completion: Sendable, Hashable {
        public var id: Int
        public var text: String
    }
}

/// A query that failed: which slot, and the error it put on the message line.
public struct Failure: Sendable, Hashable {
    public var slot: Slot
    public var message: Message
}

/// The whole explorer as a value: what `Screen.render` draws and `reduce` changes. Each pane is a
/// sub-model; this holds what they share (size, time, follow, the head, messages, help, input).
public struct ExplorerState: Sendable, Hashable {
    public var info: StoreInfo
    public var layout: Layout
    public var focus: PaneID = .streams
    public var theme: Theme
    public var themeNames: [String]
    /// The wall-clock time of the last tick, supplied by whoever runs the explorer.
    public var now: Timestamp
    public var head: GlobalPosition?
    public var headPending: Pending?
    public var lastHeadPoll: Timestamp?
    /// The rows the library's readers cannot see yet, on stores with such a horizon (eventsource-py
    /// on PostgreSQL), from the latest poll; nil elsewhere or before the first.
    public var horizon: VisibilityHorizon?
    public var horizonPending: Pending?
    public var lastHorizonPoll: Timestamp?
    public var follow = false
    public var absoluteTimes = false
    /// The local time zone, handed in by whoever runs the explorer (the core reads no environment).
    public var localZone = ClockZone.utc
    /// Absolute times in `localZone` rather than UTC (`Z`).
    public var localTimes = false
    public var showHelp = false
    public var helpScroll = 0
    public var input: InputLine?
    public var message: Message?
    /// The last query failure and the message it showed, cleared by the next success of its slot.
    public var failure: Failure?
    /// The store's server went away and the explorer is waiting for it (nil while it answers).
    public var reconnecting: Reconnecting?
    public var quit = false
    public var tickCount = 0
    /// Gaps younger than this may still fill (SPEC §5, waku's default 10 s).
    public var gapTimeout: Double
    /// The session's one gap tracker (SPEC §5), shared by the panes through their context.
    public var gapTracker: GapTracker
    public var nextRequestID = 1

    /// What the first screen shows.
    public enum Opening: Sendable, Hashable {
        case streams
        /// The global log at the head, following it (what `eventscope demo` opens on).
        case followingLog
    }
    public var opening = Opening.streams

    public var streams = StreamsPane()
    public var events = EventsPane()
    public var detail = DetailPane()
    public var projections = ProjectionsPane()
    public var gaps = GapsPane()
    public var deadLetters = DeadLettersPane()

    /// How projections can be rebuilt from here (config, request connection), set by whoever runs the explorer.
    public var rebuildSetup = RebuildSetup()
    /// The `R` confirmation, while it is open.
    public var confirmation: RebuildConfirmation?
    /// The last configured rebuild command of the session, running or ended, and whether its log view is open.
    public var commandLog: CommandLog?
    public var showLog = false

    public init(info: StoreInfo, width: Int, height: Int, theme: Theme = .monochrome,
                themeNames: [String] = [], now: Timestamp, gapTimeout: Double = 10) {
        self.info = info
        self.layout = Layout(width: width, height: height)
        self.theme = theme
        self.themeNames = themeNames
        self.now = now
        self.gapTimeout = gapTimeout
        gapTracker = GapTracker(timeout: gapTimeout)
    }

    /// Whether any pane is waiting on a query (the snapshot command waits for none).
    public var isLoading: Bool {
        headPending != nil || horizonPending != nil || PaneID.allCases.contains { pane($0).pending != nil }
    }

    /// What the panes see of the explorer.
    public var context: PaneContext {
        var context = PaneContext(layout: layout, now: now, follow: follow, absoluteTimes: absoluteTimes, gapTimeout: gapTimeout,
                                  gaps: gapTracker, message: message, nextRequestID: nextRequestID, projectionTypes: rebuildSetup.eventTypes)
        context.info = info
        context.head = head
        context.horizon = horizon
        context.zone = localTimes ? localZone : .utc
        return context
    }

    /// Takes back what a pane changed in its context.
    mutating func adopt(_ context: PaneContext) {
        message = context.message
        nextRequestID = context.nextRequestID
        gapTracker = context.gaps
    }
}
