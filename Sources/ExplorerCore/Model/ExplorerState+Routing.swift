/// The one place that knows which pane is which: messages go to a pane by id, and the commands
/// panes hand back are carried out here.
extension ExplorerState {
    /// A pane as a value, for its title, view, hints and pending query.
    public func pane(_ id: PaneID) -> any Pane {
        switch id {
        case .streams: streams
        case .events: events
        case .detail: detail
        case .projections: projections
        case .gaps: gaps
        case .deadLetters: deadLetters
        }
    }

    /// Sends a message to one pane and carries out what it asks for.
    mutating func route(_ message: PaneMessage, to id: PaneID) -> [Effect] {
        var context = self.context
        let commands: [PaneCommand]
        switch id {
        case .streams: commands = streams.update(message, &context)
        case .events: commands = events.update(message, &context)
        case .detail: commands = detail.update(message, &context)
        case .projections: commands = projections.update(message, &context)
        case .gaps: commands = gaps.update(message, &context)
        case .deadLetters: commands = deadLetters.update(message, &context)
        }
        adopt(context)
        return perform(commands)
    }

    /// Sends a message to every pane (results, failures and sizes concern whichever asked).
    mutating func broadcast(_ message: PaneMessage) -> [Effect] {
        PaneID.allCases.flatMap { route(message, to: $0) }
    }

    /// Runs a pane-specific step that needs the shared context (opening events, following).
    mutating func withContext(_ step: (inout ExplorerState, inout PaneContext) -> [PaneCommand]) -> [Effect] {
        var context = self.context
        let commands = step(&self, &context)
        adopt(context)
        return perform(commands)
    }

    mutating func perform(_ commands: [PaneCommand]) -> [Effect] {
        var effects: [Effect] = []
        for command in commands {
            switch command {
            case .effect(let effect):
                effects.append(effect)
            case .focus(let id):
                focus = id
            case .open(let source, let target):
                focus = .events
                effects += withContext { state, context in [state.events.open(source, at: target, &context)] }
            case .show(let event):
                detail.show(event)
                focus = .detail
            case .stepEvent(let delta):
                // J/K in Detail walk the rows of the Events pane behind it, paging as it would.
                events.cursor.move(by: delta, count: events.rows.count, visible: layout.listRows)
                if events.rows.indices.contains(events.cursor.selected) { detail.show(events.rows[events.cursor.selected]) }
                effects += withContext { state, context in state.events.pageIfNeeded(&context) }
            case .rebuild(let projection):
                effects += openRebuild(projection)
            }
        }
        return effects
    }

    /// The panes this store has, in tab order: Dead letters only where the layout keeps them.
    public var panes: [PaneID] {
        PaneID.allCases.filter { $0 != .deadLetters || info.capabilities.contains(.deadLetters) }
    }

    /// The pane `steps` tabs away from the focused one.
    func pane(steppingBy steps: Int) -> PaneID {
        let list = panes
        let i = list.firstIndex(of: focus) ?? 0
        return list[((i + steps) % list.count + list.count) % list.count]
    }

    /// Switches panes, letting the pane load what it shows.
    mutating func focus(_ id: PaneID) -> [Effect] {
        // A hint (completion candidates, "following the head") is about the pane being left.
        if id != focus, message?.isError == false { message = nil }
        focus = id
        return route(.shown, to: id)
    }
}
