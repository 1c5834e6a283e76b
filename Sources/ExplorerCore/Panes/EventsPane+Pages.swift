import EventStore

/// Loading pages into the Events pane: jumps, paging both ways, and following the head.
extension EventsPane {
    mutating func load(_ anchor: EventAnchor, purpose: Purpose, _ context: inout PaneContext) -> PaneCommand {
        let (pending, command) = context.query(.events(source, anchor, limit: Self.pageSize), slot: .events)
        self.pending = pending
        self.purpose = purpose
        pendingAnchor = anchor
        return command
    }

    /// Points the pane at a source and loads its first page (or the page around a position).
    public mutating func open(_ source: EventSource, at target: Target, _ context: inout PaneContext) -> PaneCommand {
        self.source = source
        rows = []
        cursor = ListCursor()
        newCount = 0
        search = nil
        loaded = true
        switch target {
        case .first: return load(.after(.start), purpose: .replace(select: .first), &context)
        case .last: return load(.before(.end), purpose: .replace(select: .last), &context)
        case .position(let p): return load(.after(.position(p - 1)), purpose: .replace(select: .position(p)), &context)
        }
    }

    /// Following was switched on: go to the bottom and catch up with the head.
    public mutating func startFollowing(_ context: inout PaneContext) -> [PaneCommand] {
        newCount = 0
        if !loaded { return [open(source, at: .last, &context)] }
        if !atEnd { return [load(.before(.end), purpose: .replace(select: .last), &context)] }
        cursor.select(rows.count - 1, count: rows.count, visible: context.layout.listRows)
        // Catch up with anything that arrived since this page was read.
        return [load(.after(anchor(rows.last) ?? .start), purpose: .append, &context)]
    }

    /// A head poll found new events while following.
    public mutating func headMoved(to head: GlobalPosition, _ context: inout PaneContext) -> [PaneCommand] {
        if pending != nil {
            // The page in flight may have been read before these events: check when it lands.
            missedHead = max(missedHead ?? head, head)
            return []
        }
        guard atEnd else { return [] }
        return [load(.after(anchor(rows.last) ?? .start), purpose: .append, &context)]
    }

    /// Where paging continues from: the event's log cursor for the log (opaque: a global position
    /// or another layout's own key), its stream position for a stream.
    func anchor(_ event: RecordedEvent?) -> LogCursor? {
        guard let event else { return nil }
        if case .stream = source { return .position(event.position) }
        return event.cursor
    }

    mutating func receive(_ page: [RecordedEvent], _ context: inout PaneContext) -> [PaneCommand] {
        let commands = place(page, &context)
        guard pending == nil, let head = missedHead else { return commands }
        missedHead = nil
        // A head seen while the page was read lies past its last row: read the rest.
        guard context.follow, atEnd, (rows.last?.globalPosition ?? -1) < head else { return commands }
        return commands + [load(.after(anchor(rows.last) ?? .start), purpose: .append, &context)]
    }

    /// Puts a landed page where its purpose says.
    mutating func place(_ page: [RecordedEvent], _ context: inout PaneContext) -> [PaneCommand] {
        let visible = context.layout.listRows
        let full = page.count == Self.pageSize
        switch purpose {
        case .replace(let target):
            rows = page
            switch pendingAnchor {
            case .after(let c):
                atStart = c.ordinal < 0
                atEnd = !full
            case .before:
                atStart = !full
                atEnd = true
            }
            switch target {
            case .first: cursor = ListCursor()
            case .last: cursor.select(page.count - 1, count: page.count, visible: visible)
            case .position(let p):
                let index = page.firstIndex(where: { (anchor($0)?.ordinal ?? 0) >= p }) ?? max(0, page.count - 1)
                cursor = ListCursor()
                cursor.select(index, count: page.count, visible: visible)
                if page.indices.contains(index), anchor(page[index])?.ordinal != p {
                    context.inform("no visible event at position \(p); showing the next one")
                }
            }
            if cursor.selected == page.count - 1 { newCount = 0 }
            if case .position = target, !atStart, let first = anchor(page.first) {
                return [load(.before(first), purpose: .context, &context)]
            }
        case .append:
            let wasAtBottom = rows.isEmpty || cursor.selected == rows.count - 1
            rows += page
            atEnd = !full
            if context.follow, !page.isEmpty {
                if wasAtBottom {
                    cursor.select(rows.count - 1, count: rows.count, visible: visible)
                } else {
                    newCount += page.count
                }
            }
            let excess = rows.count - Self.maxRows
            if excess > 0 {
                rows.removeFirst(excess)
                atStart = false
                cursor.shift(by: -excess, count: rows.count, visible: visible)
            }
            // Following a burst larger than a page: keep reading until caught up with the head.
            if context.follow, full, let last = anchor(rows.last) {
                return [load(.after(last), purpose: .append, &context)]
            }
        case .prepend, .context:
            rows = page + rows
            atStart = !full
            cursor.shift(by: page.count, count: rows.count, visible: visible)
            if purpose == .context {
                // Centre the jump target in the view.
                cursor.top = max(0, cursor.selected - visible / 2)
                cursor.clamp(count: rows.count, visible: visible)
            }
            let excess = rows.count - Self.maxRows
            if excess > 0 {
                rows.removeLast(excess)
                atEnd = false
                cursor.clamp(count: rows.count, visible: visible)
            }
        }
        return []
    }

    /// Loads the neighbouring page when the selection comes near the edge of what is loaded.
    mutating func pageIfNeeded(_ context: inout PaneContext) -> [PaneCommand] {
        guard pending == nil, !rows.isEmpty else { return [] }
        let margin = context.layout.listRows
        if cursor.selected >= rows.count - margin, !atEnd, let last = anchor(rows.last) {
            return [load(.after(last), purpose: .append, &context)]
        }
        if cursor.selected < margin, !atStart, let first = anchor(rows.first) {
            return [load(.before(first), purpose: .prepend, &context)]
        }
        return []
    }
}
