/// `/` and `n`/`N` over a pane's loaded rows: a case-insensitive regular expression, or plain
/// text when the search is not one.
enum RowSearch {
    /// Handles `.search` and `.step` for a list pane; other messages are left alone (false).
    static func handle(_ message: PaneMessage, search: inout String?, cursor: inout ListCursor, rows: () -> [String],
                       visible: Int? = nil, _ context: inout PaneContext) -> Bool {
        switch message {
        case .search(let text):
            search = text.isEmpty ? nil : text
            if !text.isEmpty { step(search, rows: rows(), cursor: &cursor, forward: true, includeCurrent: true, visible: visible, &context) }
            return true
        case .step(let forward):
            step(search, rows: rows(), cursor: &cursor, forward: forward, includeCurrent: false, visible: visible, &context)
            return true
        default:
            return false
        }
    }

    /// Moves the cursor to the next or previous row containing the search.
    static func step(_ search: String?, rows: [String], cursor: inout ListCursor, forward: Bool, includeCurrent: Bool,
                     visible: Int? = nil, _ context: inout PaneContext) {
        guard let search else {
            context.inform("no search: press / to search this pane")
            return
        }
        guard !rows.isEmpty else { return }
        let current = cursor.selected
        let regex = try? Regex(search).ignoresCase()
        let needle = search.lowercased()
        func matches(_ row: String) -> Bool { regex.map { row.contains($0) } ?? row.lowercased().contains(needle) }
        for offset in (includeCurrent ? 0 : 1)...rows.count {
            let i = ((forward ? current + offset : current - offset) % rows.count + rows.count) % rows.count
            if matches(rows[i]) {
                if (forward && i < current) || (!forward && i > current) { context.inform("search wrapped") }
                cursor.select(i, count: rows.count, visible: visible ?? context.layout.listRows)
                return
            }
        }
        context.complain("no loaded row matches \(search.debugDescription)")
    }
}
