import EventStore

/// What the explorer does with one event beyond showing it: the event that caused it (`c`), its
/// payload in a pager (`o`), and, on a wide terminal, Detail following the Events cursor.
extension ExplorerState {
    /// Events and Detail side by side: a wide terminal, on either of the two.
    public var showsSideBySide: Bool { layout.sideBySide && (focus == .events || focus == .detail) }

    /// After an action: side by side, Detail shows whichever event the Events cursor moved to.
    /// Only a move changes it, so an event reached from Detail (`c`) stays until the cursor moves.
    mutating func detailFollowsCursor(from before: RecordedEvent?) {
        guard layout.sideBySide, let selected = events.selectedEvent else { return }
        if selected != before || detail.event == nil { detail.show(selected) }
    }

    /// `c` in Events: Detail shows the event named by the selected event's causation id.
    mutating func followCause() -> [Effect] {
        guard let event = events.selectedEvent else {
            message = Message(text: "no event selected", isError: true)
            return []
        }
        return withContext { state, context in state.detail.followCause(of: event, &context) }
    }

    /// `o`: the selected event's data, pretty when it is JSON, as stored otherwise (or in the raw view).
    mutating func pageEvent() -> [Effect] {
        guard let event = pane(focus).selectedEvent else {
            message = Message(text: "no event to page: select one in Events or Detail", isError: true)
            return []
        }
        let raw = focus == .detail && detail.raw
        let text: String = if !raw, case .success(let value) = JSONValue.parsed(event.data) { value.pretty } else { event.data }
        return [.page(text.hasSuffix("\n") ? text : text + "\n")]
    }

    /// `Z`: absolute times in the local zone, or in UTC again.
    mutating func toggleZone() -> [Effect] {
        localTimes.toggle()
        absoluteTimes = true
        let zone = localTimes ? localZone : .utc
        message = Message(text: "times in \(zone.name)" + (localTimes && localZone == .utc ? " (the local zone is UTC)" : ""), isError: false)
        return []
    }
}
