import EventStore
import TerminalText

/// A configured rebuild command's run: its arguments, its output as it arrives, how it ended,
/// and the overlay that shows them (the log view). Closing the view leaves the command running.
public struct CommandLog: Sendable, Hashable {
    /// The most lines kept; older ones are dropped (and counted) so a chatty command cannot grow
    /// the explorer without bound.
    public static let lineLimit = 5_000

    public var run: Int
    public var projection: String
    public var arguments: [String]
    public var startedAt: Timestamp
    public var lines: [CommandOutput] = []
    public var dropped = 0
    public var exit: CommandExit?
    /// Whether `x` asked the command to stop.
    public var stopping = false
    /// The first line shown; nil follows the end.
    public var scroll: Int?

    public init(run: Int, projection: String, arguments: [String], startedAt: Timestamp) {
        self.run = run
        self.projection = projection
        self.arguments = arguments
        self.startedAt = startedAt
    }

    public var isRunning: Bool { exit == nil }

    mutating func append(_ output: [CommandOutput]) {
        lines += output
        if lines.count > Self.lineLimit {
            let excess = lines.count - Self.lineLimit
            lines.removeFirst(excess)
            dropped += excess
            if let top = scroll { scroll = max(0, top - excess) }
        }
    }

    /// The overlay's box: most of the pane's box.
    static func rect(_ layout: Layout) -> Rect {
        Rect(x: 2, y: layout.boxTop + 1, width: max(0, layout.width - 4), height: max(3, layout.boxHeight - 2))
    }

    /// Rows of output the view shows at once.
    static func rows(_ layout: Layout) -> Int { max(1, rect(layout).height - 2) }

    /// Every line of the view: the command as run, its output, and how it ended.
    var shownLines: [StyledLine] {
        var shown: [StyledLine] = [[Span("$ ", Style(.muted)), Span(ShellWords.quoted(arguments), Style(.text, bold: true))]]
        if dropped > 0 { shown.append([Span("… \(dropped) earlier lines dropped", Style(.muted))]) }
        shown += lines.map { [Span($0.text, Style($0.stream == .stderr ? .warning : .text))] }
        if let exit {
            shown.append([Span(exit.description, Style(exit.succeeded ? .ok : .error, bold: true))])
        }
        return shown
    }

    /// Scrolls like a list: j/k, PgDn/PgUp, g/G; true when the key was one of those.
    mutating func scroll(_ key: Key, layout: Layout) -> Bool {
        let total = shownLines.count, page = Self.rows(layout)
        let last = max(0, total - page)
        let top = scroll ?? last
        let target: Int
        switch key {
        case .down, .char("j"), .wheelDown: target = top + 1
        case .up, .char("k"), .wheelUp: target = top - 1
        case .pageDown, .char(" "): target = top + page
        case .pageUp: target = top - page
        case .home, .char("g"): target = 0
        case .end, .char("G"): target = last
        default: return false
        }
        let clamped = min(max(0, target), last)
        // At the bottom the view follows new output again.
        scroll = clamped >= last ? nil : clamped
        return true
    }

    func title(now: Timestamp) -> String {
        let state: String
        if let exit { state = exit.description } else if stopping { state = "stopping" } else {
            state = "running \(formatAge(seconds: now.seconds(since: startedAt)))"
        }
        return "Rebuild \(projection) · \(state) · " + (isRunning ? "x stops, Esc closes" : "Esc closes")
    }

    func draw(into grid: inout Grid, layout: Layout, now: Timestamp) {
        let box = Self.rect(layout)
        grid.fill(box)
        let style = Style(exit.map { $0.succeeded ? .ok : .error } ?? .focusedBorder)
        grid.box(box, style: style, title: title(now: now), titleStyle: Style(.title, bold: true))
        let lines = shownLines
        let rows = Self.rows(layout)
        let top = scroll ?? max(0, lines.count - rows)
        Screen.drawLines(lines, scroll: top, into: &grid, in: box.inner.droppingLeft(1))
    }
}
