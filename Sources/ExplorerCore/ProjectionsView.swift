import EventStore

/// The Projections pane: checkpoint, head, pending events, update age, lease and status.
enum ProjectionsView {
    static func statusStyle(_ state: ProjectionStatus.State) -> Style {
        switch state {
        case .caughtUp: Style(.ok)
        case .catchingUp, .rebuilding: Style(.warning)
        case .stalled, .leaseExpired: Style(.error, bold: true)
        case .blockedByGap: Style(.gap, bold: true)
        }
    }

    static func draw(_ state: ExplorerState, into grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
        let pane = state.projections
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
        ], width: width - 1)
        let empty = pane.loadedAt == nil ? "loading…" : "no checkpoints in this store"
        Screen.drawTable(table, rows: pane.rows.count, cursor: pane.cursor, empty: empty, into: &grid,
                         x: x, y: y, width: width, height: height) { i in
            let p = pane.rows[i]
            let updated = p.checkpoint.updatedAt.timestamp.map { formatAge(seconds: state.now.seconds(since: $0)) } ?? "?"
            var expires = ""
            if let left = p.leaseExpiresIn {
                expires = left < 0 ? "expired" : formatAge(seconds: left)
            }
            let rate = pane.rates[p.name].map { String(Int($0.rounded())) } ?? ""
            return [
                Span(p.name), Span(String(p.checkpoint.position)), Span(String(p.head), Style(.muted)),
                Span(p.pending.isCapped ? ">\(p.pending.count)" : String(p.pending.count)),
                Span(updated, Style(.muted)), Span(p.lease?.holderId ?? "—", Style(.lease)),
                Span(expires, Style(expires == "expired" ? .error : .lease)),
                Span(p.state.rawValue, statusStyle(p.state)), Span(rate, Style(.muted)),
            ]
        }
    }
}
