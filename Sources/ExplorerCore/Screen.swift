import Foundation
import EventStore
import TerminalText

/// Draws the whole explorer for a state: tab bar, the focused pane, hints and status line.
public enum Screen {
    public static func render(_ state: ExplorerState) -> Grid {
        let layout = state.layout
        var grid = Grid(width: layout.width, height: layout.height)
        if layout.isTooSmall {
            drawTooSmall(&grid)
            return grid
        }
        drawTabs(state, into: &grid)
        let box = (x: 0, y: layout.boxTop, width: layout.width, height: layout.boxHeight)
        var title = state.showHelp ? "Help · Esc closes" : paneTitle(state)
        if let pending = pendingOfFocus(state), pending.slow && !state.showHelp {
            title += " " + spinnerFrames[state.tickCount % spinnerFrames.count]
        }
        grid.box(x: box.x, y: box.y, width: box.width, height: box.height, style: Style(.focusedBorder),
                 title: title, titleStyle: Style(.title, bold: true))
        let inner = (x: 1, y: box.y + 1, width: layout.innerWidth, height: box.height - 2)
        if state.showHelp {
            drawLines(HelpContent.lines, scroll: state.helpScroll, into: &grid, x: inner.x + 1, y: inner.y,
                      width: inner.width - 1, height: inner.height)
        } else {
            switch state.focus {
            case .streams: StreamsView.draw(state, into: &grid, x: inner.x, y: inner.y, width: inner.width, height: inner.height)
            case .events: EventsView.draw(state, into: &grid, x: inner.x, y: inner.y, width: inner.width, height: inner.height)
            case .detail:
                let lines = DetailContent.lines(for: state.detail.event, raw: state.detail.raw, now: state.now)
                drawLines(lines, scroll: state.detail.scroll, into: &grid, x: inner.x + 1, y: inner.y,
                          width: inner.width - 1, height: inner.height)
            case .projections:
                ProjectionsView.draw(state, into: &grid, x: inner.x, y: inner.y, width: inner.width, height: inner.height)
            case .gaps: GapsView.draw(state, into: &grid, x: inner.x, y: inner.y, width: inner.width, height: inner.height)
            }
        }
        StatusBar.drawHints(state, into: &grid, y: layout.hintRow)
        StatusBar.drawStatus(state, into: &grid, y: layout.statusRow)
        return grid
    }

    static let spinnerFrames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]

    static func drawTooSmall(_ grid: inout Grid) {
        let text = "terminal too small (need \(Layout.minWidth)×\(Layout.minHeight))"
        let lines = DisplayWidth.of(text) <= grid.width ? [text] : ["terminal too small", "(need \(Layout.minWidth)×\(Layout.minHeight))"]
        let top = max(0, (grid.height - lines.count) / 2)
        for (i, line) in lines.enumerated() {
            grid.put(line, x: max(0, (grid.width - DisplayWidth.of(line)) / 2), y: top + i, style: Style(.warning, bold: true))
        }
    }

    static func drawTabs(_ state: ExplorerState, into grid: inout Grid) {
        var x = 0
        for pane in PaneID.allCases {
            let label = "\(pane.rawValue + 1) \(pane.title)"
            let focused = pane == state.focus && !state.showHelp
            let text = focused ? "[" + label + "]" : " " + label + " "
            x += grid.put(text, x: x, y: 0, style: focused ? Style(.title, bold: true) : Style(.muted)) + 1
        }
    }

    static func pendingOfFocus(_ state: ExplorerState) -> Pending? {
        switch state.focus {
        case .streams: state.streams.pending
        case .events: state.events.pending
        case .detail: nil
        case .projections: state.projections.pending
        case .gaps: state.gaps.pending
        }
    }

    static func paneTitle(_ state: ExplorerState) -> String {
        switch state.focus {
        case .streams:
            let s = state.streams
            let count = "\(s.rows.count)\(s.hasMore ? "+" : "")"
            return s.prefix.isEmpty ? "Streams (\(count))" : "Streams with prefix \(s.prefix) (\(count))"
        case .events:
            let e = state.events
            var title: String
            switch e.source {
            case .stream(let id): title = "Events of \(id)"
            case .log(let types) where types.isEmpty: title = "Events · global log"
            case .log(let types): title = "Events of type " + types.sorted().joined(separator: ", ")
            }
            if state.follow { title += " · following" }
            if e.newCount > 0 { title += " · \(e.newCount) new" }
            if let search = e.search { title += " · /\(search)" }
            return title
        case .detail:
            guard let event = state.detail.event else { return "Detail" }
            return "Detail · \(event.eventType)" + (state.detail.raw ? " · raw" : "")
        case .projections: return "Projections (\(state.projections.rows.count))"
        case .gaps: return "Gaps (\(state.gaps.rows.count)) · timeout \(formatAge(seconds: state.gapTimeout))"
        }
    }

    /// Draws scrolled lines (detail, help) without wrapping; long lines are clipped.
    static func drawLines(_ lines: [StyledLine], scroll: Int, into grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
        for row in 0..<height {
            let i = scroll + row
            guard lines.indices.contains(i) else { break }
            grid.put(lines[i], x: x, y: y + row, maxWidth: width)
        }
    }

    /// A table pane: header, rows with a `>` gutter on the selection, and a note when empty.
    static func drawTable(_ table: Table, rows: Int, cursor: ListCursor, empty: String, into grid: inout Grid,
                          x: Int, y: Int, width: Int, height: Int, cells: (Int) -> [Span]) {
        table.drawHeader(in: &grid, x: x + 1, y: y, width: width - 1)
        if rows == 0 {
            grid.put(empty, x: x + 1, y: y + 1, style: Style(.muted), maxWidth: width - 1)
            return
        }
        for line in 0..<(height - 1) {
            let i = cursor.top + line
            guard i < rows else { break }
            let selected = i == cursor.selected
            if selected { grid.put(">", x: x, y: y + 1 + line, style: Style(.title, bg: .selection, bold: true)) }
            table.draw(row: cells(i), in: &grid, x: x + 1, y: y + 1 + line, width: width - 1, selected: selected)
        }
    }

    /// A time as the operator asked: an age (`12m`) or a UTC clock (`2026-11-22 11:16:25`).
    static func time(_ time: StoreTime?, state: ExplorerState) -> String {
        guard let time else { return "" }
        guard let t = time.timestamp else { return time.text }
        if state.absoluteTimes { return String(t.iso8601.prefix(19)).replacingOccurrences(of: "T", with: " ") }
        return formatAge(seconds: state.now.seconds(since: t))
    }

    static func timeColumn(_ title: String, state: ExplorerState, priority: Int) -> Column {
        Column(title, width: state.absoluteTimes ? 19 : 7, priority: priority)
    }
}
