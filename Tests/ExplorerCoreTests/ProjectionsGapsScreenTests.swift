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
            "│ PROJECTION      CHECKPOINT PENDING UPDATED STATUS        │",
            "│>balances                 7       0 1s      caught-up     │",
            "│ orders                   2       3 60s     blocked-by-gap│",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter pending events  / search  n/N next  ? help  q quit",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    @Test func projectionsWideShowLeaseAndHead() async {
        var explorer = await Fixture.explorer(width: 100)
        await explorer.press([.char("4")])
        let text = explorer.screen.plainText()
        #expect(text[2] == "│ PROJECTION       CHECKPOINT    HEAD PENDING UPDATED LEASE           EXPIRES STATUS           EV/S│")
        #expect(text[3] == "│>balances                  7       7       0 1s      runner-1        25s     caught-up            │")
        #expect(text[4] == "│ orders                    2       7       3 60s     —                       blocked-by-gap       │")
    }

    @Test func throughputComesFromTheCheckpointsMovementBetweenRefreshes() async {
        var store = Fixture.store
        var explorer = await Fixture.explorer(width: 100, store: store)
        await explorer.press([.char("4")])
        store.checkpointRows[0].position = 6
        store.checkpointRows[0].updatedAt = StoreTime(text: "2026-11-22T12:00:01Z")
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 2)))
        #expect(explorer.screen.plainText()[4] == "│ orders                    6       7       1 1s      —                       catching-up         2│")
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
            "│ POSITIONS  LEN KIND    SEEN     AGE   STATE     BLOCKS   │",
            "│>3            1 missing 12:00:00 0s    in-flight orders   │",
            "│ 4            1 deleted 12:00:00 0s    in-flight orders   │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter jump to gap  / search  n/N next  ? help  q quit",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    @Test func gapsTurnStaleAfterTheTimeoutAndKeepTheirFirstSighting() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("5")])
        await explorer.send(.tick(Fixture.now.adding(seconds: 12)))
        let text = explorer.screen.plainText()
        #expect(text[3] == "│>3            1 missing 12:00:00 12s   stale     orders   │")
        #expect(text[4] == "│ 4            1 deleted 12:00:00 12s   stale     orders   │")
    }
}
