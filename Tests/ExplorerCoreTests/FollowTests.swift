import EventStore
import ExplorerCore
import Testing

/// Following the head with queries that overlap, driven action by action so the order of
/// results is the one a slow store produces (the headless runner settles each query at once).
@Suite struct FollowTests {
    /// Applies an action and runs every query it asks for against `store` at once, repeatedly.
    static func settle(_ state: inout ExplorerState, _ action: Action, on store: FakeStore) async throws {
        var queue = [action]
        while !queue.isEmpty {
            for effect in state.apply(queue.removeFirst()) {
                if case .query(let id, _, let query) = effect {
                    queue.append(.loaded(id: id, try await query.execute(on: store)))
                }
            }
        }
    }

    @Test func aHeadPollDuringAnEventsPageIsNotLost() async throws {
        var store = Fixture.store
        var state = ExplorerState(info: store.info, width: 60, height: 12, now: Fixture.now)
        try await Self.settle(&state, .start, on: store)
        try await Self.settle(&state, .key(.char("2")), on: store)
        try await Self.settle(&state, .key(.char("f")), on: store)
        #expect(state.events.rows.last?.globalPosition == 7)

        // A head poll sees event 8; the page after 7 is read while the store holds only 8.
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "11:59:59"))
        let poll = state.apply(.tick(Fixture.now.adding(seconds: 1)))
        guard case .query(let headID, .head, let headQuery)? = poll.first else {
            Issue.record("no head poll on tick: \(poll)")
            return
        }
        let page = state.apply(.loaded(id: headID, try await headQuery.execute(on: store)))
        guard case .query(let pageID, .events, let pageQuery)? = page.first else {
            Issue.record("no events page after the head moved: \(page)")
            return
        }
        let pageResult = try await pageQuery.execute(on: store)

        // Event 9 is committed, and the next head poll reports it while that page is still in flight.
        store.eventRows.append(Fixture.event(9, "Account-acc2", 2, "MoneyDeposited", "11:59:59"))
        let secondPoll = state.apply(.tick(Fixture.now.adding(seconds: 2)))
        guard case .query(let secondID, .head, let secondQuery)? = secondPoll.first else {
            Issue.record("no second head poll: \(secondPoll)")
            return
        }
        try await Self.settle(&state, .loaded(id: secondID, try await secondQuery.execute(on: store)), on: store)
        #expect(state.head == 9)

        // The page lands with 8 only: the pane must see that the head is further and read the rest.
        try await Self.settle(&state, .loaded(id: pageID, pageResult), on: store)
        for second in 3...5 {
            try await Self.settle(&state, .tick(Fixture.now.adding(seconds: Double(second))), on: store)
        }
        #expect(state.events.rows.map(\.globalPosition) == [0, 1, 2, 5, 6, 7, 8, 9])
        #expect(state.events.rows[state.events.cursor.selected].globalPosition == 9)
    }
}
