import CNcursesw
import ExplorerCore
import Foundation
import TerminalText

/// The ncurses screen: draws grids (only the cells that changed since the last frame), reads keys,
/// the mouse wheel and signals, suspends on Ctrl-Z, and puts the terminal back as it was on exit,
/// on a terminating signal or on a crash. Use it from one task only.
public final class TerminalScreen {
    private var previous: Grid?
    private var palette: Palette
    private var theme: Theme
    private var active = true
    private let hasAlternateScreen: Bool
    /// Set after a stop: the next `read` reports the size, so the loop repaints everything.
    private var needsRedraw = false
    /// Drawn instead of a cell whose width ncurses would count differently from the grid.
    private let replacement: wchar_t

    /// What terminfo makes of `$TERM`.
    public enum TerminalSupport: Sendable {
        case usable
        /// Not in this system's terminfo: ncurses would exit inside `initscr`.
        case unknown
        /// Known but unable to move the cursor (`dumb`): a full-screen program can only draw garbage.
        case noCursorAddressing
    }

    public static var terminalSupport: TerminalSupport {
        switch cnc_terminal_check() {
        case 0: .unknown
        case 2: .noCursorAddressing
        default: .usable
        }
    }

    /// Takes over the terminal. Call `close()` (also done on crash signals) to give it back.
    /// Signals that arrive meanwhile wake `wakePipe`, and `read` reports them.
    public init(theme: Theme, wakePipe: WakePipe) {
        _ = cnc_setup_locale()
        TerminalSignals.install(wakeDescriptor: wakePipe.signalDescriptor)
        initscr()
        raw()
        noecho()
        keypad(cnc_stdscr(), true)
        nodelay(cnc_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        cnc_enable_wheel()
        hasAlternateScreen = cnc_has_alternate_screen() != 0
        replacement = wchar_t(cnc_wcwidth(0xFFFD) == 1 ? 0xFFFD : 0x3F)
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

    /// The next key, resize or terminating signal, or nil when none is waiting. SIGTSTP suspends
    /// here, and after SIGCONT a resize to the current size asks for a full redraw.
    public func read() -> TerminalEvent? {
        for sig in TerminalSignals.take() {
            switch sig {
            case SIGTSTP: suspend()
            case SIGCONT: resume()
            default: return .terminated(signal: sig)
            }
        }
        if needsRedraw {
            needsRedraw = false
            let (w, h) = size
            return .resize(width: w, height: h)
        }
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
                put(cell, x: x, y: y, width: x + 1 < grid.width && grid[x + 1, y].isContinuation ? 2 : 1)
                changed = true
            }
        }
        previous = grid
        if changed { refresh() }
    }

    /// Draws a cell the grid gave `width` cells (2 when a continuation follows). The grid's width
    /// (`DisplayWidth`) is the one truth: when ncurses, which moves by the C library's `wcwidth`,
    /// would count the cell differently (an older C library, a locale without UTF-8) or cannot
    /// take it, a replacement of the grid's width is drawn, so no cell is left unwritten.
    private func put(_ cell: Cell, x: Int, y: Int, width: Int) {
        var attrs = cnc_attr_normal()
        if cell.style.bold { attrs |= cnc_attr_bold() }
        if cell.style.underline { attrs |= cnc_attr_underline() }
        if cell.style.bg == .selection, selectionByReverse { attrs |= cnc_attr_reverse() }
        let pair = Int32(palette.pair(fg: theme.color(cell.style.fg), bg: theme.color(cell.style.bg)))
        let chars = cell.text.unicodeScalars.prefix(DisplayWidth.maxScalarsPerGlyph).map { wchar_t(bitPattern: $0.value) }
        if let first = chars.first, Int(cnc_wcwidth(first)) == width, draw(chars, x: x, y: y, attrs: attrs, pair: pair) {
            return
        }
        if chars.isEmpty && width == 1, draw([32], x: x, y: y, attrs: attrs, pair: pair) { return }
        // The replacement and the space after it are one-cell characters every locale can draw; a
        // failure here too leaves nothing better to try.
        _ = draw([replacement], x: x, y: y, attrs: attrs, pair: pair)
        if width == 2 { _ = draw([32], x: x + 1, y: y, attrs: attrs, pair: pair) }
    }

    /// One `setcchar` + `mvwadd_wch`; whether the cell was written.
    private func draw(_ chars: [wchar_t], x: Int, y: Int, attrs: attr_t, pair: Int32) -> Bool {
        let status = (chars + [0]).withUnsafeBufferPointer { cnc_put_cell(Int32(y), Int32(x), $0.baseAddress, attrs, pair) }
        if status == Int32(CNC_DRAWN) { return true }
        // ncurses writes the bottom-right cell but reports an error, as it cannot move the cursor past it.
        let (w, h) = size
        return status == Int32(CNC_ADD_FAILED) && x == w - 1 && y == h - 1
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

    /// Gives the terminal back and stops this process group (Ctrl-Z, SIGTSTP) until the shell
    /// continues it; then takes the terminal again and asks for a full redraw.
    public func suspend() {
        guard active else { return }
        endwin()
        if !hasAlternateScreen { cnc_clear_after_endwin() }
        TerminalSignals.stopProcessGroup()
        resume()
    }

    /// Gives the terminal to another program (a pager) while `body` runs, then takes it back and
    /// repaints every cell. Ctrl-C and Ctrl-\ belong to that program meanwhile, not to the explorer.
    public func handOver<T>(_ body: () -> T) -> T {
        guard active else { return body() }
        endwin()
        if !hasAlternateScreen { cnc_clear_after_endwin() }
        let result = TerminalSignals.ignoringInterrupts(body)
        resume()
        return result
    }

    /// Takes the terminal again after a stop (the shell may have changed its modes meanwhile) and
    /// repaints every cell on the next draw.
    private func resume() {
        guard active else { return }
        endwin()
        refresh()
        clearok(cnc_stdscr(), true)
        previous = nil
        needsRedraw = true
    }

    /// Gives the terminal back. A terminal without an alternate screen (vt100, linux) is cleared,
    /// so the last frame does not stay under the shell's prompt.
    public func close() {
        guard active else { return }
        active = false
        endwin()
        if !hasAlternateScreen { cnc_clear_after_endwin() }
        TerminalSignals.uninstall()
    }

    deinit { close() }
}
