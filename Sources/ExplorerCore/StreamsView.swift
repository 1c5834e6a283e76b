import EventStore

/// The Streams pane: id, category, version, last update, deleted marker.
enum StreamsView {
    static func draw(_ state: ExplorerState, into grid: inout Grid, x: Int, y: Int, width: Int, height: Int) {
        let pane = state.streams
        let table = Table([
            Column("STREAM", width: 12, flexible: true),
            Column("CATEGORY", width: 10, priority: 4),
            Column("VERSION", width: 7, alignment: .right, priority: 1),
            Screen.timeColumn("UPDATED", state: state, priority: 3),
            Column("DELETED", width: 7, priority: 2),
        ], width: width - 1)
        let empty = pane.loaded ? (pane.prefix.isEmpty ? "no streams" : "no stream id starts with \(pane.prefix)") : "loading…"
        Screen.drawTable(table, rows: pane.rows.count, cursor: pane.cursor, empty: empty, into: &grid,
                         x: x, y: y, width: width, height: height) { i in
            let s = pane.rows[i]
            let rowStyle = s.isDeleted ? Style(.muted) : Style(.text)
            return [
                Span(s.id, rowStyle), Span(s.category, Style(.muted)), Span(String(s.version), rowStyle),
                Span(Screen.time(s.updatedAt, state: state), Style(.muted)),
                Span(s.isDeleted ? "deleted" : "", Style(.warning)),
            ]
        }
    }
}
