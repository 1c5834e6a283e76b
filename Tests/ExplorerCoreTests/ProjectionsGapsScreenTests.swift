import Testing
import EventStore
import ExplorerCore

@Suite struct ProjectionsGapsScreenTests {
    @Test func projectionsAtSixtyColumnsKeepTheEssentialColumns() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("4")])
        expectScreen(explorer.screen, [
            " 1 Streams   2 Events   3 Detail  [4 Projections]  5 Gaps",
            "┌ Projections (2) ─────────────────────────────────────────┐",
            "│ PROJECTION CHECKPOINT PENDING UPDATED STATUS             │",
            "│>balances            7       0 1s      caught-up          │",
            "│ orders              2       3 60s     blocked-by-gap     │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter pending events  R rebuild  / search  n/N next  ? help",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    @Test func projectionsWideShowLeaseAndHead() async {
        var explorer = await Fixture.explorer(width: 100)
        await explorer.press([.char("4")])
        let text = explorer.screen.plainText()
        // One refresh so far: the lag sparkline has one sample, at its right end.
        #expect(text[2] == "│ PROJECTION CHECKPOINT    HEAD PENDING LAG          UPDATED LEASE    EXPIRES STATUS           EV/S│")
        #expect(text[3] == "│>balances            7       7       0            ▁ 1s      runner-1 25s     caught-up            │")
        #expect(text[4] == "│ orders              2       7       3            █ 60s     —                blocked-by-gap       │")
    }

    @Test func throughputComesFromTheCheckpointsMovementBetweenRefreshes() async {
        var store = Fixture.store
        var explorer = await Fixture.explorer(width: 100, store: store)
        await explorer.press([.char("4")])
        store.checkpointRows[0].position = 6
        store.checkpointRows[0].updatedAt = StoreTime(text: "2026-11-22T12:00:01Z")
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 2)))
        // Both samples fall in the sparkline's last slice (20 s at this width): it keeps the larger.
        #expect(explorer.screen.plainText()[4] == "│ orders              6       7       1            █ 1s      —                catching-up         2│")
    }

    @Test func enterOnAProjectionShowsItsPendingEvents() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("4"), .char("j"), .enter])
        #expect(explorer.state.focus == .events)
        #expect(explorer.state.events.rows[explorer.state.events.cursor.selected].globalPosition == 5)
    }

    @Test func gapsShowKindAgeStateAndWhatTheyBlock() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("5")])
        expectScreen(explorer.screen, [
            " 1 Streams   2 Events   3 Detail   4 Projections  [5 Gaps]",
            "┌ Gaps (2) · timeout 10s ──────────────────────────────────┐",
            "│ POSITIONS LEN KIND    SEEN     AGE   STATE     BLOCKS    │",
            "│>3           1 missing 11:51:00 9m    stale     orders    │",
            "│ 4           1 deleted 11:00:00 60m   permanent orders    │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter jump to gap  / search  n/N next  ? help  q quit",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    /// Gaps that were there before the session are dated by the event after them (above); a gap
    /// that appears while watching is born when first seen, in flight until the timeout, then stale.
    @Test func aGapSeenArrivingTurnsStaleAfterTheTimeout() async {
        var store = Fixture.store
        var explorer = await Fixture.explorer(store: store)
        await explorer.press([.char("5")])
        store.eventRows.append(Fixture.event(9, "Account-acc2", 1, "MoneyDeposited", "12:00:01"))
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 2)))
        #expect(explorer.screen.plainText()[5] == "│ 8           1 missing 12:00:02 0s    in-flight balances  │")
        await explorer.send(.tick(Fixture.now.adding(seconds: 14)))
        let text = explorer.screen.plainText()
        #expect(text[5] == "│ 8           1 missing 12:00:02 12s   stale     balances  │")
        // The runs that were already there keep their age.
        #expect(text[3] == "│>3           1 missing 11:51:00 9m    stale     orders    │")
    }

    /// The Projections pane and the Gaps pane age the same gap the same way: one tracker.
    @Test func projectionsAndGapsAgreeOnAFreshGap() async {
        var store = Fixture.store
        store.checkpointRows[0].position = 7
        store.checkpointRows[0].updatedAt = StoreTime(text: "2026-11-22T11:00:00Z")
        var explorer = await Fixture.explorer(width: 100, store: store)
        await explorer.press([.char("5")])
        store.eventRows.append(Fixture.event(9, "Account-acc2", 1, "MoneyDeposited", "12:00:01"))
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 2)))
        await explorer.press([.char("4")])
        // Waiting on position 8, first seen 0 s ago: catching up, not blocked, although the
        // checkpoint has not moved for an hour.
        #expect(explorer.state.projections.rows.first { $0.name == "orders" }?.state == .catchingUp)
        await explorer.send(.tick(Fixture.now.adding(seconds: 13)))
        #expect(explorer.state.projections.rows.first { $0.name == "orders" }?.state == .blockedByGap)
        await explorer.press([.char("5")])
        let row = explorer.screen.plainText().first { $0.hasPrefix("│>8 ") || $0.hasPrefix("│ 8 ") }
        #expect(row?.contains("stale") == true && row?.contains("orders") == true, "\(row ?? "no row for 8")")
    }
}
