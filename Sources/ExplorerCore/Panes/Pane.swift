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

    public init(text: String, isError: Bool) {
        self.text = text
        self.isError = isError
    }
}

/// What the explorer tells a pane (bubbletea's messages). The parent routes them by focus in
/// one place (`ExplorerState.route`); results and failures go to every pane, and each keeps
/// only those whose request id it is waiting for.
public enum PaneMessage: Sendable, Hashable {
    case key(Key)
    case loaded(id: Int, QueryResult)
    case failed(id: Int)
    case slow(id: Int)
    /// The pane was switched to (Tab, 1–5).
    case shown
    /// Time passed while the pane is shown.
    case tick
    case resized
    /// `/TEXT` then Enter: search the loaded rows.
    case search(String)
    /// `n` / `N`: the next or previous match.
    case step(forward: Bool)
}

/// What a pane asks of the explorer besides effects: moving between panes.
public enum PaneCommand: Sendable, Hashable {
    case effect(Effect)
    /// Focus another pane as it is (Esc), without loading it.
    case focus(PaneID)
    /// Show the Events pane on a source, at a position.
    case open(EventSource, at: EventsPane.Target)
    /// Show one event in the Detail pane.
    case show(RecordedEvent)
    /// Step the Events pane's selection by this many rows and show that event in Detail.
    case stepEvent(Int)
    /// Ask to rebuild a projection (`R`): the explorer opens the confirmation.
    case rebuild(String)
}

/// The explorer-wide facts a pane reads, and the two it may change: the message line and the
/// request counter (every query gets a fresh id).
public struct PaneContext: Sendable, Hashable {
    public let layout: Layout
    public let now: Timestamp
    public let follow: Bool
    public let absoluteTimes: Bool
    /// Gaps younger than this may still fill (SPEC §5).
    public let gapTimeout: Double
    /// The session's one gap tracker: the Gaps and Projections panes age gaps the same way.
    public var gaps: GapTracker
    public var message: Message?
    public private(set) var nextRequestID: Int
    /// The store being read, so a pane can ask what its layout supports (`capabilities`, `lacking`).
    public internal(set) var info: StoreInfo?
    /// The zone absolute times are shown in (`Z` switches between UTC and the local zone).
    public internal(set) var zone = ClockZone.utc
    /// The head the status line shows (the latest poll, or a newer event read since).
    public internal(set) var head: GlobalPosition?
    /// The library's visibility horizon, on stores that have one (see `ExplorerState.horizon`).
    public internal(set) var horizon: VisibilityHorizon?
    /// The event types projections take, where the config says: pending counts use them.
    public let projectionTypes: [String: Set<String>]

    public init(layout: Layout, now: Timestamp, follow: Bool, absoluteTimes: Bool, gapTimeout: Double, gaps: GapTracker,
                message: Message?, nextRequestID: Int, projectionTypes: [String: Set<String>] = [:]) {
        self.projectionTypes = projectionTypes
        self.gaps = gaps
        self.layout = layout
        self.now = now
        self.follow = follow
        self.absoluteTimes = absoluteTimes
        self.gapTimeout = gapTimeout
        self.message = message
        self.nextRequestID = nextRequestID
    }

    mutating func takeRequestID() -> Int {
        defer { nextRequestID += 1 }
        return nextRequestID
    }

    /// A query for `slot` with a fresh id, and the pending marker the pane keeps for it.
    mutating func query(_ query: Query, slot: Slot) -> (Pending, PaneCommand) {
        let id = takeRequestID()
        return (Pending(id: id), .effect(.query(id: id, slot: slot, query)))
    }

    mutating func inform(_ text: String) { message = Message(text: text, isError: false) }
    mutating func complain(_ text: String) { message = Message(text: text, isError: true) }

    /// A model timestamp as the operator asked: an age or a UTC clock (see `TimeText`).
    public func time(_ time: StoreTime?) -> String { TimeText.of(time, now: now, absolute: absoluteTimes, zone: zone) }

    /// Statuses for a snapshot, after the tracker has seen the runs each projection waits on.
    mutating func statuses(_ snapshot: ProjectionSnapshot) -> [ProjectionStatus] {
        gaps.observeWaiting(in: snapshot, now: now)
        return ProjectionStatus.all(in: snapshot, gaps: gaps, now: now, thresholds: .init(gapTimeout: gapTimeout))
    }

    public func timeColumn(_ title: String, priority: Int) -> Column {
        TimeText.column(title, absolute: absoluteTimes, priority: priority, zone: zone)
    }
}

/// One pane of the explorer: its own state, keys, results, title and view.
public protocol Pane: Sendable, Hashable {
    /// The query this pane waits for, if any (its spinner shows when it is slow).
    var pending: Pending? { get }
    mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand]
    func title(_ context: PaneContext) -> String
    /// Key hints for the line under the pane.
    var hints: [String] { get }
    func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext)
    /// The event `y` copies when this pane is focused.
    var selectedEvent: RecordedEvent? { get }
}

extension Pane {
    public var selectedEvent: RecordedEvent? { nil }
}

extension Pending? {
    /// Clears or marks the pending query a failure or a slow report is about.
    mutating func note(_ message: PaneMessage) {
        switch message {
        case .failed(let id) where self?.id == id: self = nil
        case .slow(let id) where self?.id == id: self?.slow = true
        default: break
        }
    }
}
