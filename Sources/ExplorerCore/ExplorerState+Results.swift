import EventStore

extension ExplorerState {
    /// Polls the head (faster while following) and refreshes the projections or gaps pane on show.
    mutating func periodicEffects() -> [Effect] {
        var effects: [Effect] = []
        let interval = follow ? Self.followPoll : Self.idlePoll
        if headPending == nil, lastHeadPoll.map({ now.seconds(since: $0) >= interval * 0.9 }) ?? true {
            effects.append(requestHead())
        }
        if focus == .projections, projections.pending == nil,
           projections.loadedAt.map({ now.seconds(since: $0) >= Self.refreshInterval }) ?? true {
            effects.append(loadProjections())
        }
        if focus == .gaps, gaps.pending == nil, gaps.loadedAt.map({ now.seconds(since: $0) >= Self.refreshInterval }) ?? true {
            effects.append(loadGaps())
        }
        return effects
    }

    mutating func receive(id: Int, _ result: QueryResult) -> [Effect] {
        switch result {
        case .head(let position):
            guard headPending?.id == id else { return [] }
            headPending = nil
            let previous = head
            head = position
            if follow, events.pending == nil, events.atEnd, previous.map({ position > $0 }) ?? true {
                return [loadEvents(.after(eventAnchor(events.rows.last) ?? -1), purpose: .append)]
            }
            return []
        case .streams(let page):
            guard streams.pending?.id == id else { return [] }
            streams.pending = nil
            streams.rows = streams.appending ? streams.rows + page : page
            if !streams.appending { streams.cursor = ListCursor() }
            streams.hasMore = page.count == Self.streamsPage
            streams.loaded = true
            streams.cursor.clamp(count: streams.rows.count, visible: layout.listRows)
            return []
        case .events(let page):
            guard events.pending?.id == id else { return [] }
            events.pending = nil
            return receiveEvents(page)
        case .projections(let statuses):
            guard projections.pending?.id == id else { return [] }
            projections.pending = nil
            updateRates(statuses)
            projections.rows = statuses
            projections.loadedAt = now
            projections.cursor.clamp(count: statuses.count, visible: layout.listRows)
            return []
        case .gaps(let found, let statuses):
            guard gaps.pending?.id == id else { return [] }
            gaps.pending = nil
            var seen: [Gap: Timestamp] = [:]
            for gap in found { seen[gap] = gaps.firstSeen[gap] ?? now }
            gaps.firstSeen = seen
            gaps.rows = found
            gaps.statuses = statuses
            gaps.loadedAt = now
            gaps.cursor.clamp(count: found.count, visible: layout.listRows)
            return []
        }
    }

    /// The position paging continues from: global for the log, stream position for a stream.
    func eventAnchor(_ event: RecordedEvent?) -> Int64? {
        guard let event else { return nil }
        if case .stream = events.source { return event.position }
        return event.globalPosition
    }

    mutating func receiveEvents(_ page: [RecordedEvent]) -> [Effect] {
        let visible = layout.listRows
        let full = page.count == Self.eventsPage
        switch events.purpose {
        case .replace(let target):
            events.rows = page
            switch events.pendingAnchor {
            case .after(let p):
                events.atStart = p < 0
                events.atEnd = !full
            case .before:
                events.atStart = !full
                events.atEnd = true
            }
            switch target {
            case .first: events.cursor = ListCursor()
            case .last: events.cursor.select(page.count - 1, count: page.count, visible: visible)
            case .position(let p):
                let index = page.firstIndex(where: { (eventAnchor($0) ?? 0) >= p }) ?? max(0, page.count - 1)
                events.cursor = ListCursor()
                events.cursor.select(index, count: page.count, visible: visible)
                if page.indices.contains(index), eventAnchor(page[index]) != p {
                    message = Message(text: "no visible event at position \(p); showing the next one", isError: false)
                }
            }
            if events.cursor.selected == page.count - 1 { events.newCount = 0 }
            if case .position = target, !events.atStart, let first = eventAnchor(page.first) {
                return [loadEvents(.before(first), purpose: .context)]
            }
        case .append:
            let wasAtBottom = events.rows.isEmpty || events.cursor.selected == events.rows.count - 1
            events.rows += page
            events.atEnd = !full
            if follow, !page.isEmpty {
                if wasAtBottom {
                    events.cursor.select(events.rows.count - 1, count: events.rows.count, visible: visible)
                } else {
                    events.newCount += page.count
                }
            }
            let excess = events.rows.count - Self.maxEventRows
            if excess > 0 {
                events.rows.removeFirst(excess)
                events.atStart = false
                events.cursor.shift(by: -excess, count: events.rows.count, visible: visible)
            }
            // Following a burst larger than a page: keep reading until caught up with the head.
            if follow, full, let last = eventAnchor(events.rows.last) {
                return [loadEvents(.after(last), purpose: .append)]
            }
        case .prepend, .context:
            events.rows = page + events.rows
            events.atStart = !full
            events.cursor.shift(by: page.count, count: events.rows.count, visible: visible)
            if events.purpose == .context {
                // Centre the jump target in the view.
                events.cursor.top = max(0, events.cursor.selected - visible / 2)
                events.cursor.clamp(count: events.rows.count, visible: visible)
            }
            let excess = events.rows.count - Self.maxEventRows
            if excess > 0 {
                events.rows.removeLast(excess)
                events.atEnd = false
                events.cursor.clamp(count: events.rows.count, visible: visible)
            }
        }
        return []
    }

    mutating func updateRates(_ statuses: [ProjectionStatus]) {
        guard let previousTime = projections.loadedAt else { return }
        let elapsed = now.seconds(since: previousTime)
        guard elapsed > 0 else { return }
        let before = Dictionary(projections.rows.map { ($0.name, $0.checkpoint.position) }, uniquingKeysWith: { a, _ in a })
        for status in statuses {
            if let old = before[status.name], status.checkpoint.position >= old {
                projections.rates[status.name] = Double(status.checkpoint.position - old) / elapsed
            }
        }
    }

    /// Loads the neighbouring page when the selection comes near the edge of what is loaded.
    mutating func pageEventsIfNeeded() -> [Effect] {
        guard events.pending == nil, !events.rows.isEmpty else { return [] }
        let margin = layout.listRows
        if events.cursor.selected >= events.rows.count - margin, !events.atEnd, let last = eventAnchor(events.rows.last) {
            return [loadEvents(.after(last), purpose: .append)]
        }
        if events.cursor.selected < margin, !events.atStart, let first = eventAnchor(events.rows.first) {
            return [loadEvents(.before(first), purpose: .prepend)]
        }
        return []
    }

    mutating func pageStreamsIfNeeded() -> [Effect] {
        guard streams.pending == nil, streams.hasMore,
              streams.cursor.selected >= streams.rows.count - layout.listRows else { return [] }
        return [loadStreams(append: true)]
    }
}
