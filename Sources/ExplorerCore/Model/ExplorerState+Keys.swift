import EventStore

/// Keys that mean the same in every pane; the rest go to the focused pane.
extension ExplorerState {
    mutating func handleKey(_ key: Key) -> [Effect] {
        // Ctrl-C quits from anywhere, help and the input line included.
        if key == .control("c") { return quitNow() }
        if showHelp { return helpKey(key) }
        if input != nil { return inputKey(key) }
        switch key {
        case .char("q"):
            return quitNow()
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
        case .char("n"): return route(.step(forward: true), to: focus)
        case .char("N"): return route(.step(forward: false), to: focus)
        case .control("l"):
            message = nil
            return []
        case .enter:
            return route(.key(key), to: focus)
        default:
            message = nil
            return route(.key(key), to: focus)
        }
    }

    mutating func quitNow() -> [Effect] {
        quit = true
        return [.quit]
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

    mutating func toggleFollow() -> [Effect] {
        follow.toggle()
        guard follow else {
            message = Message(text: "stopped following the head", isError: false)
            return []
        }
        message = Message(text: "following the head", isError: false)
        return withContext { state, context in state.events.startFollowing(&context) }
    }

    mutating func copyEvent() -> [Effect] {
        guard let event = pane(focus).selectedEvent else {
            message = Message(text: "no event to copy: select one in Events or Detail", isError: true)
            return []
        }
        message = Message(text: "copied event \(event.globalPosition) as JSON (OSC 52)", isError: false)
        return [.copyToClipboard(event.json.pretty)]
    }
}
