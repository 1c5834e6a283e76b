import TerminalText

/// A table column. Each column is as wide as its title and content need, between `width` and
/// `cap`. A flexible column gives up width down to `width` when the table is too narrow; a
/// fixed one (positions, times) keeps what its content needs and is dropped, by `priority`
/// (higher numbers first), only when even the flexible columns at their least do not fit. The
/// `fill` column takes whatever width is left over; without one, the spare stays on the right.
public struct Column: Sendable, Hashable {
    public enum Alignment: Sendable, Hashable { case left, right }
    public var title: String
    /// The least width; the content's width when it is wider (up to `cap`).
    public var width: Int
    public var flexible: Bool
    public var alignment: Alignment
    public var priority: Int
    /// The most a column takes for its content (the fill column may get more from the spare).
    public var cap: Int
    public var fill: Bool

    public init(_ title: String, width: Int, flexible: Bool = false, alignment: Alignment = .left, priority: Int = 0,
                cap: Int? = nil, fill: Bool = false) {
        self.title = title
        self.width = width
        self.flexible = flexible
        self.alignment = alignment
        self.priority = priority
        self.cap = max(width, cap ?? (flexible ? 40 : 24))
        self.fill = fill
    }
}

/// Lays out columns in a width and draws a header and rows of styled cells.
public struct Table: Sendable {
    public private(set) var columns: [Column]
    /// The indexes of the columns kept, in order.
    public private(set) var kept: [Int]

    /// Lays out `columns` in `width` cells for the rows in `content` (one span per column, as
    /// drawn; usually the rows on screen).
    public init(_ columns: [Column], width: Int, content: [[Span]] = []) {
        // What each column's title and content need, within its bounds.
        let natural = columns.indices.map { i -> Int in
            let widest = content.reduce(DisplayWidth.of(columns[i].title)) { widest, row in
                row.indices.contains(i) ? max(widest, DisplayWidth.of(Sanitizer.line(row[i].text))) : widest
            }
            return min(columns[i].cap, max(columns[i].width, widest))
        }
        self.init(columns, width: width, natural: natural)
    }

    init(_ columns: [Column], width: Int, natural: [Int]) {
        self.columns = columns
        var widths = natural
        var kept = Array(columns.indices)
        func total(_ w: (Int) -> Int) -> Int { kept.reduce(0) { $0 + w($1) } + max(0, kept.count - 1) }
        // The least each column can do with: a flexible one its minimum, a fixed one its content.
        let least = { (i: Int) in columns[i].flexible ? columns[i].width : natural[i] }
        while total(least) > width, kept.count > 1,
              let drop = kept.filter({ columns[$0].priority > 0 }).max(by: { columns[$0].priority < columns[$1].priority }) {
            kept.removeAll { $0 == drop }
        }
        // Too wide: the widest flexible columns give up a cell at a time, down to their minimum.
        var over = total { widths[$0] } - width
        while over > 0, let widest = kept.filter({ columns[$0].flexible && widths[$0] > columns[$0].width })
            .max(by: { widths[$0] < widths[$1] }) {
            widths[widest] -= 1
            over -= 1
        }
        // Room to spare: it goes to the fill column, if one is kept.
        if over < 0, let fill = kept.first(where: { columns[$0].fill }) { widths[fill] -= over }
        for i in columns.indices { self.columns[i].width = widths[i] }
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

    /// The cells of the rows a list shows in `rect` (under its header): what its columns are sized to.
    public static func visible(rows: Int, cursor: ListCursor, in rect: Rect, cells: (Int) -> [Span]) -> [[Span]] {
        let end = min(rows, cursor.top + max(0, rect.height - 1))
        return cursor.top < end ? (cursor.top..<end).map(cells) : []
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
