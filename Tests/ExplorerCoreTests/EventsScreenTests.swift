import Testing
import ExplorerCore

@Suite struct EventsScreenTests {
    @Test func globalLogHidesDeletedStreamsEvents() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("2")])
        expectScreen(explorer.screen, [
            " 1 Streams  [2 Events]  3 Detail   4 Projections   5 Gaps",
            "┌ Events · global log ─────────────────────────────────────┐",
            "│ GLOBAL POS TYPE           TIME    STREAM                 │",
            "│>     0   0 AccountOpened  10m     Account-acc1           │",
            "│      1   0 AccountOpened  30s     Account-acc2           │",
            "│      2   1 MoneyDeposited 5m      Account-acc1           │",
            "│      5   0 OrderPlaced    60m     Order-o1               │",
            "│      6   1 OrderShipped   60m     Order-o1               │",
            "│      7   2 MoneyWithdrawn 2m      Account-acc1           │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter detail  Esc back  / search  f follow  t times  y copy",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    @Test func enterOnAStreamShowsItsEventsAndEscGoesBack() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.enter])
        expectScreen(explorer.screen, [
            " 1 Streams  [2 Events]  3 Detail   4 Projections   5 Gaps",
            "┌ Events of Account-acc1 ──────────────────────────────────┐",
            // One stream's events: the title names the stream, so no column repeats it (issue 7).
            "│ GLOBAL POS TYPE           TIME                           │",
            "│>     0   0 AccountOpened  10m                            │",
            "│      2   1 MoneyDeposited 5m                             │",
            "│      7   2 MoneyWithdrawn 2m                             │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter detail  Esc back  / search  f follow  t times  y copy",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.escape])
        #expect(explorer.state.focus == .streams)
    }

    @Test func posJumpsToAGlobalPosition() async {
        var explorer = await Fixture.explorer()
        await explorer.press(Array(":pos 6".map(Key.char)) + [.enter])
        #expect(explorer.state.focus == .events)
        #expect(explorer.screen.plainText()[7] == "│>     6   1 OrderShipped   60m     Order-o1               │")
        await explorer.press(Array(":pos 3".map(Key.char)) + [.enter])
        #expect(explorer.screen.plainText()[10] == "no visible event at position 3; showing the next one")
        #expect(explorer.state.events.rows[explorer.state.events.cursor.selected].globalPosition == 5)
    }

    @Test func typeFilterAndSearchWithNextMatch() async {
        var explorer = await Fixture.explorer()
        await explorer.press(Array(":type AccountOpened".map(Key.char)) + [.enter])
        #expect(explorer.screen.plainText()[1].hasPrefix("┌ Events of type AccountOpened ─"))
        #expect(explorer.state.events.rows.map(\.globalPosition) == [0, 1])
        await explorer.press(Array(":type".map(Key.char)) + [.enter, .char("/")] + Array("order".map(Key.char)) + [.enter])
        #expect(explorer.state.events.cursor.selected == 3)
        await explorer.press([.char("n")])
        #expect(explorer.state.events.cursor.selected == 4)
        await explorer.press([.char("n")])
        #expect(explorer.state.events.cursor.selected == 3)
        #expect(explorer.screen.plainText()[10] == "search wrapped")
        await explorer.press([.char("N")])
        #expect(explorer.state.events.cursor.selected == 4)
    }

    @Test func followShowsNewEventsOrCountsThemWhenScrolledAway() async {
        var store = Fixture.store
        var explorer = await Fixture.explorer(store: store)
        await explorer.press([.char("2"), .char("f")])
        #expect(explorer.state.events.cursor.selected == 5)
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "11:59:59"))
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 1)))
        #expect(explorer.state.events.rows.last?.globalPosition == 8)
        #expect(explorer.state.events.cursor.selected == 6)
        await explorer.press([.char("g")])
        store.eventRows.append(Fixture.event(9, "Account-acc2", 2, "MoneyDeposited", "11:59:59"))
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 2)))
        #expect(explorer.state.events.cursor.selected == 0)
        // Scrolled away from the bottom: paused, and the title and status line both say so (issue 7).
        #expect(explorer.screen.plainText()[1].hasPrefix("┌ Events · global log · paused · 1 new ─"))
        #expect(explorer.screen.plainText()[11] == "READ-ONLY │ waku │ head 9 │ paused · 1 new │ fake.db")
    }

    @Test func copyEmitsTheEventJSON() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("2"), .char("y")])
        #expect(explorer.copied.count == 1)
        #expect(explorer.copied.first?.contains("\"global_position\": 0") == true)
        #expect(explorer.screen.plainText()[10] == "copied event 0 as JSON (OSC 52)")
    }
}
