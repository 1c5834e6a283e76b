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

/// The command line tells the newcomer what went wrong instead of showing an empty pane.
@Suite struct CommandLineAnswersTests {
    @Test func posPastTheHeadShowsTheHeadAndSaysSo() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press(try Key.parseSequence(": text:pos Space text:999 Enter"))
        let events = explorer.state.events
        #expect(events.rows[events.cursor.selected].globalPosition == 7)
        #expect(explorer.state.message?.text == "position 999 is past the head 7; showing the head")
    }

    @Test func anUnknownStreamSaysSo() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press(try Key.parseSequence(": text:stream Space text:Order-nope Enter"))
        let message = try #require(explorer.state.message)
        #expect(message.isError && message.text.contains("no stream \"Order-nope\""), "\(message.text)")
        #expect(message.text.contains("Order-o1"))
    }

    @Test func anUnknownTypeSaysSo() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press(try Key.parseSequence(": text:type Space text:OrderPlacd Enter"))
        let message = try #require(explorer.state.message)
        #expect(message.isError && message.text.contains("no events of type \"OrderPlacd\""), "\(message.text)")
        #expect(message.text.contains("OrderPlaced"))
    }

    /// Completion asks the store, not the rows loaded: stream 449 is far beyond the first page.
    @Test func completionReadsTheStore() async throws {
        var explorer = await Fixture.explorer(store: StreamsEndAndCountTests.manyStreams)
        await explorer.press(try Key.parseSequence(": text:stream Space text:Big-44 Tab"))
        #expect(explorer.state.input?.text == "stream Big-44")
        #expect(explorer.state.message?.text.hasPrefix("Big-440  Big-441") == true)
        await explorer.press(try Key.parseSequence("text:9 Tab"))
        #expect(explorer.state.input?.text == "stream Big-449")
        await explorer.press(try Key.parseSequence("Esc : text:type Space text:MoneyD Tab"))
        #expect(explorer.state.input?.text == "type MoneyDeposited")
    }

    @Test func escapeTakesTheCandidatesAway() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press(try Key.parseSequence(": text:type Space text:Order Tab"))
        #expect(explorer.state.message?.text == "OrderPlaced  OrderShipped")
        await explorer.press([.escape])
        #expect(explorer.state.message == nil)
        await explorer.press(try Key.parseSequence(": text:theme Space Tab Esc 4"))
        #expect(explorer.state.message == nil)
    }
}

/// The numbers on screen agree: the status line's head is never below a row shown.
@Suite struct ConsistentNumbersTests {
    @Test func theStatusLineHeadNeverTrailsTheRows() async {
        var store = Fixture.store
        var explorer = await Fixture.explorer(store: store)
        #expect(explorer.state.head == 7)
        // Events arrive; the Events pane reads them before the next head poll.
        store.eventRows.append(Fixture.event(8, "Account-acc2", 1, "MoneyDeposited", "12:00:01"))
        explorer = explorer.replacingReader(store)
        await explorer.press([.char("2")])
        #expect(explorer.state.events.rows.last?.globalPosition == 8)
        #expect(explorer.state.head == 8)
        #expect(explorer.screen.plainText()[11].contains("│ head 8 │"))
    }
}
