import EventStore
import TerminalText

/// The Dead letters pane, for stores that keep them (eventsource-py's `dead_letter_queue`): the
/// events a projection failed on and set aside. The list sits on top and the selected letter's
/// error, stack trace and stored event below it; Enter gives the letter the whole pane, and `e`
/// opens the original event in the global log.
public struct DeadLettersPane: Pane {
    /// How many letters one read lists (in id order); the title says when there are more.
    public static let pageSize = 1_000

    public var rows: [DeadLetter] = []
    public var cursor = ListCursor()
    /// The list's read in flight.
    public var listing: Pending?
    /// The read of the original event `e` asked for.
    public var jumping: Pending?
    public var loadedAt: Timestamp?
    public var search: String?
    /// The selected letter shown over the whole pane (Enter), and how far it is scrolled.
    public var expanded = false
    public var scroll = 0

    public init() {}

    public var pending: Pending? { listing ?? jumping }

    public var selected: DeadLetter? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        let split = Self.split(context.layout)
        if RowSearch.handle(message, search: &search, cursor: &cursor, rows: { [rows] in Self.searchRows(rows) },
                            visible: split.listRows, &context) { return [] }
        switch message {
        case .key(.char("e")):
            return jump(&context)
        case .key(.enter):
            guard selected != nil else { return [] }
            expanded.toggle()
            scroll = 0
            return []
        case .key(.escape) where expanded:
            expanded = false
            return []
        case .key(let key) where expanded:
            let lines = selected.map { Self.lines(for: $0, now: context.now).count } ?? 0
            let visible = max(1, context.layout.textRows)
            let maxScroll = max(0, lines - visible)
            if let target = Movement.target(key, current: scroll, count: maxScroll + 1, visible: visible) {
                scroll = min(max(0, target), maxScroll)
            }
            return []
        case .failed(let id) where jumping?.id == id:
            jumping = nil
            return []
        case .loaded(let id, .eventWithId(let event)) where jumping?.id == id:
            jumping = nil
            guard let letter = selected else { return [] }
            guard let event else {
                context.complain("event \(Sanitizer.line(letter.eventId)) is not in the store any more")
                return []
            }
            return [.open(.globalLog, at: .position(event.globalPosition))]
        default:
            break
        }
        let before = cursor.selected
        switch RefreshingList.routine(message, cursor: &cursor, pending: &listing, search: &search, loadedAt: loadedAt,
                                      count: rows.count, visible: split.listRows, context) {
        case .done:
            if cursor.selected != before { scroll = 0 }
            return []
        case .load: return [load(&context)]
        case .notRoutine: break
        }
        if case .loaded(let id, .deadLetters(let letters)) = message, listing?.id == id {
            listing = nil
            // Keep the same letter selected across a refresh when it is still listed.
            let kept = selected?.id
            rows = letters ?? []
            loadedAt = context.now
            if let kept, let i = rows.firstIndex(where: { $0.id == kept }) { cursor.selected = i }
            cursor.clamp(count: rows.count, visible: split.listRows)
            if rows.isEmpty { expanded = false }
        }
        return []
    }

    mutating func load(_ context: inout PaneContext) -> PaneCommand {
        let (pending, command) = context.query(.deadLetters(DeadLetterQuery(limit: Self.pageSize)), slot: .deadLetters)
        listing = pending
        return command
    }

    mutating func jump(_ context: inout PaneContext) -> [PaneCommand] {
        guard let letter = selected else {
            context.inform("no dead letter selected")
            return []
        }
        let (pending, command) = context.query(.eventWithId(letter.eventId), slot: .jump)
        jumping = pending
        return [command]
    }

    static func searchRows(_ rows: [DeadLetter]) -> [String] {
        rows.map { "\($0.id) \($0.projectionName) \($0.eventType) \($0.status) \($0.errorMessage)" }
    }

    public func title(_ context: PaneContext) -> String {
        let count = rows.count >= Self.pageSize ? "first \(rows.count)" : String(rows.count)
        guard expanded, let letter = selected else { return "Dead letters (\(count))" }
        return "Dead letter \(letter.id) · \(Sanitizer.line(letter.projectionName))"
    }

    public var hints: [String] {
        expanded ? ["j/k scroll", "e original event", "Esc list", "? help"]
            : ["Enter full letter", "e original event", "/ search", "? help", "q quit"]
    }

    /// How the pane's rows are shared between the list and the selected letter below it.
    struct Split {
        /// Rows of the list's box part (header included), and list rows under the header.
        var list: Int
        var listRows: Int { max(1, list - 1) }
        /// Rows of the letter below the list (0: too short to show one; Enter shows it).
        var letter: Int
    }

    static func split(_ layout: Layout) -> Split {
        let height = layout.listRows + 1
        guard height >= 12 else { return Split(list: height, letter: 0) }
        let list = max(5, height * 2 / 5)
        return Split(list: list, letter: height - list - 1)
    }

    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        if let lacking = context.info?.lacking(.deadLetters) {
            grid.put(lacking, x: rect.x + 1, y: rect.y, style: Style(.muted), maxWidth: rect.width - 1)
            return
        }
        if expanded, let letter = selected {
            drawLetter(letter, from: scroll, into: &grid, in: rect, context)
            return
        }
        let split = Self.split(context.layout)
        let empty = loadedAt == nil ? "loading…" : "no dead letters: every event was processed or retried"
        let listRect = Rect(x: rect.x, y: rect.y, width: rect.width, height: min(rect.height, split.list))
        let cells = { (i: Int) -> [Span] in
            let letter = rows[i]
            let p = letter.problems
            return [
                Span(String(letter.id), Style(.muted)),
                Span(p.shown("projection", letter.projectionName)),
                Span(p.shown("event_type", letter.eventType)),
                Span(p.shown("status", letter.status), Style(Self.statusRole(letter.status))),
                Span(p.shown("retry_count", String(letter.retryCount))),
                Span(context.time(letter.lastFailedAt), Style(.muted)),
                Span(p.shown("error_message", letter.errorMessage), Style(.error)),
            ]
        }
        // Sized to the rows on screen; the error, last, takes what is left.
        let table = Table([
            Column("ID", width: 2, alignment: .right),
            Column("PROJECTION", width: 10, flexible: true, priority: 2),
            Column("TYPE", width: 10, flexible: true, priority: 3),
            Column("STATUS", width: 6),
            Column("TRIES", width: 5, alignment: .right, priority: 4),
            context.timeColumn("LAST FAILED", priority: 5),
            Column("ERROR", width: 20, flexible: true, priority: 1, fill: true),
        ], width: rect.width - 1, content: Table.visible(rows: rows.count, cursor: cursor, in: listRect, cells: cells))
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: listRect, cells: cells)
        guard split.letter > 0, let letter = selected else { return }
        let ruleY = rect.y + split.list
        grid.put(String(repeating: "─", count: max(0, rect.width)), x: rect.x, y: ruleY, style: Style(.border))
        drawLetter(letter, from: 0, into: &grid, in: Rect(x: rect.x, y: ruleY + 1, width: rect.width, height: split.letter), context)
    }

    func drawLetter(_ letter: DeadLetter, from first: Int, into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let lines = Self.lines(for: letter, now: context.now)
        let text = rect.droppingLeft(1)
        for row in 0..<text.height {
            let i = first + row
            guard i < lines.count else { break }
            grid.put(lines[i], x: text.x, y: text.y + row, maxWidth: text.width)
        }
    }

    static func statusRole(_ status: String) -> Role {
        switch status {
        case "failed": .error
        case "retrying": .warning
        default: .muted
        }
    }

    /// One letter as text: what failed and how often, the error, the stack trace, then the event
    /// as the projection received it.
    public static func lines(for letter: DeadLetter, now: Timestamp) -> [StyledLine] {
        let label = Style(.muted)
        func fact(_ name: String, _ value: Span) -> StyledLine {
            [Span(name + String(repeating: " ", count: max(0, 16 - name.count)), label), value]
        }
        let p = letter.problems
        var out: [StyledLine] = []
        out.append([Span("dead letter \(letter.id)", Style(.title, bold: true)), Span("  " + p.shown("projection", letter.projectionName), label)])
        out.append(fact("event type", Span(p.shown("event_type", letter.eventType))))
        out.append(fact("event id", Span(p.shown("event_id", letter.eventId))))
        out.append(fact("status", Span(p.shown("status", letter.status), Style(statusRole(letter.status)))))
        out.append(fact("retries", Span(p.shown("retry_count", String(letter.retryCount)))))
        out.append(fact("first failed", Span(TimeText.of(letter.firstFailedAt, now: now, absolute: true))))
        out.append(fact("last failed", Span(TimeText.of(letter.lastFailedAt, now: now, absolute: true))))
        if letter.resolvedAt != nil || letter.resolvedBy != nil {
            out.append(fact("resolved", Span(TimeText.of(letter.resolvedAt, now: now, absolute: true) + (letter.resolvedBy.map { " by " + $0 } ?? ""))))
        }
        for problem in p {
            out.append(fact(ValueProblem.marker + " broken", Span("\(problem.field): \(problem.reason) (stored '\(problem.stored)')", Style(.error))))
        }
        out.append([])
        out.append([Span("error", Style(.title, bold: true))])
        out += textLines(letter.errorMessage).map { [Span($0, Style(.error))] }
        out.append([])
        out.append([Span("stack trace", Style(.title, bold: true))])
        if let trace = letter.stackTrace, !trace.isEmpty {
            out += textLines(trace).map { [Span($0)] }
        } else {
            out.append([Span("none stored", label)])
        }
        out.append([])
        out.append([Span("event data", Style(.title, bold: true))])
        switch JSONValue.parsed(letter.eventData) {
        case .success(let value):
            out += JSONHighlighter.lines(value)
        case .failure(let error):
            out.append([Span("not valid JSON (\(error.description)):", Style(.warning))])
            out += textLines(letter.eventData).map { [Span($0)] }
        }
        return out
    }

    /// Grid.put sanitises each line; here only the line breaks matter.
    static func textLines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }
}
