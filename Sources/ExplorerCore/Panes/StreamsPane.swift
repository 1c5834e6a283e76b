import EventStore

/// The Streams pane: a page of streams, the prefix filter, and whether more pages follow.
public struct StreamsPane: Pane {
    public static let pageSize = 200

    public var rows: [StreamSummary] = []
    public var cursor = ListCursor()
    public var prefix = ""
    public var hasMore = false
    public var pending: Pending?
    public var appending = false
    public var loaded = false

    public init() {}

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        switch message {
        case .key(.enter):
            guard rows.indices.contains(cursor.selected) else { return [] }
            return [.open(.stream(rows[cursor.selected].id), at: .first)]
        case .key(.escape):
            return prefix.isEmpty ? [] : filter(prefix: "", &context)
        case .key(let key):
            let visible = context.layout.listRows
            guard let target = Movement.target(key, current: cursor.selected, count: rows.count, visible: visible) else { return [] }
            cursor.select(target, count: rows.count, visible: visible)
            return pageIfNeeded(&context)
        case .loaded(let id, .streams(let page)) where pending?.id == id:
            pending = nil
            rows = appending ? rows + page : page
            if !appending { cursor = ListCursor() }
            hasMore = page.count == Self.pageSize
            loaded = true
            cursor.clamp(count: rows.count, visible: context.layout.listRows)
            return []
        case .failed, .slow:
            pending.note(message)
            return []
        case .resized:
            cursor.clamp(count: rows.count, visible: context.layout.listRows)
            return []
        case .loaded, .shown, .tick, .search, .step:
            // The prefix filter is typed on the input line (`filter`), not searched over loaded rows.
            return []
        }
    }

    /// Shows the streams whose id starts with `prefix`, served by the store's index.
    public mutating func filter(prefix: String, _ context: inout PaneContext) -> [PaneCommand] {
        self.prefix = prefix
        return [load(append: false, &context)]
    }

    mutating func load(append: Bool, _ context: inout PaneContext) -> PaneCommand {
        appending = append
        let after = append ? rows.last?.id : nil
        let filter: StreamQuery.Filter = prefix.isEmpty ? .none : .prefix(prefix)
        let (pending, command) = context.query(.streams(StreamQuery(filter: filter, after: after, limit: Self.pageSize)), slot: .streams)
        self.pending = pending
        return command
    }

    mutating func pageIfNeeded(_ context: inout PaneContext) -> [PaneCommand] {
        guard pending == nil, hasMore, cursor.selected >= rows.count - context.layout.listRows else { return [] }
        return [load(append: true, &context)]
    }

    public func title(_ context: PaneContext) -> String {
        let count = "\(rows.count)\(hasMore ? "+" : "")"
        return prefix.isEmpty ? "Streams (\(count))" : "Streams with prefix \(prefix) (\(count))"
    }

    public var hints: [String] { ["Enter events", "/ prefix", "j/k move", ": command", "? help", "q quit"] }

    /// Id, category, version, last update, deleted marker.
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let table = Table([
            Column("STREAM", width: 12, flexible: true),
            Column("CATEGORY", width: 10, priority: 4),
            Column("VERSION", width: 7, alignment: .right, priority: 1),
            context.timeColumn("UPDATED", priority: 3),
            Column("DELETED", width: 7, priority: 2),
        ], width: rect.width - 1)
        let empty = loaded ? (prefix.isEmpty ? "no streams" : "no stream id starts with \(prefix)") : "loading…"
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: rect) { i in
            let s = rows[i]
            let rowStyle = s.isDeleted ? Style(.muted) : Style(.text)
            return [
                .field("stream_id", of: s.problems, s.id, rowStyle), Span(s.category, Style(.muted)),
                .field("version", of: s.problems, String(s.version), rowStyle),
                .time(s.updatedAt, context.time(s.updatedAt), Style(.muted)),
                .time(s.deletedAt, s.deletedAt?.isUnreadable == true ? s.deletedAt!.shown : s.isDeleted ? "deleted" : "", Style(.warning)),
            ]
        }
    }
}
