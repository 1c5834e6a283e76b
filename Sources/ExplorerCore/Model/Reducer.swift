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
        switch action {
        case .start:
            let first = [requestHead()] + withContext { state, context in state.streams.start(&context) }
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
            return pollHead() + route(.tick, to: focus)
        case .loaded(let id, .head(let position)):
            return receiveHead(id: id, position)
        case .loaded(let id, .completions(let candidates)):
            return receiveCompletions(id: id, candidates)
        case .loaded(let id, let result):
            return broadcast(.loaded(id: id, result))
        case .failed(let id, let text):
            if headPending?.id == id { headPending = nil }
            let effects = broadcast(.failed(id: id))
            message = Message(text: text, isError: true)
            return effects
        case .slow(let id):
            return broadcast(.slow(id: id))
        case .themeLoaded(let newTheme):
            theme = newTheme
            message = Message(text: "theme \(newTheme.name)", isError: false)
            return []
        case .themeFailed(let text):
            message = Message(text: text, isError: true)
            return []
        }
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

    mutating func receiveHead(id: Int, _ position: GlobalPosition) -> [Effect] {
        guard headPending?.id == id else { return [] }
        headPending = nil
        let previous = head
        head = position
        guard follow, previous.map({ position > $0 }) ?? true else { return [] }
        return withContext { state, context in state.events.headMoved(to: position, &context) }
    }
}
