import EventStore

/// The Detail pane: one event, its scroll position, and the raw-view switch. The event's text
/// is built when the event or the view changes and kept, so frames and scroll keys only index it.
public struct DetailPane: Pane {
    public private(set) var event: RecordedEvent?
    public private(set) var raw = false
    public var scroll = 0
    public private(set) var content = DetailContent(event: nil, raw: false)
    public var pending: Pending? { nil }

    public init() {}

    /// Shows an event from the top.
    public mutating func show(_ event: RecordedEvent) {
        self.event = event
        scroll = 0
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
        case .key(.char("r")):
            raw.toggle()
            scroll = 0
            content = DetailContent(event: event, raw: raw)
            return []
        case .key(let key):
            let rows = context.layout.textRows
            let maxScroll = max(0, content.count - rows)
            guard let target = Movement.target(key, current: scroll, count: maxScroll + 1, visible: rows) else { return [] }
            scroll = min(max(0, target), maxScroll)
            return []
        case .loaded, .failed, .slow, .shown, .tick, .resized, .search, .step:
            return []
        }
    }

    public var selectedEvent: RecordedEvent? { event }

    public func title(_ context: PaneContext) -> String {
        guard let event else { return "Detail" }
        return "Detail · \(event.eventType)" + (raw ? " · raw" : "")
    }

    public var hints: [String] { ["j/k scroll", "J/K next/prev", "s stream", "r raw", "y copy", "Esc back"] }

    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let text = rect.droppingLeft(1)
        for row in 0..<text.height {
            let i = scroll + row
            guard i < content.count else { break }
            grid.put(content.line(i, now: context.now), x: text.x, y: text.y + row, maxWidth: text.width)
        }
    }
}
