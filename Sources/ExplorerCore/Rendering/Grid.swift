import TerminalText

/// A terminal-sized width × height canvas of cells that panes draw into. Everything drawn is
/// sanitised first, so text from the store never reaches the terminal raw.
public struct Grid: Sendable, Hashable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Style = .plain) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: Cell(" ", style: fill), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Writes one cell, repairing any wide character it cuts in half.
    mutating func set(_ cell: Cell, x: Int, y: Int) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let i = y * width + x
        if cells[i].isContinuation, x > 0 {
            cells[i - 1] = Cell(" ", style: cells[i - 1].style)
        }
        if !cells[i].isContinuation, x + 1 < width, cells[i + 1].isContinuation {
            cells[i + 1] = Cell(" ", style: cells[i + 1].style)
        }
        cells[i] = cell
    }

    /// Draws `text` from (x, y), at most `maxWidth` cells (default: to the right edge), and returns
    /// the number of cells used. A wide character that would cross the limit is not drawn.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        // Text is drawn as DisplayWidth's glyphs, the pieces whose width every terminal agrees on,
        // so what the grid holds is exactly what the terminal shows, cell for cell.
        for character in Sanitizer.line(text) {
            // A character is drawn whole or not at all.
            let glyphs = DisplayWidth.glyphs(character)
            if col + glyphs.reduce(0, { $0 + $1.width }) > limit { break }
            for glyph in glyphs {
                if glyph.width == 0 {
                    // A lone combining mark joins the glyph drawn before it.
                    if col > x, col - 1 >= 0 {
                        var base = col - 1
                        if self[base, y].isContinuation, base > 0 { base -= 1 }
                        if cells[y * width + base].text.unicodeScalars.count < DisplayWidth.maxScalarsPerGlyph {
                            cells[y * width + base].text += glyph.text
                        }
                    }
                    continue
                }
                if col >= 0 {
                    set(Cell(glyph.text, style: style), x: col, y: y)
                    if glyph.width == 2 { set(Cell("", style: style, isContinuation: true), x: col + 1, y: y) }
                }
                col += glyph.width
            }
        }
        return col - x
    }

    /// Fills a rectangle with blanks of one style (used for selection bars and clearing).
    public mutating func fill(_ rect: Rect, style: Style = .plain, character: String = " ") {
        let rows = max(0, rect.y)..<max(max(0, rect.y), min(height, rect.y + rect.height))
        let cols = max(0, rect.x)..<max(max(0, rect.x), min(width, rect.x + rect.width))
        for row in rows {
            for col in cols { set(Cell(character, style: style), x: col, y: row) }
        }
    }

    /// Each row as text, trailing spaces trimmed.
    public func plainText() -> [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width where !self[x, y].isContinuation { line += self[x, y].text }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// Draws a single-line box with an optional title in its top border.
    public mutating func box(_ rect: Rect, style: Style, title: String = "", titleStyle: Style? = nil) {
        let (x, y, w, h) = (rect.x, rect.y, rect.width, rect.height)
        guard w >= 2, h >= 2 else { return }
        put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x, y: y, style: style)
        for row in y + 1..<y + h - 1 {
            put("│", x: x, y: row, style: style)
            put("│", x: x + w - 1, y: row, style: style)
        }
        put("└" + String(repeating: "─", count: w - 2) + "┘", x: x, y: y + h - 1, style: style)
        if !title.isEmpty, w > 4 {
            put(" " + title + " ", x: x + 1, y: y, style: titleStyle ?? style, maxWidth: w - 2)
        }
    }
}
