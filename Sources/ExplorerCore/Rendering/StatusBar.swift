import EventStore

/// The two bottom lines: key hints (or the line being typed, or a message) and the status line.
enum StatusBar {
    /// As many whole hints as fit in `width`, two spaces apart.
    static func fitting(_ hints: [String], width: Int) -> String {
        var line = ""
        for hint in hints {
            let candidate = line.isEmpty ? hint : line + "  " + hint
            if candidate.count > width { break }
            line = candidate
        }
        return line
    }

    static func drawHints(_ state: ExplorerState, into grid: inout Grid, y: Int) {
        if let input = state.input {
            let prompt: String
            switch input.kind {
            case .command: prompt = ":"
            case .search(.streams): prompt = "prefix /"
            case .search: prompt = "search /"
            }
            let used = grid.put(prompt + input.text, x: 0, y: y, style: Style(.text, bold: true))
            grid.put("█", x: used, y: y, style: Style(.muted))
            if let message = state.message, used + 3 < grid.width {
                grid.put(message.text, x: used + 3, y: y, style: Style(message.isError ? .error : .muted))
            }
        } else if let confirmation = state.confirmation {
            let hints = ["type \(confirmation.projection) then Enter to rebuild", "Esc cancels"]
            grid.put(fitting(hints, width: grid.width), x: 0, y: y, style: Style(.warning))
        } else if let message = state.message {
            grid.put(message.text, x: 0, y: y, style: Style(message.isError ? .error : .text, bold: message.isError))
        } else {
            let hints = state.showHelp ? ["Esc close help", "j/k scroll"]
                : state.showLog ? ["Esc close (the command goes on)", "x stop it", "j/k scroll", "G follow"]
                : state.pane(state.focus).hints
            grid.put(fitting(hints, width: grid.width), x: 0, y: y, style: Style(.muted))
        }
    }

    static func drawStatus(_ state: ExplorerState, into grid: inout Grid, y: Int) {
        var x = grid.put("READ-ONLY", x: 0, y: y, style: Style(.warning, bold: true))
        let head = state.head.map { $0 < 0 ? "empty" : String($0) } ?? "…"
        // The log's own order key is no position: such a layout shows no head number.
        let headText = state.info.capabilities.contains(.globalPositions) ? "head \(head)" : "no global positions"
        let followText = state.follow ? state.events.followWord : "follow off"
        // An outage takes the follow word's place: what the head shows may be old.
        var parts = [(state.info.layout.rawValue, Style(.text)), (headText, Style(.text))]
        // What the library's own readers cannot see yet, beside the head it qualifies.
        if let horizon = state.horizon, let word = horizon.statusWord {
            parts.append((word, Style(horizon.isStalledByRestore ? .error : .warning, bold: true)))
        }
        let liveStyle = state.reconnecting != nil ? Style(.warning, bold: true) : state.follow ? Style(.ok, bold: true) : Style(.text)
        parts += [(state.reconnecting?.word(now: state.now) ?? followText, liveStyle), (state.info.location, Style(.text))]
        for (part, style) in parts {
            x += grid.put(" │ ", x: x, y: y, style: Style(.border))
            x += grid.put(part, x: x, y: y, style: style)
        }
    }
}
