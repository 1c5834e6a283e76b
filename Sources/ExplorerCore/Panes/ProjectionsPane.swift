import EventStore

/// The Projections pane: statuses from the last refresh and their throughput.
public struct ProjectionsPane: Pane {
    public var rows: [ProjectionStatus] = []
    public var cursor = ListCursor()
    public var pending: Pending?
    public var loadedAt: Timestamp?
    /// Events per second from the checkpoint's movement between two loads.
    public var rates: [String: Double] = [:]
    public var search: String?

    public init() {}

    public mutating func update(_ message: PaneMessage, _ context: inout PaneContext) -> [PaneCommand] {
        if RowSearch.handle(message, search: &search, cursor: &cursor, rows: { [rows] in Self.searchRows(rows) }, &context) { return [] }
        switch RefreshingList.routine(message, cursor: &cursor, pending: &pending, search: &search, loadedAt: loadedAt,
                                      count: rows.count, context) {
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
            rows = statuses
            loadedAt = context.now
            cursor.clamp(count: statuses.count, visible: context.layout.listRows)
            return []
        default:
            return []
        }
    }

    mutating func load(_ context: inout PaneContext) -> PaneCommand {
        let (pending, command) = context.query(.projections, slot: .projections)
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

    static func searchRows(_ rows: [ProjectionStatus]) -> [String] { rows.map { "\($0.name) \($0.state.rawValue) \($0.lease?.holderId ?? "")" } }

    public func title(_ context: PaneContext) -> String { "Projections (\(rows.count))" }

    public var hints: [String] { ["Enter pending events", "/ search", "n/N next", "? help", "q quit"] }

    static func statusStyle(_ state: ProjectionStatus.State) -> Style {
        switch state {
        case .caughtUp: Style(.ok)
        case .catchingUp, .rebuilding: Style(.warning)
        case .stalled, .leaseExpired: Style(.error, bold: true)
        case .blockedByGap: Style(.gap, bold: true)
        }
    }

    /// Checkpoint, head, pending events, update age, lease and status.
    public func draw(into grid: inout Grid, in rect: Rect, _ context: PaneContext) {
        let table = Table([
            Column("PROJECTION", width: 10, flexible: true),
            Column("CHECKPOINT", width: 10, alignment: .right),
            Column("HEAD", width: 7, alignment: .right, priority: 5),
            Column("PENDING", width: 7, alignment: .right, priority: 1),
            Column("UPDATED", width: 7, priority: 2),
            Column("LEASE", width: 8, flexible: true, priority: 3),
            Column("EXPIRES", width: 7, priority: 4),
            Column("STATUS", width: 14),
            Column("EV/S", width: 6, alignment: .right, priority: 6),
        ], width: rect.width - 1)
        let empty = context.info?.lacking(.checkpoints) ?? (loadedAt == nil ? "loading…" : "no checkpoints in this store")
        let now = context.now
        table.drawList(rows: rows.count, cursor: cursor, empty: empty, in: &grid, at: rect) { i in
            let p = rows[i]
            let updated = p.checkpoint.updatedAt.timestamp.map { formatAge(seconds: now.seconds(since: $0)) } ?? p.checkpoint.updatedAt.shown
            // Expiry as the database judges it (its clock, not ours).
            var expires = ""
            if let left = p.leaseExpiresIn { expires = left < 0 ? "expired" : formatAge(seconds: left) }
            if let lease = p.lease, lease.expiresAt.isUnreadable { expires = lease.expiresAt.shown }
            let lease = p.lease?.problems ?? []
            let rate = rates[p.name].map { String(Int($0.rounded())) } ?? ""
            return [
                .field("name", of: p.checkpoint.problems, p.name, .plain),
                .field("position", of: p.checkpoint.problems, String(p.checkpoint.position), .plain),
                Span(String(p.head), Style(.muted)),
                Span(p.pending.isCapped ? ">\(p.pending.count)" : String(p.pending.count)),
                .time(p.checkpoint.updatedAt, updated, Style(.muted)),
                .field("holder_id", of: lease, p.lease?.holderId ?? "—", Style(.lease)),
                .time(p.lease?.expiresAt, expires, Style(expires == "expired" ? .error : .lease)),
                Span(p.state.rawValue, Self.statusStyle(p.state)), Span(rate, Style(.muted)),
            ]
        }
    }
}
