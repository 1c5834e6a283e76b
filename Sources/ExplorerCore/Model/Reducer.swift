import EventStore

/// The explorer's update function: a state and an action give a new state and the effects to run.
public func reduce(_ state: ExplorerState, _ action: Action) -> (ExplorerState, [Effect]) {
    var next = state
    let effects = next.apply(action)
    return (next, effects)
}

extension ExplorerState {
    /// How often the head is polled while following, and otherwise.
    public static let followPoll = 0.25
    public static let idlePoll = 1.0

    /// Applies one action in place and returns the effects it asks for.
    public mutating func apply(_ action: Action) -> [Effect] {
        let selected = events.selectedEvent
        let effects = handle(action)
        detailFollowsCursor(from: selected)
        return effects
    }

    private mutating func handle(_ action: Action) -> [Effect] {
        switch action {
        case .start:
            let first = [requestHead()] + pollHorizon() + withContext { state, context in state.streams.start(&context) }
            guard opening == .followingLog else { return first }
            follow = true
            return first + perform([.open(.globalLog, at: .last)])
        case .key(let key):
            return handleKey(key)
        case .resize(let width, let height):
            layout = Layout(width: width, height: height)
            return broadcast(.resized)
        case .tick(let time):
            now = time
            tickCount += 1
            // While the store is unreachable only the probe reads; the panes wait for its end.
            if reconnecting != nil { return probeStore() }
            return pollHead() + pollHorizon() + route(.tick, to: focus)
        case .loaded(let id, .head(let position)):
            clearFailure(of: slot(waitingFor: id))
            let received = receiveHead(id: id, position)
            return received + endOutage()
        case .loaded(let id, .horizon(let horizon)):
            clearFailure(of: slot(waitingFor: id))
            if horizonPending?.id == id {
                horizonPending = nil
                self.horizon = horizon
            }
            return endOutage()
        case .loaded(let id, .completions(let candidates)):
            return receiveCompletions(id: id, candidates)
        case .loaded(let id, .rebuildImpact(let impact)):
            return receiveImpact(id: id, impact)
        case .loaded(let id, let result):
            clearFailure(of: slot(waitingFor: id))
            let resumed = endOutage()
            // The status line never trails the rows on screen: a page read after the last head poll
            // can hold newer events than that poll saw.
            if case .events(let page) = result, info.capabilities.contains(.globalPositions),
               let newest = page.map(\.globalPosition).max(), let known = head, newest > known {
                head = newest
            }
            // Nor does it trail the head a projections snapshot was read at.
            if case .projections(let snapshot) = result, let known = head, snapshot.head > known { head = snapshot.head }
            return broadcast(.loaded(id: id, result)) + resumed
        case .disconnected(let id, let text):
            return lostStore(id: id, text)
        case .failed(let id, let text):
            // The confirmation shows a failed impact read itself, and stays open.
            if impactFailed(id: id, text) { return [] }
            let slot = slot(waitingFor: id)
            if headPending?.id == id { headPending = nil }
            if horizonPending?.id == id { horizonPending = nil }
            let effects = broadcast(.failed(id: id))
            message = Message(text: text, isError: true)
            failure = slot.map { Failure(slot: $0, message: message!) }
            return effects
        case .slow(let id):
            return broadcast(.slow(id: id))
        case .rebuildRequested(let projection, let requestID):
            return rebuildRequested(projection, requestID: requestID)
        case .rebuildRequestFailed(let projection, let text):
            return rebuildRequestFailed(projection, text)
        case .commandOutput(let run, let lines):
            return commandOutput(run: run, lines)
        case .commandEnded(let run, let exit):
            return commandEnded(run: run, exit)
        case .pagerFailed(let text):
            message = Message(text: text, isError: true)
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

    // MARK: query failures

    /// The slot whose current query has this id (a stale id has none).
    func slot(waitingFor id: Int) -> Slot? {
        if headPending?.id == id { return .head }
        if horizonPending?.id == id { return .horizon }
        let panes: [(Pending?, Slot)] = [(streams.pending, .streams), (events.pending, .events),
                                         (projections.pending, .projections), (gaps.pending, .gaps),
                                         (deadLetters.listing, .deadLetters), (deadLetters.jumping, .jump), (detail.pending, .detail)]
        return panes.first { $0.0?.id == id }?.1
    }

    /// A query of `slot` succeeded: the error its last failure left on the message line is gone
    /// (unless something else has been said since).
    mutating func clearFailure(of slot: Slot?) {
        guard let slot, let failure, failure.slot == slot else { return }
        if message == failure.message { message = nil }
        self.failure = nil
    }

    // MARK: the head

    /// Polls the head, faster while following.
    mutating func pollHead() -> [Effect] {
        let interval = follow ? Self.followPoll : Self.idlePoll
        guard headPending == nil, lastHeadPoll.map({ now.seconds(since: $0) >= interval * 0.9 }) ?? true else { return [] }
        return [requestHead()]
    }

    mutating func requestHead() -> Effect {
        var context = self.context
        let id = context.takeRequestID()
        adopt(context)
        headPending = Pending(id: id)
        lastHeadPoll = now
        return .query(id: id, slot: .head, .head)
    }

    /// How often the visibility horizon is read: a count, so slower than the head.
    public static let horizonPoll = 5.0
    /// Counting rows behind the horizon stops past this many.
    public static let horizonCap: Int64 = 100_000

    /// Reads the horizon every `horizonPoll` seconds, on stores that have one.
    mutating func pollHorizon() -> [Effect] {
        guard info.capabilities.contains(.visibilityHorizon), horizonPending == nil,
              lastHorizonPoll.map({ now.seconds(since: $0) >= Self.horizonPoll * 0.9 }) ?? true else { return [] }
        var context = self.context
        let id = context.takeRequestID()
        adopt(context)
        horizonPending = Pending(id: id)
        lastHorizonPoll = now
        return [.query(id: id, slot: .horizon, .horizon)]
    }

    mutating func receiveHead(id: Int, _ position: GlobalPosition) -> [Effect] {
        guard headPending?.id == id else { return [] }
        headPending = nil
        let previous = head
        head = position
        guard follow, previous.map({ position > $0 }) ?? true else { return [] }
        return withContext { state, context in state.events.headMoved(to: position, &context) }
    }
}
