import EventStore

/// The Events pane: a stream's events or the global log.
enum EventsView {
    static func draw(_ state: ExplorerState, into grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
        let pane = state.events
        let table = Table([
            Column("GLOBAL", width: 7, alignment: .right),
            Column("POS", width: 5, alignment: .right, priority: 3),
            Column("TYPE", width: 10, flexible: true),
            Screen.timeColumn("TIME", state: state, priority: 2),
            Column("STREAM", width: 10, flexible: true, priority: 1),
        ], width: width - 1)
        let empty = pane.pending != nil && pane.rows.isEmpty ? "loading…" : "no events"
        Screen.drawTable(table, rows: pane.rows.count, cursor: pane.cursor, empty: empty, into: &grid,
                         x: x, y: y, width: width, height: height) { i in
            let e = pane.rows[i]
            // Events of deleted streams are shown dimmed: projections never see them.
            let style = e.isHidden ? Style(.muted) : Style(.text)
            return [
                Span(String(e.globalPosition), style), Span(String(e.position), Style(.muted)),
                Span(e.eventType, e.isHidden ? style : Style(.title)),
                Span(Screen.time(e.timestamp, state: state), Style(.muted)), Span(e.streamId, style),
            ]
        }
    }
}
