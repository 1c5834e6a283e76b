import EventStore
import ExplorerCore
import Testing

/// From 160 columns on, Events and Detail show side by side and the detail follows the cursor,
/// as lazygit and tig do; below that, one pane at a time as before (issue 7).
@Suite struct SideBySideTests {
    @Test func atOneHundredAndSixtyColumnsTheDetailFollowsTheCursor() async throws {
        var explorer = await Fixture.explorer(width: 160, height: 14)
        await explorer.press([.char("2")])
        var lines = explorer.screen.plainText()
        // Events in the left 72 cells, Detail in the right 88.
        #expect(lines[1].hasPrefix("┌ Events · global log ─"), "\(lines[1])")
        #expect(lines[1].dropFirst(72).hasPrefix("┌ Detail · AccountOpened ─"), "\(lines[1])")
        #expect(lines[2].dropFirst(72).hasPrefix("│ Account-acc1 #0  global 0"), "\(lines[2])")
        #expect(explorer.state.focus == .events)

        await explorer.press(try Key.parseSequence("j j"))
        lines = explorer.screen.plainText()
        #expect(explorer.state.detail.event?.globalPosition == 2)
        #expect(lines[1].dropFirst(72).hasPrefix("┌ Detail · MoneyDeposited ─"), "\(lines[1])")
        #expect(lines[2].dropFirst(72).hasPrefix("│ Account-acc1 #1  global 2"), "\(lines[2])")
        #expect(lines[3].hasPrefix("│      0   0 AccountOpened "), "\(lines[3])")
    }

    @Test func enterFocusesTheDetailAndJKStillStep() async throws {
        var explorer = await Fixture.explorer(width: 170, height: 14)
        await explorer.press(try Key.parseSequence("2 Enter"))
        #expect(explorer.state.focus == .detail && explorer.state.showsSideBySide)
        await explorer.press(try Key.parseSequence("J J"))
        #expect(explorer.state.detail.event?.globalPosition == 2 && explorer.state.events.cursor.selected == 2)
        // Both boxes stay on screen, the list with its cursor on the event shown.
        let lines = explorer.screen.plainText()
        #expect(lines.contains { $0.hasPrefix("│>     2   1 MoneyDeposited") }, "\(lines)")
        await explorer.press([.escape])
        #expect(explorer.state.focus == .events && explorer.state.detail.event?.globalPosition == 2)
    }

    @Test func belowOneHundredAndSixtyOnePaneShows() async {
        var explorer = await Fixture.explorer(width: 159, height: 14)
        await explorer.press([.char("2")])
        let lines = explorer.screen.plainText()
        #expect(!explorer.state.showsSideBySide)
        #expect(!lines[1].contains("Detail"), "\(lines[1])")
        #expect(lines[1].hasSuffix("┐") && lines[1].count == 159)
    }

    @Test func otherPanesUseTheWholeWidth() async {
        var explorer = await Fixture.explorer(width: 170, height: 14)
        await explorer.press([.char("4")])
        #expect(!explorer.state.showsSideBySide)
        #expect(explorer.screen.plainText()[1].hasPrefix("┌ Projections (2) ─"))
    }

    @Test func anEventReachedByItsCauseStaysUntilTheCursorMoves() async throws {
        var explorer = await Fixture.explorer(width: 170, height: 14, store: EventJumpTests.store)
        await explorer.press(try Key.parseSequence("2 j c"))
        #expect(explorer.state.detail.event?.eventId == "cmd-1" && explorer.state.events.cursor.selected == 1)
        await explorer.press(try Key.parseSequence("Esc j"))
        #expect(explorer.state.detail.event?.eventId == "evt-3")
    }
}
