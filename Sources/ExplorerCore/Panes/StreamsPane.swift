import EventStore

/// The Streams pane: a page of streams, the prefix filter, and whether more pages follow.
public struct StreamsPane: Pane {
    public static let pageSize = 200

    public var rows: [StreamSummary] = []
    public var cursor = ListCursor()
    public var prefix = ""
    /// More streams after the last row, and before the first (after a jump to the end).
    public var hasMore = false
    public var hasLess = false
    public var pending: Pending?
    public var purpose = Purpose.replace
    public var loaded = false
    /// How many streams the filter matches (counted up to a cap), when known.
    public var total: PendingCount?
    public var countPending: Pending?

    /// What a pending page does when it lands.
    public enum Purpose: Sendable, Hashable {
        case replace, append, prepend
        /// The last page, read backwards: the true end of the id order.
        case last
    }

    public init() {}

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        switch message {
        case .key(.enter):
            guard rows.indices.contains(cursor.selected) else { return [] }
            return [.open(.stream(rows[cursor.selected].id), at: .first)]
        case .key(.escape):
            return prefix.isEmpty ? [] : filter(prefix: "", &context)
        case .key(.end) where hasMore, .key(.char("G")) where hasMore:
            // The true end: the last page, read backwards through the index.
            return [load(.last, &context)]
        case .key(.home) where hasLess, .key(.char("g")) where hasLess:
            return [load(.replace, &context)]
        case .key(let key):
            guard cursor.move(key, count: rows.count, visible: context.layout.listRows) else { return [] }
            return pageIfNeeded(&context)
        case .loaded(let id, .streams(let page)) where pending?.id == id:
            pending = nil
            place(page, visible: context.layout.listRows)
            loaded = true
            return []
        case .loaded(let id, .streamCount(let count)) where countPending?.id == id:
            countPending = nil
            total = count
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

    /// Shows the streams whose id starts with `prefix`, served by the store's index, and counts them.
    public mutating func filter(prefix: String, _ context: inout PaneContext) -> [PaneCommand] {
        self.prefix = prefix
        return start(&context)
    }

    /// The first page and the count of the current filter.
    mutating func start(_ context: inout PaneContext) -> [PaneCommand] {
        total = nil
        let (counting, count) = context.query(.countStreams(filterValue), slot: .streamCount)
        countPending = counting
        return [load(.replace, &context), count]
    }

    var filterValue: StreamQuery.Filter { prefix.isEmpty ? .none : .prefix(prefix) }

    mutating func load(_ purpose: Purpose, _ context: inout PaneContext) -> PaneCommand {
        self.purpose = purpose
        let query: StreamQuery = switch purpose {
        case .replace: StreamQuery(filter: filterValue, limit: Self.pageSize)
        case .append: StreamQuery(filter: filterValue, after: rows.last?.id, limit: Self.pageSize)
        case .prepend: StreamQuery(filter: filterValue, after: rows.first?.id, limit: Self.pageSize, direction: .backwards)
        case .last: StreamQuery(filter: filterValue, limit: Self.pageSize, direction: .backwards)
        }
        let (pending, command) = context.query(.streams(query), slot: .streams)
        self.pending = pending
        return command
    }

    /// Puts a landed page (in id order) where its purpose says.
    mutating func place(_ page: [StreamSummary], visible: Int) {
        let full = page.count == Self.pageSize
        switch purpose {
        case .replace:
            rows = page
            cursor = ListCursor()
            (hasLess, hasMore) = (false, full)
        case .append:
            rows += page
            hasMore = full
        case .prepend:
            rows = page + rows
            hasLess = full
            cursor.shift(by: page.count, count: rows.count, visible: visible)
        case .last:
            rows = page
            (hasLess, hasMore) = (full, false)
            cursor = ListCursor()
            cursor.select(rows.count - 1, count: rows.count, visible: visible)
        }
        cursor.clamp(count: rows.count, visible: visible)
    }

    mutating func pageIfNeeded(_ context: inout PaneContext) -> [PaneCommand] {
        guard pending == nil else { return [] }
        let margin = context.layout.listRows
        if hasMore, cursor.selected >= rows.count - margin { return [load(.append, &context)] }
        if hasLess, cursor.selected < margin { return [load(.prepend, &context)] }
        return []
    }

    public func title(_ context: PaneContext) -> String {
        // The count the store gave (exact up to its cap); until it arrives, what is loaded.
        let count = total.map { $0.isCapped ? "more than \(Self.grouped($0.count))" : Self.grouped($0.count) }
            ?? "\(rows.count)\(hasMore || hasLess ? "+" : "")"
        return prefix.isEmpty ? "Streams (\(count))" : "Streams with prefix \(prefix) (\(count))"
    }

    /// 8933 as "8,933".
    static func grouped(_ n: Int64) -> String {
        let digits = Array(String(n))
        return String(digits.enumerated().flatMap { i, d in (i > 0 && (digits.count - i) % 3 == 0 ? [","] : []) + [d] })
    }

    public var hints: [String] { ["Enter events", "/ prefix", "j/k move", ": command", "? help", "q quit"] }

    /// Id, category, version, last update, deleted marker.
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let cells = { (i: Int) -> [Span] in
            let s = rows[i]
            let rowStyle = s.isDeleted ? Style(.muted) : Style(.text)
            return [
                .field("stream_id", of: s.problems, s.id, rowStyle), Span(s.category, Style(.muted)),
                .field("version", of: s.problems, String(s.version), rowStyle),
                .time(s.updatedAt, context.time(s.updatedAt), Style(.muted)),
                .time(s.deletedAt, s.deletedAt?.isUnreadable == true ? s.deletedAt!.shown : s.isDeleted ? "deleted" : "", Style(.warning)),
            ]
        }
        // Each column as wide as the rows on screen need; the spare stays on the right.
        let table = Table([
            Column("STREAM", width: 12, flexible: true, cap: 80),
            Column("CATEGORY", width: 8, flexible: true, priority: 4),
            Column("VERSION", width: 7, alignment: .right, priority: 1),
            context.timeColumn("UPDATED", priority: 3),
            Column("DELETED", width: 7, priority: 2),
        ], width: rect.width - 1, content: Table.visible(rows: rows.count, cursor: cursor, in: rect, cells: cells))
        let empty = loaded ? (prefix.isEmpty ? "no streams" : "no stream id starts with \(prefix)") : "loading…"
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: rect, cells: cells)
    }
}
