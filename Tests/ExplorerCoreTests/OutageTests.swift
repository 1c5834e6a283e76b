import EventStore
import ExplorerCore
import Testing

/// The store's server going away and coming back, driven action by action: what the status line
/// says, when the explorer probes, and that the panes go on from where they were.
@Suite struct OutageTests {
    static let lost = StoreError.unreachable(location: "postgres://reader@db:5432/shop",
                                             reason: "cannot connect to db:5432: connection refused")

    /// Applies an action and answers every query it leads to from `store`, or, while `down`, with
    /// the failure an unreachable server gives. Returns the queries asked, by slot.
    @discardableResult
    static func settle(_ state: inout ExplorerState, _ action: Action, on store: FakeStore, down: Bool) async throws -> [Slot] {
        var asked: [Slot] = []
        var queue = [action]
        while !queue.isEmpty {
            for effect in state.apply(queue.removeFirst()) {
                guard case .query(let id, let slot, let query) = effect else { continue }
                asked.append(slot)
                queue.append(down ? .failure(id: id, lost, at: store.info.location) : .loaded(id: id, try await query.execute(on: store)))
            }
        }
        return asked
    }

    static func statusLine(_ state: ExplorerState) -> String { Screen.render(state).plainText().last ?? "" }

    /// The log followed to its last event (7), at `Fixture.now`.
    static func following(_ store: FakeStore) async throws -> ExplorerState {
        var state = ExplorerState(info: store.info, width: 80, height: 12, now: Fixture.now)
        try await settle(&state, .start, on: store, down: false)
        try await settle(&state, .key(.char("2")), on: store, down: false)
        try await settle(&state, .key(.char("f")), on: store, down: false)
        #expect(state.events.rows.last?.globalPosition == 7)
        return state
    }

    @Test func backoffDoublesFromAQuarterSecondToFiveSeconds() {
        #expect((1...8).map(Reconnecting.delay(afterAttempts:)) == [0.25, 0.5, 1, 2, 4, 5, 5, 5])
    }

    @Test func anUnreachableStoreIsAnOutageAndOtherFailuresAreNot() {
        guard case .disconnected(7, let text) = Action.failure(id: 7, Self.lost, at: "x") else {
            Issue.record("unreachable is not a disconnection")
            return
        }
        #expect(text == Self.lost.description)
        guard case .failed(8, _) = Action.failure(id: 8, StoreError.queryFailed(location: "x", reason: "syntax"), at: "x") else {
            Issue.record("a query's own failure became a disconnection")
            return
        }
    }

    @Test func theStatusLineSaysReconnectingAndProbesWithBackoff() async throws {
        let store = Fixture.store
        var state = try await Self.following(store)
        var t = 1.0
        // The server goes away: the next head poll fails.
        let first = try await Self.settle(&state, .tick(Fixture.now.adding(seconds: t)), on: store, down: true)
        #expect(first == [.head])
        #expect(state.reconnecting?.attempts == 1)
        #expect(Self.statusLine(state) == "READ-ONLY │ waku │ head 7 │ reconnecting… (1 failed, next in <1 s) │ fake.db")
        #expect(state.message == Message(text: Self.lost.description, isError: true))
        #expect(state.events.rows.last?.globalPosition == 7, "the rows read before stay")

        // Probes only when each wait is over, and each failed probe waits twice as long (to 5 s).
        var probes: [Double] = []
        while t < 30 {
            t += 0.25
            let asked = try await Self.settle(&state, .tick(Fixture.now.adding(seconds: t)), on: store, down: true)
            #expect(asked.allSatisfy { $0 == .head }, "only the probe reads during an outage: \(asked)")
            if !asked.isEmpty { probes.append(t) }
        }
        #expect(zip(probes, probes.dropFirst()).map { $1 - $0 }.prefix(6) == [0.5, 1, 2, 4, 5, 5], "\(probes)")
        #expect(Self.statusLine(state).contains("reconnecting… (\(probes.count + 1) failed, next in"))
    }

    @Test func theFollowedLogGoesOnFromItsLastRowWhenTheServerIsBack() async throws {
        var store = Fixture.store
        var state = try await Self.following(store)
        try await Self.settle(&state, .tick(Fixture.now.adding(seconds: 1)), on: store, down: true)
        #expect(state.reconnecting != nil)

        // Back, with two events written during the outage.
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "11:59:59"))
        store.eventRows.append(Fixture.event(9, "Account-acc2", 2, "MoneyDeposited", "11:59:59"))
        let asked = try await Self.settle(&state, .tick(Fixture.now.adding(seconds: 2)), on: store, down: false)
        #expect(asked.first == .head)
        #expect(state.reconnecting == nil)
        #expect(state.events.rows.map(\.globalPosition) == [0, 1, 2, 5, 6, 7, 8, 9])
        #expect(state.events.rows[state.events.cursor.selected].globalPosition == 9)
        #expect(state.message?.text.hasPrefix("reconnected after 1.0s (1 failed attempt)") == true, "\(String(describing: state.message))")
        #expect(Self.statusLine(state) == "READ-ONLY │ waku │ head 9 │ following │ fake.db")
    }

    @Test func aPageLostInTheOutageIsReadAgainThoughTheHeadDidNotMove() async throws {
        var store = Fixture.store
        var state = try await Self.following(store)
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "11:59:59"))
        // The head poll sees 8, and the server goes away before the page after 7 is read.
        let poll = state.apply(.tick(Fixture.now.adding(seconds: 1)))
        guard case .query(let headID, .head, let headQuery)? = poll.first else {
            Issue.record("no head poll: \(poll)")
            return
        }
        let page = state.apply(.loaded(id: headID, try await headQuery.execute(on: store)))
        guard case .query(let pageID, .events, _)? = page.first else {
            Issue.record("no page after the head moved: \(page)")
            return
        }
        try await Self.settle(&state, .failure(id: pageID, Self.lost, at: "fake.db"), on: store, down: true)
        #expect(state.reconnecting != nil && state.head == 8)

        // Back: the head is still 8, yet the page the outage lost is read.
        try await Self.settle(&state, .tick(Fixture.now.adding(seconds: 2)), on: store, down: false)
        #expect(state.reconnecting == nil)
        #expect(state.events.rows.map(\.globalPosition) == [0, 1, 2, 5, 6, 7, 8])
    }

    @Test func panesThatRefreshWaitForTheOutageToEndThenReload() async throws {
        let store = Fixture.store
        var state = ExplorerState(info: store.info, width: 80, height: 12, now: Fixture.now)
        try await Self.settle(&state, .start, on: store, down: false)
        try await Self.settle(&state, .key(.char("4")), on: store, down: false)
        #expect(state.projections.pending == nil)
        // Down at the next refresh (2 s): the projections' read and the head poll fail.
        try await Self.settle(&state, .tick(Fixture.now.adding(seconds: 2)), on: store, down: true)
        #expect(state.reconnecting != nil)
        let during = try await Self.settle(&state, .tick(Fixture.now.adding(seconds: 4.1)), on: store, down: true)
        #expect(!during.contains(.projections), "the pane refreshed during the outage: \(during)")
        // Back: the probe succeeds and the shown pane reads again at once.
        let back = try await Self.settle(&state, .tick(Fixture.now.adding(seconds: 9)), on: store, down: false)
        #expect(back.contains(.head) && back.contains(.projections), "\(back)")
        #expect(state.reconnecting == nil)
    }
}

/// The Gaps pane's FILL column: only where the store can tell (PostgreSQL gives the open writers).
@Suite struct GapsFillabilityScreenTests {
    /// The fixture's Gaps pane, its scan answered with `writers` (nil: a store that cannot tell).
    static func gapsScreen(writers: OpenWriters?) async throws -> [String] {
        let store = Fixture.store
        var state = ExplorerState(info: store.info, width: 90, height: 12, now: Fixture.now)
        try await OutageTests.settle(&state, .start, on: store, down: false)
        for effect in state.apply(.key(.char("5"))) {
            guard case .query(let id, .gaps, let query) = effect, case .gaps(var scan) = try await query.execute(on: store) else { continue }
            scan.writers = writers
            _ = state.apply(.loaded(id: id, .gaps(scan)))
        }
        return Screen.render(state).plainText()
    }

    @Test func sqliteShowsNoFillColumn() async throws {
        let text = try await Self.gapsScreen(writers: nil)
        #expect(text[2].contains("KIND") && !text[2].contains("FILL"), "\(text.joined(separator: "\n"))")
    }

    /// Run 3 was first seen when event 4 committed (11:51), 9 minutes before `now`; run 4 is deleted.
    @Test func aMissingRunIsFillableWhileAnOlderWriterIsOpenElsePermanent() async throws {
        let open = try await Self.gapsScreen(writers: OpenWriters(oldestAge: 600, hiddenSessions: 0))
        #expect(open[2].contains("FILL"), "\(open.joined(separator: "\n"))")
        #expect(open[3].hasPrefix("│>3 ") && open[3].contains("missing") && open[3].contains("fillable"), "\(open[3])")
        #expect(open[4].hasPrefix("│ 4 ") && open[4].contains("deleted") && open[4].contains("permanent"), "\(open[4])")

        let younger = try await Self.gapsScreen(writers: OpenWriters(oldestAge: 100, hiddenSessions: 0))
        #expect(younger[3].contains("permanent") && !younger[3].contains("fillable"), "\(younger[3])")

        let hidden = try await Self.gapsScreen(writers: OpenWriters(oldestAge: nil, hiddenSessions: 2))
        #expect(hidden[3].contains("unknown"), "\(hidden[3])")
        #expect(hidden[4].contains("permanent"), "\(hidden[4])")
    }
}
