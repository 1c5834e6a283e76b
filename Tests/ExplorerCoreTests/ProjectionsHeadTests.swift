import EventStore
import ExplorerCore
import Testing

/// The Projections pane's HEAD column is the head the status line shows, even between the
/// pane's refreshes; its pending counts say which head they were counted at when that differs.
@Suite struct ProjectionsHeadTests {
    @Test func headIsTheLiveHeadAndPendingSaysWhichHeadItIsAsOf() async throws {
        var store = Fixture.store
        var state = ExplorerState(info: store.info, width: 100, height: 12, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        try await FollowTests.settle(&state, .key(.char("f")), on: store)
        try await FollowTests.settle(&state, .key(.char("4")), on: store)
        #expect(state.head == 7)
        #expect(Screen.render(state).plainText()[1].hasPrefix("┌ Projections (2) ─"))

        // Two events land; the head poll sees them before the pane's next refresh (every 2 s).
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "11:59:59"))
        store.eventRows.append(Fixture.event(9, "Account-acc2", 2, "MoneyDeposited", "11:59:59"))
        try await FollowTests.settle(&state, .tick(Fixture.now.adding(seconds: 0.5)), on: store)
        #expect(state.head == 9)
        var lines = Screen.render(state).plainText()
        #expect(lines[1].hasPrefix("┌ Projections (2) · pending as of head 7 ─"), "\(lines[1])")
        #expect(lines.last?.contains("head 9") == true, "\(lines.last ?? "")")
        // orders: checkpoint 2, HEAD the live 9, and 3 pending as of head 7 (5, 6, 7; 4 is hidden).
        let pending = try #require(lines.first { $0.contains("orders") })
        #expect(pending.contains(try Regex("orders +2 +9 +3 ")), "\(pending)")

        // The next refresh counts at the new head, and the note goes.
        try await FollowTests.settle(&state, .tick(Fixture.now.adding(seconds: 2.5)), on: store)
        lines = Screen.render(state).plainText()
        #expect(lines[1].hasPrefix("┌ Projections (2) ─"), "\(lines[1])")
        let orders = try #require(lines.first { $0.contains("orders") })
        #expect(orders.contains(try Regex("orders +2 +9 +5 ")), "\(orders)")
    }

    @Test func aSnapshotNewerThanTheLastPollMovesTheStatusLine() async throws {
        var store = Fixture.store
        var state = ExplorerState(info: store.info, width: 100, height: 12, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "11:59:59"))
        // The pane's first load reads the snapshot before any new head poll.
        let effects = state.apply(.key(.char("4")))
        for case .query(let id, .projections, let query) in effects {
            _ = state.apply(.loaded(id: id, try await query.execute(on: store)))
        }
        #expect(state.head == 8)
        #expect(Screen.render(state).plainText()[1].hasPrefix("┌ Projections (2) ─"))
    }
}
