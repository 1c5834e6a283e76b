import EventStore

/// Keys that mean the same in every pane; the rest go to the focused pane.
extension ExplorerState {
    mutating func handleKey(_ key: Key) -> [Effect] {
        // Ctrl-C quits from anywhere, help and the input line included.
        if key == .control("c") { return quitNow() }
        // Ctrl-Z suspends from anywhere too; the state stays as it is for the return.
        if key == .control("z") { return [.suspend] }
        if confirmation != nil { return confirmationKey(key) }
        if showHelp { return helpKey(key) }
        if showLog { return logKey(key) }
        if input != nil { return inputKey(key) }
        switch key {
        case .char("q"):
            return quitNow()
        case .char("?"):
            showHelp = true
            helpScroll = 0
            return []
        case .tab: return focus(pane(steppingBy: 1))
        case .backTab: return focus(pane(steppingBy: -1))
        case .char(let c) where ("1"..."6").contains(c):
            let id = PaneID(rawValue: Int(String(c))! - 1)!
            guard panes.contains(id) else {
                message = Message(text: info.lacking(.deadLetters).map { "no Dead letters pane: " + $0 } ?? "no such pane", isError: false)
                return []
            }
            return focus(id)
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
        case .char("Z"):
            return toggleZone()
        case .char("c") where focus == .events:
            return followCause()
        case .char("o"):
            return pageEvent()
        case .char("f"):
            return toggleFollow()
        case .char("y"):
            return copyEvent()
        case .char("L"):
            return openLog()
        case .char("R") where focus != .projections:
            message = Message(text: "R rebuilds the selected projection: press 4 for Projections", isError: false)
            return []
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
        case .down, .char("j"), .wheelDown: helpScroll += 1
        case .up, .char("k"), .wheelUp: helpScroll = max(0, helpScroll - 1)
        case .pageDown, .char(" "): helpScroll += HelpOverlay.rows(layout)
        case .pageUp: helpScroll = max(0, helpScroll - HelpOverlay.rows(layout))
        case .home, .char("g"): helpScroll = 0
        case .end, .char("G"): helpScroll = HelpContent.lines.count
        default: break
        }
        helpScroll = min(helpScroll, max(0, HelpContent.lines.count - HelpOverlay.rows(layout)))
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

    /// The largest JSON `y` copies. Terminals cap OSC 52 (xterm, tmux and others somewhere from
    /// 74 kB to 1 MB of base64) and drop a longer sequence silently, so above this the explorer
    /// says so instead of claiming a copy that never arrives.
    public static let clipboardLimit = 100_000

    mutating func copyEvent() -> [Effect] {
        guard let event = pane(focus).selectedEvent else {
            message = Message(text: "no event to copy: select one in Events or Detail", isError: true)
            return []
        }
        let json = event.json.pretty
        let size = json.utf8.count
        guard size <= Self.clipboardLimit else {
            message = Message(text: "event \(event.globalPosition) is \(Self.byteCount(size)): too large for the clipboard (OSC 52); "
                + "use `eventscope event \(info.location) \(event.globalPosition) --json`", isError: true)
            return []
        }
        message = Message(text: "copied event \(event.globalPosition) as JSON (OSC 52)", isError: false)
        return [.copyToClipboard(json)]
    }

    /// A size as people read it: `812 B`, `97.7 kB`, `10.2 MB` (powers of 1,000).
    static func byteCount(_ bytes: Int) -> String {
        func oneDecimal(_ value: Double) -> String {
            let tenths = Int((value * 10).rounded())
            return "\(tenths / 10).\(tenths % 10)"
        }
        if bytes < 1_000 { return "\(bytes) B" }
        if bytes < 1_000_000 { return oneDecimal(Double(bytes) / 1_000) + " kB" }
        return oneDecimal(Double(bytes) / 1_000_000) + " MB"
    }
}
