import EventStore

/// The Projections pane: statuses from the last refresh, their throughput, lag sparklines, the
/// runner's view (its state word, a rebuild's progress, the latest request) and one line of
/// detail about the selected projection under the list.
public struct ProjectionsPane: Pane {
    public var rows: [ProjectionStatus] = []
    public var cursor = ListCursor()
    public var pending: Pending?
    public var loadedAt: Timestamp?
    /// Events per second from the checkpoint's movement between two loads (when no runner says).
    public var rates: [String: Double] = [:]
    /// Pending counts over the last minutes, per projection.
    public var history: [String: LagHistory] = [:]
    public var search: String?
    /// The head the last snapshot was read at: its pending counts are as of it.
    public var snapshotHead: GlobalPosition?
    /// The outbox's counts, for stores that keep one (eventsource-py), read with the projections.
    public var outbox: OutboxSummary?

    public init() {}

    /// Rows of the list: the pane's rows less the lines under them (detail, outbox, horizon).
    static func visible(_ context: PaneContext) -> Int {
        max(1, context.layout.listRows - footerLines(context))
    }

    static func hasOutbox(_ context: PaneContext) -> Bool { context.info?.capabilities.contains(.outbox) == true }
    static func hasHorizon(_ context: PaneContext) -> Bool { context.info?.capabilities.contains(.visibilityHorizon) == true }

    /// The selected projection's detail line, then the outbox's and the horizon's where the store has them.
    static func footerLines(_ context: PaneContext) -> Int {
        1 + (hasOutbox(context) ? 1 : 0) + (hasHorizon(context) ? 1 : 0)
    }

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        let visible = Self.visible(context)
        if RowSearch.handle(message, search: &search, cursor: &cursor, rows: { [rows, now = context.now] in Self.searchRows(rows, now: now) },
                            visible: visible, &context) { return [] }
        if case .key(.char("R")) = message {
            guard rows.indices.contains(cursor.selected) else {
                context.complain("no projection to rebuild: this store has no checkpoints yet")
                return []
            }
            return [.rebuild(rows[cursor.selected].name)]
        }
        switch RefreshingList.routine(message, cursor: &cursor, pending: &pending, search: &search, loadedAt: loadedAt,
                                      count: rows.count, visible: visible, context) {
        case .done: return []
        case .load: return [load(&context)]
        case .notRoutine: break
        }
        switch message {
        case .key(.enter):
            // The events the projection has still to process start right after its checkpoint.
            guard rows.indices.contains(cursor.selected) else { return [] }
            return [.open(.globalLog, at: .position(rows[cursor.selected].checkpoint.position + 1))]
        case .loaded(let id, .projections(let snapshot)) where pending?.id == id:
            pending = nil
            let statuses = context.statuses(snapshot)
            updateRates(statuses, now: context.now)
            record(statuses, now: context.now)
            rows = statuses
            snapshotHead = snapshot.head
            outbox = snapshot.outbox
            loadedAt = context.now
            cursor.clamp(count: statuses.count, visible: visible)
            return []
        default:
            return []
        }
    }

    mutating func load(_ context: inout PaneContext) -> PaneCommand {
        let (pending, command) = context.query(.projections(eventTypes: context.projectionTypes), slot: .projections)
        self.pending = pending
        return command
    }

    mutating func updateRates(_ statuses: [ProjectionStatus], now: Timestamp) {
        guard let previousTime = loadedAt else { return }
        let elapsed = now.seconds(since: previousTime)
        guard elapsed > 0 else { return }
        let before = Dictionary(rows.map { ($0.name, $0.checkpoint.position) }, uniquingKeysWith: { a, _ in a })
        for status in statuses {
            if let old = before[status.name], status.checkpoint.position >= old {
                rates[status.name] = Double(status.checkpoint.position - old) / elapsed
            }
        }
    }

    /// Adds this refresh's pending counts to the sparklines; projections gone from the store go too.
    mutating func record(_ statuses: [ProjectionStatus], now: Timestamp) {
        let names = Set(statuses.map(\.name))
        history = history.filter { names.contains($0.key) }
        for status in statuses { history[status.name, default: LagHistory()].record(status.pending.count, at: now) }
    }

    static func searchRows(_ rows: [ProjectionStatus], now: Timestamp) -> [String] {
        rows.map { "\($0.name) \(ProjectionRow(status: $0, now: now).state.word) \($0.lease?.holderId ?? "")" }
    }

    /// The HEAD column is the live head; when the snapshot behind the pending counts was read at
    /// another head, the title says which, so the two columns never silently disagree.
    public func title(_ context: PaneContext) -> String {
        var title = "Projections (\(rows.count))"
        if let snapshotHead, let live = context.head, live != snapshotHead { title += " · pending as of head \(snapshotHead)" }
        return title
    }

    public var hints: [String] { ["Enter pending events", "R rebuild", "/ search", "n/N next", "? help", "q quit"] }

    /// The selected projection's detail line, if it has something to say.
    func detail(now: Timestamp) -> Span? {
        guard rows.indices.contains(cursor.selected) else { return nil }
        return ProjectionRow(status: rows[cursor.selected], now: now).detail
    }

    /// Checkpoint, head, pending events, lag sparkline, update age, lease, status, the rebuild's
    /// state (when any row has one) and throughput; the selected row's detail on the last line.
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let now = context.now
        let shown = rows.map { ProjectionRow(status: $0, now: now, filtered: context.projectionTypes[$0.name] != nil) }
        var columns = [
            Column("PROJECTION", width: 10, flexible: true),
            Column("CHECKPOINT", width: 10, alignment: .right),
            Column("HEAD", width: 7, alignment: .right, priority: 8),
            Column("PENDING", width: 7, alignment: .right, priority: 1),
            Column("LAG", width: 8, flexible: true, priority: 4, cap: 8, fill: true),
            Column("UPDATED", width: 7, priority: 3),
            Column("LEASE", width: 8, flexible: true, priority: 5),
            Column("EXPIRES", width: 7, priority: 6),
            Column("STATUS", width: 14),
            Column("EV/S", width: 6, alignment: .right, priority: 7),
        ]
        // The rebuild column appears only while some row has a request or a rebuild to show.
        let rebuildColumn = shown.contains { $0.hasRebuildCell } ? columns.count : nil
        if rebuildColumn != nil { columns.append(Column("REBUILD", width: 18, flexible: true, priority: 2)) }
        let footer = Self.footerLines(context)
        let list = Rect(x: rect.x, y: rect.y, width: rect.width, height: max(1, rect.height - footer))
        // The sparkline and the rebuild cell are drawn to their column's width: sized at their least first.
        func cells(_ i: Int, lagWidth: Int, rebuildWidth: Int) -> [Span] {
            let p = rows[i], row = shown[i]
            let updated = p.checkpoint.updatedAt.timestamp.map { formatAge(seconds: now.seconds(since: $0)) } ?? p.checkpoint.updatedAt.shown
            // Expiry as the database judges it (its clock, not ours).
            var expires = ""
            if let left = p.leaseExpiresIn { expires = left < 0 ? "expired" : formatAge(seconds: left) }
            if let lease = p.lease, lease.expiresAt.isUnreadable { expires = lease.expiresAt.shown }
            let lease = p.lease?.problems ?? []
            // The runner's own throughput when it reports one; else the checkpoint's movement.
            let rate = (row.runnerRate ?? rates[p.name]).map { String(Int($0.rounded())) } ?? ""
            let state = row.state
            let lag = history[p.name]?.sparkline(width: lagWidth, now: now) ?? ""
            var spans: [Span] = [
                .field("name", of: p.checkpoint.problems, p.name, .plain),
                .field("position", of: p.checkpoint.problems, String(p.checkpoint.position), .plain),
                Span(String(context.head ?? p.head), Style(.muted)),
                Span(p.pending.isCapped ? ">\(p.pending.count)" : String(p.pending.count)),
                Span(lag, Style(p.pending.count == 0 ? .ok : .warning)),
                .time(p.checkpoint.updatedAt, updated, Style(.muted)),
                .field("holder_id", of: lease, p.lease?.holderId ?? "—", Style(.lease)),
                .time(p.lease?.expiresAt, expires, Style(expires == "expired" ? .error : .lease)),
                Span(state.word, state.style), Span(rate, Style(.muted)),
            ]
            if rebuildColumn != nil { spans.append(row.rebuildCell(width: rebuildWidth)) }
            return spans
        }
        let table = Table(columns, width: rect.width - 1, content: Table.visible(rows: rows.count, cursor: cursor, in: list) {
            cells($0, lagWidth: 8, rebuildWidth: 18)
        })
        let lagWidth = table.columns[4].width
        let rebuildWidth = rebuildColumn.map { table.columns[$0].width } ?? 0
        let empty = context.info?.lacking(.checkpoints) ?? (loadedAt == nil ? "loading…" : "no checkpoints in this store")
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: list) {
            cells($0, lagWidth: lagWidth, rebuildWidth: rebuildWidth)
        }
        if rect.height >= 2 + footer, let detail = detail(now: now) {
            grid.put([detail], x: rect.x + 1, y: rect.y + rect.height - footer, maxWidth: rect.width - 1)
        }
        // The store-wide lines, bottom up, while the list keeps a row.
        var lines: [StyledLine] = []
        if Self.hasOutbox(context) { lines.append(Self.outboxLine(outbox, loaded: loadedAt != nil)) }
        if Self.hasHorizon(context) { lines.append(Self.horizonLine(context.horizon)) }
        for (i, line) in lines.enumerated() where rect.height >= 3 + footer {
            grid.put(line, x: rect.x + 1, y: rect.y + rect.height - lines.count + i, maxWidth: rect.width - 1)
        }
    }

    /// What the library's own readers cannot see yet: eventsource-py's projections see only rows
    /// below the horizon, whatever the head says.
    static func horizonLine(_ horizon: VisibilityHorizon?) -> StyledLine {
        let label = Span("horizon  ", Style(.title, bold: true))
        guard let horizon else { return [label, Span("…", Style(.muted))] }
        let style = horizon.isStalledByRestore ? Style(.error, bold: true) : horizon.hidden.count == 0 ? Style(.ok) : Style(.warning)
        return [label, Span(horizon.sentence, style)]
    }

    /// `outbox  4 pending (oldest 3m)  120 published  1 failed`, coloured by what needs attention.
    static func outboxLine(_ outbox: OutboxSummary?, loaded: Bool) -> StyledLine {
        let label = Span("outbox  ", Style(.title, bold: true))
        guard let outbox else { return [label, Span(loaded ? "no outbox table" : "…", Style(.muted))] }
        let oldest = outbox.oldestPendingAge.map { " (oldest " + formatAge(seconds: $0) + ")" } ?? ""
        return [
            label,
            Span("\(outbox.pending) pending" + oldest, Style(outbox.pending == 0 ? .ok : .warning)),
            Span("  \(outbox.published) published", Style(.muted)),
            Span("  \(outbox.failed) failed", Style(outbox.failed == 0 ? .muted : .error)),
        ]
    }
}
