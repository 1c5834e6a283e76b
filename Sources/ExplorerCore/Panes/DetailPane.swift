import EventStore
import TerminalText

/// The Detail pane: one event, its scroll position (down and across), and the raw-view switch.
/// The event's text is built when the event or the view changes and kept, so frames and scroll
/// keys only index it.
public struct DetailPane: Pane {
    public private(set) var event: RecordedEvent?
    public private(set) var raw = false
    public var scroll = 0
    /// How many cells the text is scrolled to the left (h / l, ← / →).
    public var across = 0
    public private(set) var content = DetailContent(event: nil, raw: false)
    /// The read of the event `c` jumps to, and the causation id it reads.
    public private(set) var pending: Pending?
    public private(set) var pendingCause: String?

    /// Cells `h` / `l` move the text by.
    public static let acrossStep = 8

    public init() {}

    /// Shows an event from the top.
    public mutating func show(_ event: RecordedEvent) {
        self.event = event
        scroll = 0
        across = 0
        content = DetailContent(event: event, raw: raw)
    }

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        switch message {
        case .key(.escape):
            return [.focus(.events)]
        case .key(.char("J")):
            return [.stepEvent(1)]
        case .key(.char("K")):
            return [.stepEvent(-1)]
        case .key(.char("s")):
            // The event among its stream's, selected.
            guard let event else { return [] }
            return [.open(.stream(event.streamId), at: .position(event.position))]
        case .key(.char("c")):
            guard let event else { return [] }
            return followCause(of: event, &context)
        case .key(.char("r")):
            raw.toggle()
            scroll = 0
            across = 0
            content = DetailContent(event: event, raw: raw)
            return []
        case .key(.char("h")), .key(.left):
            across = max(0, across - Self.acrossStep)
            return []
        case .key(.char("l")), .key(.right):
            let width = context.layout.detailTextWidth
            across = min(across + Self.acrossStep, max(0, content.widest(now: context.now) - width))
            return []
        case .key(let key):
            let rows = context.layout.textRows
            let maxScroll = max(0, content.count - rows)
            guard let target = Movement.target(key, current: scroll, count: maxScroll + 1, visible: rows) else { return [] }
            scroll = min(max(0, target), maxScroll)
            return []
        case .loaded(let id, .eventWithId(let cause)) where pending?.id == id:
            pending = nil
            defer { pendingCause = nil }
            guard let cause else {
                context.complain("causation id \(pendingCause ?? "") is not in this store")
                return []
            }
            show(cause)
            context.inform("the event that caused it: \(cause.streamId) #\(cause.position)")
            return [.focus(.detail)]
        case .failed, .slow:
            pending.note(message)
            return []
        case .loaded, .shown, .tick, .resized, .search, .step:
            return []
        }
    }

    /// Reads the event named by `event`'s causation id (`c`), to show it when it arrives.
    public mutating func followCause(of event: RecordedEvent, _ context: inout PaneContext) -> [PaneCommand] {
        guard let cause = event.envelope?.causationId, !cause.isEmpty else {
            context.complain("event \(event.globalPosition) has no causation id")
            return []
        }
        let (pending, command) = context.query(.eventWithId(cause), slot: .detail)
        self.pending = pending
        pendingCause = cause
        return [command]
    }

    public var selectedEvent: RecordedEvent? { event }

    public func title(_ context: PaneContext) -> String {
        guard let event else { return "Detail" }
        return "Detail · \(event.eventType)" + (raw ? " · raw" : "")
    }

    public var hints: [String] { ["j/k scroll", "J/K next/prev", "s stream", "r raw", "y copy", "Esc back", "h/l across", "c cause", "o pager"] }

    /// The text from `across` cells in; a line that continues off the left edge starts with «,
    /// one that continues off the right edge ends with », so nothing is cut silently.
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let text = rect.droppingLeft(1)
        guard text.width > 2 else { return }
        for row in 0..<text.height {
            let i = scroll + row
            guard i < content.count else { break }
            let line = content.line(i, now: context.now, zone: context.zone)
            let width = line.reduce(0) { $0 + DisplayWidth.of(Sanitizer.line($1.text)) }
            let cutLeft = across > 0 && width > 0
            let cutRight = width - across > text.width
            let start = text.x + (cutLeft ? 1 : 0)
            let room = text.width - (cutLeft ? 1 : 0) - (cutRight ? 1 : 0)
            grid.put(line.droppingCells(across + (cutLeft ? 1 : 0)), x: start, y: text.y + row, maxWidth: room)
            if cutLeft { grid.put("«", x: text.x, y: text.y + row, style: Style(.muted, bold: true)) }
            if cutRight { grid.put("»", x: text.x + text.width - 1, y: text.y + row, style: Style(.muted, bold: true)) }
        }
    }
}

extension [Span] {
    /// The line less its first `cells` cells; a wide character cut in half becomes a blank.
    public func droppingCells(_ cells: Int) -> [Span] {
        guard cells > 0 else { return self }
        var left = cells
        var out: [Span] = []
        for span in self {
            guard left > 0 else {
                out.append(span)
                continue
            }
            var text = Substring(Sanitizer.line(span.text))
            while left > 0, let first = text.first {
                let w = DisplayWidth.of(String(first))
                text = text.dropFirst()
                left -= w
            }
            // Half of a wide character went off the edge: its other half shows as a blank.
            let kept = (left < 0 ? String(repeating: " ", count: -left) : "") + text
            if left < 0 { left = 0 }
            if !kept.isEmpty { out.append(Span(kept, span.style)) }
        }
        return out
    }
}
