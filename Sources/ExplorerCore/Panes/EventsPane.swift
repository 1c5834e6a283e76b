import EventStore

/// The Events pane: a bounded window of a stream's events or the global log, paged both ways.
public struct EventsPane: Pane {
    public static let pageSize = 200
    /// The most events kept loaded; paging further drops rows at the other end.
    public static let maxRows = 1000

    /// What a pending page does when it arrives.
    public enum Purpose: Sendable, Hashable {
        case replace(select: Target)
        case append
        case prepend
        /// The page before a jump target, so the target shows with what precedes it.
        case context
    }
    public enum Target: Sendable, Hashable {
        case first, last
        /// The first row at or after this position (global or stream).
        case position(Int64)
    }
    public var source: EventSource = .globalLog
    public var rows: [RecordedEvent] = []
    public var cursor = ListCursor()
    public var atStart = true
    public var atEnd = true
    public var pending: Pending?
    public var purpose: Purpose = .replace(select: .first)
    public var pendingAnchor: EventAnchor = .after(.start)
    /// Events that arrived while following but scrolled away from the bottom.
    public var newCount = 0
    public var search: String?
    public var loaded = false
    /// The highest head a poll reported while a page was in flight: when the page lands, rows
    /// up to it are read if the page stopped short (following never loses events).
    public var missedHead: GlobalPosition?

    public init() {}

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        if RowSearch.handle(message, search: &search, cursor: &cursor, rows: { [rows] in Self.searchRows(rows) }, &context) { return [] }
        switch message {
        case .key(.enter):
            guard rows.indices.contains(cursor.selected) else { return [] }
            return [.show(rows[cursor.selected])]
        case .key(.escape):
            if search != nil { search = nil } else if case .stream = source { return [.focus(.streams)] }
            return []
        case .key(let key):
            return move(key, &context)
        case .loaded(let id, .events(let page)) where pending?.id == id:
            pending = nil
            return receive(page, &context)
        case .failed, .slow:
            pending.note(message)
            return []
        case .shown:
            return !loaded && pending == nil ? [open(source, at: .first, &context)] : []
        case .resized:
            cursor.clamp(count: rows.count, visible: context.layout.listRows)
            return []
        case .loaded, .tick, .search, .step:
            return []
        }
    }

    mutating func move(_ key: Key, _ context: inout PaneContext) -> [PaneCommand] {
        if key == .end || key == .char("G"), !atEnd {
            return [load(.before(.end), purpose: .replace(select: .last), &context)]
        }
        if key == .home || key == .char("g"), !atStart {
            return [load(.after(.start), purpose: .replace(select: .first), &context)]
        }
        guard cursor.move(key, count: rows.count, visible: context.layout.listRows) else { return [] }
        if cursor.selected == rows.count - 1, atEnd { newCount = 0 }
        return pageIfNeeded(&context)
    }

    static func searchRows(_ rows: [RecordedEvent]) -> [String] { rows.map { "\($0.globalPosition) \($0.eventType) \($0.streamId)" } }

    public var selectedEvent: RecordedEvent? { rows.indices.contains(cursor.selected) ? rows[cursor.selected] : nil }

    public func title(_ context: PaneContext) -> String {
        var title: String
        switch source {
        case .stream(let id): title = "Events of \(id)"
        case .log(let types) where types.isEmpty: title = "Events · global log"
        case .log(let types): title = "Events of type " + types.sorted().joined(separator: ", ")
        }
        if context.follow { title += " · " + followWord }
        if let search { title += " · /\(search)" }
        return title
    }

    /// Following the head, or paused because the operator scrolled away from the bottom.
    public var isPaused: Bool { loaded && (!atEnd || (!rows.isEmpty && cursor.selected != rows.count - 1)) }

    /// "following", or "paused · 12 new" while scrolled up.
    public var followWord: String {
        isPaused ? "paused" + (newCount > 0 ? " · \(newCount) new" : "") : "following"
    }

    public var hints: [String] { ["Enter detail", "Esc back", "/ search", "f follow", "t times", "y copy", "? help", "c cause", "o pager", "Z zone"] }

    /// A stream's events or the global log; events of deleted streams are dimmed (projections never see them).
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        // One stream's events all share it, and the title names it: its column would repeat it on every row.
        let oneStream: Bool = if case .stream = source { true } else { false }
        // A layout without global positions orders its log by a key of its own, which is no position to show.
        let positioned = context.info?.capabilities.contains(.globalPositions) ?? true
        let cells = { (i: Int) -> [Span] in
            let e = rows[i]
            let style = e.isHidden ? Style(.muted) : Style(.text)
            return (positioned ? [.field("global_position", of: e.problems, String(e.globalPosition), style)] : []) + [
                .field("position", of: e.problems, String(e.position), Style(.muted)),
                .field("event_type", of: e.problems, e.eventType, e.isHidden ? style : Style(.title)),
                .time(e.timestamp, context.time(e.timestamp), Style(.muted)),
            ] + (oneStream ? [] : [.field("stream_id", of: e.problems, e.streamId, style)])
        }
        // Positions keep the width their digits need: the type and the stream give way first, and
        // a terminal too narrow for all drops the stream, then the time, and the position last.
        let table = Table((positioned ? [Column("GLOBAL", width: 6, alignment: .right)] : []) + [
            Column("POS", width: 3, alignment: .right, priority: 1),
            Column("TYPE", width: 10, flexible: true),
            context.timeColumn("TIME", priority: 2),
        ] + (oneStream ? [] : [Column("STREAM", width: 10, flexible: true, priority: 3, fill: true)]), width: rect.width - 1,
                          content: Table.visible(rows: rows.count, cursor: cursor, in: rect, cells: cells))
        let empty = pending != nil && rows.isEmpty ? "loading…" : "no events"
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: rect, cells: cells)
    }
}
