import EventStore

extension ExplorerState {
    mutating func handleKey(_ key: Key) -> [Effect] {
        if showHelp { return helpKey(key) }
        if input != nil { return inputKey(key) }
        switch key {
        case .char("q"):
            quit = true
            return [.quit]
        case .char("?"):
            showHelp = true
            helpScroll = 0
            return []
        case .tab: return focus(focus.next)
        case .backTab: return focus(focus.previous)
        case .char(let c) where ("1"..."5").contains(c):
            return focus(PaneID(rawValue: Int(String(c))! - 1)!)
        case .char("/"):
            input = InputLine(kind: .search(focus), previousPrefix: streams.prefix)
            if focus == .streams { input?.text = streams.prefix }
            return []
        case .char(":"):
            input = InputLine(kind: .command)
            return []
        case .char("t"):
            absoluteTimes.toggle()
            return []
        case .char("f"):
            return toggleFollow()
        case .char("y"):
            return copyEvent()
        case .enter: return drillIn()
        case .escape: return back()
        case .char("n"): return step(forward: true)
        case .char("N"): return step(forward: false)
        case .control("l"):
            message = nil
            return []
        default:
            message = nil
            return focus == .detail ? scrollDetail(key) : moveSelection(key)
        }
    }

    /// Switches panes, loading a pane the first time it is shown.
    mutating func focus(_ pane: PaneID) -> [Effect] {
        focus = pane
        switch pane {
        case .events where !events.loaded && events.pending == nil: return [openEvents(events.source)]
        case .projections where projections.pending == nil: return [loadProjections()]
        case .gaps where gaps.pending == nil: return [loadGaps()]
        default: return []
        }
    }

    mutating func helpKey(_ key: Key) -> [Effect] {
        switch key {
        case .escape, .char("?"), .char("q"), .enter: showHelp = false
        case .down, .char("j"): helpScroll += 1
        case .up, .char("k"): helpScroll = max(0, helpScroll - 1)
        case .pageDown: helpScroll += layout.textRows
        case .pageUp: helpScroll = max(0, helpScroll - layout.textRows)
        case .home, .char("g"): helpScroll = 0
        default: break
        }
        helpScroll = min(helpScroll, max(0, HelpContent.lines.count - layout.textRows))
        return []
    }

    /// The movement a key asks for in a list of `visible` rows, or nil when it is not a movement.
    func movement(_ key: Key, current: Int, count: Int, visible: Int) -> Int? {
        switch key {
        case .down, .char("j"): current + 1
        case .up, .char("k"): current - 1
        case .pageDown, .control("d"), .char(" "): current + visible
        case .pageUp, .control("u"): current - visible
        case .home, .char("g"): 0
        case .end, .char("G"): count - 1
        default: nil
        }
    }

    mutating func moveSelection(_ key: Key) -> [Effect] {
        let visible = layout.listRows
        switch focus {
        case .streams:
            guard let target = movement(key, current: streams.cursor.selected, count: streams.rows.count, visible: visible)
            else { return [] }
            streams.cursor.select(target, count: streams.rows.count, visible: visible)
            return pageStreamsIfNeeded()
        case .events:
            if key == .end || key == .char("G"), !events.atEnd {
                return [loadEvents(.before(.max), purpose: .replace(select: .last))]
            }
            if key == .home || key == .char("g"), !events.atStart {
                return [loadEvents(.after(-1), purpose: .replace(select: .first))]
            }
            guard let target = movement(key, current: events.cursor.selected, count: events.rows.count, visible: visible)
            else { return [] }
            events.cursor.select(target, count: events.rows.count, visible: visible)
            if events.cursor.selected == events.rows.count - 1, events.atEnd { events.newCount = 0 }
            return pageEventsIfNeeded()
        case .projections:
            if let target = movement(key, current: projections.cursor.selected, count: projections.rows.count, visible: visible) {
                projections.cursor.select(target, count: projections.rows.count, visible: visible)
            }
            return []
        case .gaps:
            if let target = movement(key, current: gaps.cursor.selected, count: gaps.rows.count, visible: visible) {
                gaps.cursor.select(target, count: gaps.rows.count, visible: visible)
            }
            return []
        case .detail:
            return []
        }
    }

    mutating func scrollDetail(_ key: Key) -> [Effect] {
        if key == .char("r") {
            detail.raw.toggle()
            detail.scroll = 0
            return []
        }
        let total = DetailContent.lines(for: detail.event, raw: detail.raw, now: now).count
        let rows = layout.textRows
        let maxScroll = max(0, total - rows)
        guard let target = movement(key, current: detail.scroll, count: maxScroll + 1, visible: rows) else { return [] }
        detail.scroll = min(max(0, target), maxScroll)
        return []
    }

    mutating func drillIn() -> [Effect] {
        switch focus {
        case .streams:
            guard streams.rows.indices.contains(streams.cursor.selected) else { return [] }
            focus = .events
            return [openEvents(.stream(streams.rows[streams.cursor.selected].id))]
        case .events:
            guard events.rows.indices.contains(events.cursor.selected) else { return [] }
            detail.event = events.rows[events.cursor.selected]
            detail.scroll = 0
            focus = .detail
            return []
        case .projections:
            // The events the projection has still to process start right after its checkpoint.
            guard projections.rows.indices.contains(projections.cursor.selected) else { return [] }
            focus = .events
            return [openEvents(.globalLog, at: .position(projections.rows[projections.cursor.selected].checkpoint.position + 1))]
        case .gaps:
            guard gaps.rows.indices.contains(gaps.cursor.selected) else { return [] }
            focus = .events
            return [openEvents(.log(types: []), at: .position(gaps.rows[gaps.cursor.selected].from))]
        case .detail:
            return []
        }
    }

    mutating func back() -> [Effect] {
        message = nil
        switch focus {
        case .detail: focus = .events
        case .events:
            if events.search != nil { events.search = nil } else if case .stream = events.source { focus = .streams }
        case .projections: projections.search = nil
        case .gaps: gaps.search = nil
        case .streams:
            if !streams.prefix.isEmpty {
                streams.prefix = ""
                return [loadStreams(append: false)]
            }
        }
        return []
    }

    mutating func toggleFollow() -> [Effect] {
        follow.toggle()
        guard follow else {
            message = Message(text: "stopped following the head", isError: false)
            return []
        }
        message = Message(text: "following the head", isError: false)
        events.newCount = 0
        if !events.loaded { return [openEvents(events.source, at: .last)] }
        if !events.atEnd { return [loadEvents(.before(.max), purpose: .replace(select: .last))] }
        events.cursor.select(events.rows.count - 1, count: events.rows.count, visible: layout.listRows)
        // Catch up with anything that arrived since this page was read.
        return [loadEvents(.after(eventAnchor(events.rows.last) ?? -1), purpose: .append)]
    }

    mutating func copyEvent() -> [Effect] {
        let event: RecordedEvent?
        switch focus {
        case .detail: event = detail.event
        case .events: event = events.rows.indices.contains(events.cursor.selected) ? events.rows[events.cursor.selected] : nil
        default: event = nil
        }
        guard let event else {
            message = Message(text: "no event to copy: select one in Events or Detail", isError: true)
            return []
        }
        message = Message(text: "copied event \(event.globalPosition) as JSON (OSC 52)", isError: false)
        return [.copyToClipboard(event.json.pretty)]
    }
}
