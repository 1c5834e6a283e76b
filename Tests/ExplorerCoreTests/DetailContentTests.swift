import EventStore
import ExplorerCore
import Testing

/// The Detail pane keeps the event's text, built when the event or the view changes.
@Suite struct DetailContentTests {
    @Test func theTextIsBuiltWhenShownAndRebuiltWhenRawToggles() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press(try Key.parseSequence("2 Enter"))
        let event = try #require(explorer.state.detail.event)
        #expect(explorer.state.detail.content.event == event)
        #expect(!explorer.state.detail.content.raw)
        await explorer.press(try Key.parseSequence("r"))
        #expect(explorer.state.detail.content.raw)
        #expect(explorer.state.detail.content.lines(now: Fixture.now) == DetailContent.lines(for: event, raw: true, now: Fixture.now))
        await explorer.press(try Key.parseSequence("r Esc j Enter"))
        #expect(explorer.state.detail.content.event?.globalPosition == 1)
        #expect(!explorer.state.detail.content.raw)
    }

    @Test func onlyTheTimeLineFollowsTheClock() {
        let event = Fixture.event(0, "Account-acc1", 0, "AccountOpened", "11:50:00", data: #"{"a": [1, 2]}"#)
        let content = DetailContent(event: event, raw: false)
        let early = content.lines(now: Fixture.now)
        let later = content.lines(now: Fixture.now.adding(seconds: 3600))
        #expect(early.count == later.count)
        let differing = early.indices.filter { early[$0] != later[$0] }
        #expect(differing == [2])
        #expect(later[2].map(\.text).joined() == "time            2026-11-22T11:50:00.000000Z (70m ago)")
    }
}
