import EventStore
import ExplorerCore
import Testing

/// The global log pages through a store larger than one page, keeping a bounded window loaded.
@Suite struct PagingTests {
    static var bigStore: FakeStore {
        var store = Fixture.store
        store.eventRows = (0..<2500).map { Fixture.event(Int64($0), "Big-\($0 % 7)", Int64($0 / 7), "Tick", "11:59:00") }
        return store
    }

    @Test func pageDownLoadsMoreAndKeepsTheWindowBounded() async {
        var explorer = await Fixture.explorer(store: Self.bigStore)
        await explorer.press([.char("2")])
        #expect(explorer.state.events.rows.count == EventsPane.pageSize)
        #expect(!explorer.state.events.atEnd)
        await explorer.press(Array(repeating: .pageDown, count: 400))
        let events = explorer.state.events
        #expect(events.rows.count <= EventsPane.maxRows)
        #expect(events.rows[events.cursor.selected].globalPosition == 2400)
        #expect(explorer.screen.plainText()[8].hasPrefix("│>  2400"))
    }

    @Test func followCatchesUpWithABurstLargerThanAPage() async {
        var store = Self.bigStore
        var explorer = await Fixture.explorer(store: store)
        await explorer.press([.char("2"), .char("f")])
        #expect(explorer.state.events.rows.last?.globalPosition == 2499)
        store.eventRows += (2500..<3000).map { Fixture.event(Int64($0), "Big-1", Int64($0), "Tock", "11:59:59") }
        explorer = explorer.replacingReader(store)
        await explorer.send(.tick(Fixture.now.adding(seconds: 1)))
        let events = explorer.state.events
        #expect(events.rows.last?.globalPosition == 2999)
        #expect(events.rows[events.cursor.selected].globalPosition == 2999)
        #expect(events.rows.count <= EventsPane.maxRows)
    }

    @Test func endJumpsToTheHeadAndHomeBack() async {
        var explorer = await Fixture.explorer(store: Self.bigStore)
        await explorer.press([.char("2"), .char("G")])
        #expect(explorer.state.events.rows.last?.globalPosition == 2499)
        #expect(explorer.screen.plainText()[8].hasPrefix("│>  2499"))
        await explorer.press([.char("k"), .char("g")])
        #expect(explorer.screen.plainText()[3].hasPrefix("│>     0"))
        await explorer.press(Array(":pos 1234".map(Key.char)) + [.enter, .up])
        let events = explorer.state.events
        #expect(events.rows[events.cursor.selected].globalPosition == 1233)
    }
}
