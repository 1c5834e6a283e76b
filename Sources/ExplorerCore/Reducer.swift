import EventStore

/// The explorer's update function: a state and an action give a new state and the effects to run.
public func reduce(_ state: ExplorerState, _ action: Action) -> (ExplorerState, [Effect]) {
    var next = state
    let effects = next.apply(action)
    return (next, effects)
}

extension ExplorerState {
    public static let streamsPage = 200
    public static let eventsPage = 200
    /// The most events kept loaded; paging further drops rows at the other end.
    public static let maxEventRows = 1000
    /// How often the head is polled while following, and otherwise.
    public static let followPoll = 0.25
    public static let idlePoll = 1.0
    /// How often the projections and gaps panes refresh while shown.
    public static let refreshInterval = 2.0

    /// Applies one action in place and returns the effects it asks for.
    public mutating func apply(_ action: Action) -> [Effect] {
        switch action {
        case .start:
            return [requestHead(), loadStreams(append: false)]
        case .key(let key):
            return handleKey(key)
        case .resize(let width, let height):
            layout = Layout(width: width, height: height)
            clampCursors()
            return []
        case .tick(let time):
            now = time
            tickCount += 1
            return periodicEffects()
        case .loaded(let id, let result):
            return receive(id: id, result)
        case .failed(let id, let text):
            clearPending(id: id)
            message = Message(text: text, isError: true)
            return []
        case .slow(let id):
            markSlow(id: id)
            return []
        case .themeLoaded(let newTheme):
            theme = newTheme
            message = Message(text: "theme \(newTheme.name)", isError: false)
            return []
        case .themeFailed(let text):
            message = Message(text: text, isError: true)
            return []
        }
    }

    mutating func clampCursors() {
        streams.cursor.clamp(count: streams.rows.count, visible: layout.listRows)
        events.cursor.clamp(count: events.rows.count, visible: layout.listRows)
        projections.cursor.clamp(count: projections.rows.count, visible: layout.listRows)
        gaps.cursor.clamp(count: gaps.rows.count, visible: layout.listRows)
    }

    // MARK: requests

    mutating func requestHead() -> Effect {
        let id = takeRequestID()
        headPending = Pending(id: id)
        lastHeadPoll = now
        return .query(id: id, slot: .head, .head)
    }

    mutating func loadStreams(append: Bool) -> Effect {
        let id = takeRequestID()
        streams.pending = Pending(id: id)
        streams.appending = append
        let after = append ? streams.rows.last?.id : nil
        let filter: StreamQuery.Filter = streams.prefix.isEmpty ? .none : .prefix(streams.prefix)
        return .query(id: id, slot: .streams, .streams(StreamQuery(filter: filter, after: after, limit: Self.streamsPage)))
    }

    mutating func loadEvents(_ anchor: EventAnchor, purpose: EventsPane.Purpose) -> Effect {
        let id = takeRequestID()
        events.pending = Pending(id: id)
        events.purpose = purpose
        events.pendingAnchor = anchor
        return .query(id: id, slot: .events, .events(events.source, anchor, limit: Self.eventsPage))
    }

    /// Points the Events pane at a source and loads its first page (or the page around a position).
    mutating func openEvents(_ source: EventSource, at target: EventsPane.Target = .first) -> Effect {
        events.source = source
        events.rows = []
        events.cursor = ListCursor()
        events.newCount = 0
        events.search = nil
        events.loaded = true
        switch target {
        case .first: return loadEvents(.after(-1), purpose: .replace(select: .first))
        case .last: return loadEvents(.before(.max), purpose: .replace(select: .last))
        case .position(let p): return loadEvents(.after(p - 1), purpose: .replace(select: .position(p)))
        }
    }

    mutating func loadProjections() -> Effect {
        let id = takeRequestID()
        projections.pending = Pending(id: id)
        return .query(id: id, slot: .projections, .projections(gapTimeout: gapTimeout, now: now))
    }

    mutating func loadGaps() -> Effect {
        let id = takeRequestID()
        gaps.pending = Pending(id: id)
        return .query(id: id, slot: .gaps, .gaps(gapTimeout: gapTimeout, now: now))
    }

    mutating func clearPending(id: Int) {
        if headPending?.id == id { headPending = nil }
        if streams.pending?.id == id { streams.pending = nil }
        if events.pending?.id == id { events.pending = nil }
        if projections.pending?.id == id { projections.pending = nil }
        if gaps.pending?.id == id { gaps.pending = nil }
    }

    mutating func markSlow(id: Int) {
        if streams.pending?.id == id { streams.pending?.slow = true }
        if events.pending?.id == id { events.pending?.slow = true }
        if projections.pending?.id == id { projections.pending?.slow = true }
        if gaps.pending?.id == id { gaps.pending?.slow = true }
    }
}
