import EventStore

/// The Gaps pane (SPEC §5): runs, kind, first seen, age, in-flight or stale, blocked projections.
enum GapsView {
    static func draw(_ state: ExplorerState, into grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
        let pane = state.gaps
        let table = Table([
            Column("POSITIONS", width: 9, flexible: true),
            Column("LEN", width: 4, alignment: .right, priority: 3),
            Column("KIND", width: 7),
            Column("SEEN", width: 8, priority: 4),
            Column("AGE", width: 5, priority: 2),
            Column("STATE", width: 9),
            Column("BLOCKS", width: 8, flexible: true, priority: 1),
        ], width: width - 1)
        let empty = pane.loadedAt == nil ? "loading…" : "no gaps between the lowest checkpoint and the head"
        Screen.drawTable(table, rows: pane.rows.count, cursor: pane.cursor, empty: empty, into: &grid,
                         x: x, y: y, width: width, height: height) { i in
            let gap = pane.rows[i]
            let seen = pane.firstSeen[gap] ?? state.now
            let age = state.now.seconds(since: seen)
            let stale = age >= state.gapTimeout
            let blocked = pane.statuses.filter { !$0.blockingGaps(in: [gap]).isEmpty }.map(\.name)
            return [
                Span(gap.from == gap.to ? String(gap.from) : "\(gap.from)–\(gap.to)", Style(.gap)),
                Span(String(gap.length)), Span(gap.kind.rawValue, Style(gap.kind == .missing ? .gap : .muted)),
                Span(String(seen.iso8601.dropFirst(11).prefix(8)), Style(.muted)),
                Span(formatAge(seconds: age), Style(.muted)),
                Span(stale ? "stale" : "in-flight", Style(stale ? .error : .warning)),
                Span(blocked.isEmpty ? "—" : blocked.joined(separator: ", "), Style(blocked.isEmpty ? .muted : .error)),
            ]
        }
    }
}
