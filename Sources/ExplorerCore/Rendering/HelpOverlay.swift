import TerminalText

/// Help, drawn as a box over the focused pane (which stays visible around it): the keys in a
/// column, their meaning beside them, scrolled when the terminal is short.
public enum HelpOverlay {
    /// The box: as wide as the longest entry (within the screen), from the row under the pane's
    /// top border, as tall as the entries (within the pane's box, whose bottom border stays).
    public static func rect(_ layout: Layout) -> Rect {
        let widest = HelpContent.lines.map { line in line.reduce(0) { $0 + DisplayWidth.of($1.text) } }.max() ?? 0
        let width = min(widest + 4, max(0, layout.width - 4))
        let height = min(HelpContent.lines.count + 2, max(3, layout.boxHeight - 2))
        return Rect(x: (layout.width - width) / 2, y: layout.boxTop + 1, width: width, height: height)
    }

    /// How many entries show at once (the page for PgDn/PgUp in help).
    public static func rows(_ layout: Layout) -> Int { max(1, rect(layout).height - 2) }

    static func draw(scroll: Int, into grid: inout Grid, layout: Layout) {
        let box = rect(layout)
        grid.fill(box)
        grid.box(box, style: Style(.focusedBorder), title: "Help · Esc closes", titleStyle: Style(.title, bold: true))
        Screen.drawLines(HelpContent.lines, scroll: scroll, into: &grid, in: box.inner.droppingLeft(1))
    }
}
