import EventStore
import ExplorerCore
import Testing

/// eventsource-py on PostgreSQL: the rows its readers cannot see yet show in the status line and
/// the Projections pane, read every few seconds beside the head; stores without a horizon never
/// ask for it.
@Suite struct HorizonTests {
    static func store(_ horizon: VisibilityHorizon?) -> FakeStore {
        var store = Fixture.store
        store.info = StoreInfo(location: "postgres://app@db/events", layout: .eventsourcePy,
                               capabilities: StoreLayout.eventsourcePy.capabilities.union(.visibilityHorizon))
        store.horizon = horizon
        return store
    }

    static func horizon(hidden: Int64, first: GlobalPosition?, foreign: Int64) -> VisibilityHorizon {
        VisibilityHorizon(hidden: PendingCount(count: hidden, isCapped: false), firstHidden: first,
                          fromAnotherCluster: PendingCount(count: foreign, isCapped: false), horizon: "7731")
    }

    static func queries(_ effects: [Effect]) -> [Slot] {
        effects.compactMap { if case .query(_, let slot, _) = $0 { slot } else { nil } }
    }

    @Test func aHandfulInFlightIsCountedInTheStatusLineAndThePane() async throws {
        let store = Self.store(Self.horizon(hidden: 3, first: 6, foreign: 0))
        var state = ExplorerState(info: store.info, width: 150, height: 14, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        let status = try #require(Screen.render(state).plainText().last)
        #expect(status.contains("head 7 │ 3 rows not yet visible to the library │"), "\(status)")

        try await FollowTests.settle(&state, .key(.char("4")), on: store)
        let lines = Screen.render(state).plainText()
        let line = try #require(lines.first { $0.contains("horizon ") }, "\(lines.joined(separator: "\n"))")
        #expect(line.contains("3 committed rows from position 6 not yet visible to the library's readers: an older transaction is still open"), "\(line)")
        // The list keeps its rows above the horizon line.
        #expect(lines.contains { $0.contains("orders") })
    }

    @Test func rowsFromAnotherClusterAreCalledAStall() async throws {
        let store = Self.store(Self.horizon(hidden: 7, first: 0, foreign: 7))
        var state = ExplorerState(info: store.info, width: 200, height: 14, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        try await FollowTests.settle(&state, .key(.char("4")), on: store)
        let lines = Screen.render(state).plainText()
        #expect(lines.last?.contains("7 rows from another cluster: invisible to the library") == true, "\(lines.last ?? "")")
        let line = try #require(lines.first { $0.contains("horizon ") })
        #expect(line.contains("7 rows from position 0 carry txids this cluster has not reached (a restored dump?)"), "\(line)")
    }

    @Test func nothingHiddenSaysSoInThePaneAndNothingInTheStatusLine() async throws {
        let store = Self.store(Self.horizon(hidden: 0, first: nil, foreign: 0))
        var state = ExplorerState(info: store.info, width: 150, height: 14, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        try await FollowTests.settle(&state, .key(.char("4")), on: store)
        let lines = Screen.render(state).plainText()
        #expect(lines.last?.contains("visible") == false, "\(lines.last ?? "")")
        #expect(lines.contains { $0.contains("horizon  every committed row is visible to the library's readers (horizon txid 7731)") })
    }

    @Test func theHorizonIsReadEveryFiveSecondsAndFollowsTheStore() async throws {
        var store = Self.store(Self.horizon(hidden: 3, first: 6, foreign: 0))
        var state = ExplorerState(info: store.info, width: 150, height: 14, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        #expect(state.horizon?.hidden.count == 3)
        // The transaction that held the horizon back ends.
        store.horizon = Self.horizon(hidden: 0, first: nil, foreign: 0)
        #expect(!Self.queries(state.apply(.tick(Fixture.now.adding(seconds: 2)))).contains(.horizon))
        let later = state.apply(.tick(Fixture.now.adding(seconds: 5)))
        #expect(Self.queries(later).contains(.horizon))
        for case .query(let id, .horizon, let query) in later {
            try await FollowTests.settle(&state, .loaded(id: id, try await query.execute(on: store)), on: store)
        }
        #expect(state.horizon?.hidden.count == 0)
        #expect(Screen.render(state).plainText().last?.contains("not yet visible") == false)
    }

    @Test func aStoreWithoutAHorizonNeverAsksAndShowsNoLine() async throws {
        let store = Fixture.store
        var state = ExplorerState(info: store.info, width: 150, height: 14, now: Fixture.now)
        #expect(!Self.queries(state.apply(.start)).contains(.horizon))
        state = ExplorerState(info: store.info, width: 150, height: 14, now: Fixture.now)
        try await FollowTests.settle(&state, .start, on: store)
        #expect(!Self.queries(state.apply(.tick(Fixture.now.adding(seconds: 30)))).contains(.horizon))
        try await FollowTests.settle(&state, .key(.char("4")), on: store)
        #expect(!Screen.render(state).plainText().contains { $0.contains("horizon ") })
    }
}
