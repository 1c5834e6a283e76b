import EventStore
import ExplorerCore
import Testing
import TestSupport

/// What a newcomer meets first: the demo opens on the live log, and scrolling up says it paused.
@Suite struct NewcomerTests {
    @Test func theDemoOpeningShowsTheLogAtTheHeadFollowing() async {
        var explorer = HeadlessExplorer(reader: Fixture.store, width: 60, height: 12, now: Fixture.now, opening: .followingLog)
        await explorer.start()
        #expect(explorer.state.focus == .events)
        #expect(explorer.state.follow)
        let events = explorer.state.events
        #expect(events.rows[events.cursor.selected].globalPosition == 7)
        let text = explorer.screen.plainText()
        #expect(text[1].hasPrefix("┌ Events · global log · following "))
        #expect(text[11].contains("│ following │"))
    }

    @Test func scrollingUpWhileFollowingSaysPausedAndCountsWhatArrives() async {
        var store = Fixture.store
        var explorer = HeadlessExplorer(reader: store, width: 60, height: 12, now: Fixture.now, opening: .followingLog)
        await explorer.start()
        await explorer.press([.char("k")])
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "12:00:01"))
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 1)))
        let text = explorer.screen.plainText()
        #expect(text[1].hasPrefix("┌ Events · global log · paused · 1 new "), "\(text[1])")
        #expect(text[11].contains("│ paused · 1 new │"), "\(text[11])")
        // Back at the bottom: following again.
        await explorer.press([.char("G")])
        #expect(explorer.screen.plainText()[1].hasPrefix("┌ Events · global log · following "))
    }
}
