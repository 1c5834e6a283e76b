extension Grid {
    /// The grid as text with ANSI SGR colours (24-bit for RGB theme colours), one string per row.
    public func ansiText(theme: Theme) -> [String] {
        (0..<height).map { y in
            var line = "", current: Style? = nil
            for x in 0..<width where !self[x, y].isContinuation {
                let cell = self[x, y]
                if cell.style != current {
                    line += Self.sgr(cell.style, theme: theme)
                    current = cell.style
                }
                line += cell.text
            }
            return line + "\u{1B}[0m"
        }
    }

    static func sgr(_ style: Style, theme: Theme) -> String {
        var codes = ["0"]
        if style.bold { codes.append("1") }
        if style.underline { codes.append("4") }
        if style.bg == .selection, theme.selectionNeedsReverse { codes.append("7") }
        codes += sgrColor(theme.color(style.fg), foreground: true)
        codes += sgrColor(theme.color(style.bg), foreground: false)
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }

    static func sgrColor(_ color: Color, foreground: Bool) -> [String] {
        switch color {
        case .terminalDefault: return []
        case .ansi(let i): return [String((foreground ? 30 : 40) + (i < 8 ? i : 60 + i - 8))]
        case .rgb(let r, let g, let b): return [foreground ? "38" : "48", "2", String(r), String(g), String(b)]
        }
    }
}
