/// An aligned plain-text table whose cells are sanitised and measured in terminal cells.
public struct TextTable {
    public enum Alignment { case left, right }

    public struct Column {
        public var title: String
        public var alignment: Alignment
        public init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    public var columns: [Column]
    public var rows: [[String]] = []

    public init(_ columns: [Column]) { self.columns = columns }

    public mutating func append(_ row: [String]) {
        precondition(row.count == columns.count, "a row has one cell per column")
        // Cells are printed as drawn (DisplayWidth.drawable), so the padding counts what the terminal shows.
        rows.append(row.map { DisplayWidth.drawable(Sanitizer.line($0)) })
    }

    /// Header and rows, two spaces between columns, no trailing spaces.
    public func render() -> String {
        let all = [columns.map(\.title)] + rows
        var widths = Array(repeating: 0, count: columns.count)
        for row in all { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        var out = ""
        for row in all {
            var line = ""
            for (i, cell) in row.enumerated() {
                let pad = String(repeating: " ", count: widths[i] - DisplayWidth.of(cell))
                if i > 0 { line += "  " }
                line += columns[i].alignment == .right ? pad + cell : cell + pad
            }
            while line.hasSuffix(" ") { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}

/// Pads or cuts text to exactly `width` cells; a cut ends with `…`.
public func fit(_ text: String, width: Int) -> String {
    guard width > 0 else { return "" }
    let w = DisplayWidth.of(text)
    if w <= width { return text + String(repeating: " ", count: width - w) }
    var out = "", used = 0
    for c in text {
        let cw = DisplayWidth.of(c)
        if used + cw > width - 1 { break }
        out.append(c)
        used += cw
    }
    return out + "…" + String(repeating: " ", count: width - 1 - used)
}
