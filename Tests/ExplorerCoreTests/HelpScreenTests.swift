import Testing
import ExplorerCore

@Suite struct HelpScreenTests {
    /// Help is a box over the focused pane: the pane's tab, title, rows and borders stay around it.
    @Test func helpListsEveryKeyOverThePane() async {
        var explorer = await Fixture.explorer(height: 38)
        await explorer.press([.char("?")])
        expectScreen(explorer.screen, [
            "[1 Streams]  2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Streams (4) ─────────────────────────────────────────────┐",
            "│ ┌ Help · Esc closes ───────────────────────────────────┐ │",
            "│>│ j k ↓ ↑         move down / up                       │ │",
            "│ │ g G Home End    first / last row                     │ │",
            "│ │ PgDn PgUp Space page down / up                       │ │",
            "│ │ wheel           mouse wheel scrolls, as j / k        │ │",
            "│ │ Tab S-Tab 1-6   switch pane (6: dead letters)        │ │",
            "│ │ Enter           drill in: stream → events → detail   │ │",
            "│ │ Esc             back, or clear the filter            │ │",
            "│ │ /               prefix filter (streams), regex search│ │",
            "│ │ n N             next / previous match                │ │",
            "│ │ :               command line (Tab completes)         │ │",
            "│ │ :pos N          jump to global position N            │ │",
            "│ │ :stream ID      show one stream's events             │ │",
            "│ │ :type NAME      global log of one event type         │ │",
            "│ │ :theme NAME     switch colour theme                  │ │",
            "│ │ :q              quit                                 │ │",
            "│ │ f               follow the head on/off               │ │",
            "│ │ t               relative / absolute times            │ │",
            "│ │ Z               absolute times: UTC / local zone     │ │",
            "│ │ r               raw view (in Detail)                 │ │",
            "│ │ h l ← →         scroll long lines across (in Detail) │ │",
            "│ │ J K             next / previous event (in Detail)    │ │",
            "│ │ s               the event's stream (in Detail)       │ │",
            "│ │ c               the event its causation id names     │ │",
            "│ │ o               the event's data in $PAGER (less)    │ │",
            "│ │ e               dead letter's event (in Dead letters)│ │",
            "│ │ y               copy the event's JSON (OSC 52)       │ │",
            "│ │ R               rebuild a projection (in Projections)│ │",
            "│ │ L               rebuild command's log; x stops it    │ │",
            "│ │ ?               this help (over the pane)            │ │",
            "│ │ C-z             suspend; the shell's fg resumes      │ │",
            "│ │ q               quit                                 │ │",
            "│ └──────────────────────────────────────────────────────┘ │",
            "└──────────────────────────────────────────────────────────┘",
            "Esc close help  j/k scroll",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.escape])
        #expect(!explorer.state.showHelp)
        #expect(explorer.screen.plainText()[3] == "│>Account-acc1 Account        2 2m                         │")
    }

    @Test func helpScrollsAtSmallSizes() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("?"), .char("G"), .pageDown, .pageDown, .pageDown])
        expectScreen(explorer.screen, [
            "[1 Streams]  2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Streams (4) ─────────────────────────────────────────────┐",
            "│ ┌ Help · Esc closes ───────────────────────────────────┐ │",
            "│>│ R               rebuild a projection (in Projections)│ │",
            "│ │ L               rebuild command's log; x stops it    │ │",
            "│ │ ?               this help (over the pane)            │ │",
            "│ │ C-z             suspend; the shell's fg resumes      │ │",
            "│ │ q               quit                                 │ │",
            "│ └──────────────────────────────────────────────────────┘ │",
            "└──────────────────────────────────────────────────────────┘",
            "Esc close help  j/k scroll",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.char("g")])
        #expect(explorer.screen.plainText()[3] == "│>│ j k ↓ ↑         move down / up                       │ │")
    }
}
