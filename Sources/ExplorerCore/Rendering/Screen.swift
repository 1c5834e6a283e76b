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
        if state.showsSideBySide {
            // A wide terminal shows the list and the event under its cursor together (lazygit, tig).
            let (left, right) = layout.splitBoxes
            drawPane(.events, of: state, in: left, focused: state.focus == .events, into: &grid)
            drawPane(.detail, of: state, in: right, focused: state.focus == .detail, into: &grid)
        } else {
            drawPane(state.focus, of: state, in: layout.box, focused: true, into: &grid)
        }
        if state.showLog, let log = state.commandLog { log.draw(into: &grid, layout: layout, now: state.now) }
        if state.showHelp { HelpOverlay.draw(scroll: state.helpScroll, into: &grid, layout: layout) }
        state.confirmation?.draw(into: &grid, state.context)
        StatusBar.drawHints(state, into: &grid, y: layout.hintRow)
        StatusBar.drawStatus(state, into: &grid, y: layout.statusRow)
        return grid
    }

    /// A pane in its box, titled, with a spinner while its query is slow.
    static func drawPane(_ id: PaneID, of state: ExplorerState, in box: Rect, focused: Bool, into grid: inout Grid) {
        let pane = state.pane(id)
        let context = state.context
        var title = pane.title(context)
        if let pending = pane.pending, pending.slow {
            title += " " + spinnerFrames[state.tickCount % spinnerFrames.count]
        }
        grid.box(box, style: Style(focused ? .focusedBorder : .border), title: title,
                 titleStyle: focused ? Style(.title, bold: true) : Style(.muted))
        pane.draw(into: &grid, in: box.inner, context)
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
        for pane in state.panes {
            let label = "\(pane.rawValue + 1) \(pane.title)"
            let focused = pane == state.focus
            let text = focused ? "[" + label + "]" : " " + label + " "
            x += grid.put(text, x: x, y: 0, style: focused ? Style(.title, bold: true) : Style(.muted)) + 1
        }
    }

    /// Draws scrolled lines (help) without wrapping; long lines are clipped.
    static func drawLines(_ lines: [StyledLine], scroll: Int, into grid: inout Grid, in rect: Rect) {
        for row in 0..<rect.height {
            let i = scroll + row
            guard lines.indices.contains(i) else { break }
            grid.put(lines[i], x: rect.x, y: rect.y + row, maxWidth: rect.width)
        }
    }
}
