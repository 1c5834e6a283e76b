import Testing
import ExplorerCore

@Suite struct HelpScreenTests {
    @Test func helpListsEveryKey() async {
        var explorer = await Fixture.explorer(height: 26)
        await explorer.press([.char("?")])
        expectScreen(explorer.screen, [
            " 1 Streams   2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Help · Esc closes ───────────────────────────────────────┐",
            row(" j k ↓ ↑         move down / up"),
            row(" g G Home End    first / last row"),
            row(" PgDn PgUp Space page down / up"),
            row(" Tab S-Tab 1-5   switch pane"),
            row(" Enter           drill in: stream → events → detail"),
            row(" Esc             back, or clear the filter"),
            row(" /               prefix filter (streams), regex search"),
            row(" n N             next / previous match"),
            row(" :               command line (Tab completes)"),
            row(" :pos N          jump to global position N"),
            row(" :stream ID      show one stream's events"),
            row(" :type NAME      global log of one event type"),
            row(" :theme NAME     switch colour theme"),
            row(" :q              quit"),
            row(" f               follow the head on/off"),
            row(" t               relative / absolute times"),
            row(" r               raw view (in Detail)"),
            row(" y               copy the event's JSON (OSC 52)"),
            row(" ?               this help"),
            row(" q               quit"),
            row(""),
            "└──────────────────────────────────────────────────────────┘",
            "Esc close help  j/k scroll",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.escape])
        #expect(!explorer.state.showHelp)
    }

    @Test func helpScrollsAtSmallSizes() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("?"), .char("G"), .pageDown, .pageDown, .pageDown])
        let text = explorer.screen.plainText()
        #expect(text[2] == row(" :q              quit"))
        #expect(text[8] == row(" q               quit"))
    }
}
