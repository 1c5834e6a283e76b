import CNcursesw
import ExplorerCore
import Foundation

/// The ncurses screen: draws grids (only the cells that changed since the last frame), reads keys,
/// and puts the terminal back as it was on exit or on a crash signal. Use it from one task only.
public final class TerminalScreen {
    private var previous: Grid?
    private var palette: Palette
    private var theme: Theme
    private var active = true

    /// Whether the terminal database knows `$TERM`; ncurses would otherwise exit inside `initscr`.
    public static var isTerminalKnown: Bool { cnc_terminal_known() != 0 }

    /// Takes over the terminal. Call `close()` (also done on crash signals) to give it back.
    public init(theme: Theme) {
        _ = cnc_setup_locale()
        TerminalRestore.install()
        initscr()
        raw()
        noecho()
        keypad(cnc_stdscr(), true)
        nodelay(cnc_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        var colors = 0
        if has_colors() {
            start_color()
            use_default_colors()
            colors = Int(cnc_colors())
        }
        palette = Palette(colors: colors, pairLimit: Int(min(cnc_color_pairs(), 32767)))
        self.theme = theme
    }

    public var size: (width: Int, height: Int) {
        var h: Int32 = 0, w: Int32 = 0
        cnc_getmaxyx(cnc_stdscr(), &h, &w)
        return (Int(w), Int(h))
    }

    /// The next key or resize, or nil when none is waiting.
    public func read() -> TerminalEvent? {
        var code: wint_t = 0
        let status = wget_wch(cnc_stdscr(), &code)
        if status == cnc_err() { return nil }
        return TerminalInput.decode(status: status, code: UInt32(code))
    }

    /// Draws a frame, writing only cells that differ from the previous one.
    public func draw(_ grid: Grid, theme newTheme: Theme) {
        if newTheme != theme {
            theme = newTheme
            palette.reset()
            previous = nil
        }
        let full = previous.map { $0.width != grid.width || $0.height != grid.height } ?? true
        if full { erase() }
        var changed = full
        for y in 0..<grid.height {
            for x in 0..<grid.width {
                let cell = grid[x, y]
                if cell.isContinuation { continue }
                if !full, let old = previous, old[x, y] == cell,
                   x + 1 >= grid.width || !grid[x + 1, y].isContinuation || old[x + 1, y] == grid[x + 1, y] {
                    continue
                }
                put(cell, x: x, y: y)
                changed = true
            }
        }
        previous = grid
        if changed { refresh() }
    }

    private func put(_ cell: Cell, x: Int, y: Int) {
        var attrs = cnc_attr_normal()
        if cell.style.bold { attrs |= cnc_attr_bold() }
        if cell.style.underline { attrs |= cnc_attr_underline() }
        if cell.style.bg == .selection, selectionByReverse { attrs |= cnc_attr_reverse() }
        let pair = palette.pair(fg: theme.color(cell.style.fg), bg: theme.color(cell.style.bg))
        var chars = cell.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        // A character this terminal's locale cannot show is drawn as a replacement mark.
        if let first = chars.first, cnc_wcwidth(first) < 0 { chars = [wchar_t(0xFFFD)] }
        if chars.isEmpty { chars = [wchar_t(32)] }
        chars.append(0)
        _ = chars.withUnsafeBufferPointer { cnc_put_cell(Int32(y), Int32(x), $0.baseAddress, attrs, Int32(pair)) }
    }

    /// Whether selected rows must be shown in reverse video: no colours, a theme without a
    /// selection colour, or a palette too small to tell the selection from the background.
    private var selectionByReverse: Bool {
        palette.colors == 0 || theme.selectionNeedsReverse
            || theme.color(.selection).paletteIndex(colors: palette.colors) == theme.color(.background).paletteIndex(colors: palette.colors)
    }

    /// Forgets the last frame so the next draw repaints everything (after a resize).
    public func invalidate() { previous = nil }

    /// Copies text to the clipboard with OSC 52 (terminals and tmux that allow it).
    public func copyToClipboard(_ text: String) {
        let sequence = "\u{1B}]52;c;" + Data(text.utf8).base64EncodedString() + "\u{07}"
        FileHandle.standardOutput.write(Data(sequence.utf8))
    }

    /// Gives the terminal back.
    public func close() {
        guard active else { return }
        active = false
        endwin()
    }

    deinit { close() }
}
