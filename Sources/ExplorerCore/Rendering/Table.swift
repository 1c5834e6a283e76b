import TerminalText

/// A table column: fixed or flexible width, and a priority saying which columns go first when
/// the terminal is narrow (higher numbers are dropped first).
public struct Column: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable { case left, right }
    public var title: String
    public var width: Int
    public var flexible: Bool
    public var alignment: Alignment
    public var priority: Int

    public init(_ title: String, width: Int, flexible: Bool = false, alignment: Alignment = .left, priority: Int = 0) {
        self.title = title
        self.width = width
        self.flexible = flexible
        self.alignment = alignment
        self.priority = priority
    }
}

/// Lays out columns in a width and draws a header and rows of styled cells.
public struct Table: Sendable {
    public private(set) var columns: [Column]
    /// The indexes of the columns kept, in order.
    public private(set) var kept: [Int]

    public init(_ columns: [Column], width: Int) {
        self.columns = columns
        var kept = Array(columns.indices)
        func total() -> Int { kept.reduce(0) { $0 + columns[$1].width } + max(0, kept.count - 1) }
        while total() > width, kept.count > 1,
              let drop = kept.filter({ columns[$0].priority > 0 }).max(by: { columns[$0].priority < columns[$1].priority }) {
            kept.removeAll { $0 == drop }
        }
        let flexible = kept.filter { columns[$0].flexible }
        var spare = max(0, width - total())
        for (n, i) in flexible.enumerated() {
            let share = spare / (flexible.count - n)
            self.columns[i].width += share
            spare -= share
        }
        self.kept = kept
    }

    public func drawHeader(in grid: inout Grid, at rect: Rect) {
        draw(kept.map { Span(columns[$0].title, Style(.muted, bold: true)) }, in: &grid, at: rect)
    }

    /// Draws one row in the first line of `rect`; `cells` has one span per column (all columns, kept or not).
    public func draw(row cells: [Span], in grid: inout Grid, at rect: Rect, selected: Bool) {
        if selected { grid.fill(rect.row(0), style: Style(.text, bg: .selection)) }
        draw(kept.map { cells[$0] }, in: &grid, at: rect, background: selected ? .selection : nil)
    }

    private func draw(_ cells: [Span], in grid: inout Grid, at rect: Rect, background: Role? = nil) {
        var col = rect.x
        for (n, i) in kept.enumerated() {
            let column = columns[i]
            let w = min(column.width, rect.x + rect.width - col)
            guard w > 0 else { break }
            var style = cells[n].style
            if let background { style.bg = background }
            let text = Sanitizer.line(cells[n].text)
            let cut = DisplayWidth.of(text) > w ? fit(text, width: w) : text
            let pad = w - DisplayWidth.of(cut)
            grid.put(cut, x: column.alignment == .right ? col + pad : col, y: rect.y, style: style, maxWidth: w)
            col += column.width + 1
        }
    }

    /// A list pane: header, rows with a `>` gutter on the selection, and a note when there are none.
    public func drawList(rows: Int, cursor: ListCursor, empty: String, in grid: inout Grid, at rect: Rect,
                         cells: (Int) -> [Span]) {
        let body = rect.droppingLeft(1)
        drawHeader(in: &grid, at: body)
        if rows == 0 {
            grid.put(empty, x: body.x, y: body.y + 1, style: Style(.muted), maxWidth: body.width)
            return
        }
        for line in 0..<(rect.height - 1) {
            let i = cursor.top + line
            guard i < rows else { break }
            let selected = i == cursor.selected
            if selected { grid.put(">", x: rect.x, y: rect.y + 1 + line, style: Style(.title, bg: .selection, bold: true)) }
            draw(row: cells(i), in: &grid, at: body.row(1 + line), selected: selected)
        }
    }
}
