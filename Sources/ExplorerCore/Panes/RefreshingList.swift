import EventStore

/// What the panes that list rows read again every few seconds while shown (Projections, Gaps)
/// do the same way: Esc clears the search, movement keys move, a failure or a slow report marks
/// the query, and showing the pane or a due tick asks for a load. Each pane keeps Enter and its
/// own results.
enum RefreshingList {
    /// How often such a pane refreshes while shown.
    static let refreshInterval = 2.0

    enum Outcome {
        /// Handled; nothing more to do.
        case done
        /// The pane should read its rows again.
        case load
        /// The pane's own business (Enter, its results).
        case notRoutine
    }

    static func routine(_ message: PaneMessage, cursor: inout ListCursor, pending: inout Pending?, search: inout String?,
                        loadedAt: Timestamp?, count: Int, visible: Int? = nil, _ context: PaneContext) -> Outcome {
        let visible = visible ?? context.layout.listRows
        switch message {
        case .key(.enter):
            return .notRoutine
        case .key(.escape):
            search = nil
        case .key(let key):
            cursor.move(key, count: count, visible: visible)
        case .failed, .slow:
            pending.note(message)
        case .shown:
            return pending == nil ? .load : .done
        case .tick:
            let due = loadedAt.map { context.now.seconds(since: $0) >= refreshInterval } ?? true
            return pending == nil && due ? .load : .done
        case .resized:
            cursor.clamp(count: count, visible: visible)
        case .loaded:
            return .notRoutine
        case .search, .step:
            break
        }
        return .done
    }
}
