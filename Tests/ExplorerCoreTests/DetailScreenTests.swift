import Testing
import ExplorerCore

@Suite struct DetailScreenTests {
    @Test func detailShowsFactsAndPrettyJSON() async {
        var explorer = await Fixture.explorer(height: 26)
        await explorer.press([.char("2"), .enter])
        expectScreen(explorer.screen, [
            " 1 Streams   2 Events  [3 Detail]  4 Projections   5 Gaps",
            "┌ Detail · AccountOpened ──────────────────────────────────┐",
            row(" Account-acc1 #0  global 0"),
            row(" type            AccountOpened"),
            row(" time            2026-11-22T11:50:00.000000Z (10m ago)"),
            row(" event id        e0"),
            row(" schema version  1"),
            row(" idempotency key k0"),
            row(" correlation id  c-Account-acc1"),
            row(" causation id    —"),
            row(""),
            row(" data"),
            row(" {"),
            row("   \"owner\": \"Ada\","),
            row("   \"limit\": 12.50"),
            row(" }"),
            row(""),
            row(" metadata"),
            row(" {"),
            row("   \"correlation_id\": \"c-Account-acc1\","),
            row("   \"causation_id\": null,"),
            row("   \"extra\": {}"),
            row(" }"),
            "└──────────────────────────────────────────────────────────┘",
            "j/k scroll  J/K next/prev  s stream  r raw  y copy  Esc back",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.escape])
        #expect(explorer.state.focus == .events)
    }

    @Test func detailScrollsAtSmallSizes() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("2"), .enter, .char("G")])
        expectScreen(explorer.screen, [
            " 1 Streams   2 Events  [3 Detail]  4 Projections   5 Gaps",
            "┌ Detail · AccountOpened ──────────────────────────────────┐",
            row(""),
            row(" metadata"),
            row(" {"),
            row("   \"correlation_id\": \"c-Account-acc1\","),
            row("   \"causation_id\": null,"),
            row("   \"extra\": {}"),
            row(" }"),
            "└──────────────────────────────────────────────────────────┘",
            "j/k scroll  J/K next/prev  s stream  r raw  y copy  Esc back",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.char("k"), .char("g"), .char("j")])
        #expect(explorer.state.detail.scroll == 1)
    }

    @Test func invalidJSONIsShownAsTextWithANotice() async {
        var explorer = await Fixture.explorer(height: 26)
        await explorer.press([.char("2"), .char("G"), .enter])
        let text = explorer.screen.plainText()
        #expect(text[11] == row(" data"))
        #expect(text[12] == row(" not valid JSON (invalid literal at line 1, column 1):"))
        #expect(text[13] == row(" not json"))
    }

    @Test func rawViewShowsTheStoredText() async {
        var explorer = await Fixture.explorer(height: 26)
        await explorer.press([.char("2"), .char("j"), .char("j"), .enter, .char("r")])
        let text = explorer.screen.plainText()
        #expect(text[1] == "┌ Detail · MoneyDeposited · raw ───────────────────────────┐")
        #expect(text[11] == row(" data (raw, as stored)"))
        #expect(text[12] == row(" {\"amount\": 100, \"ok\": true, \"note\": null}"))
    }

    @Test func payloadEscapesAreShownNotWritten() async {
        var store = Fixture.store
        store.eventRows = [Fixture.event(0, "Evil-\u{1B}[2J", 0, "Bad\u{7}Type", "11:59:00",
                                         data: #"{"name": "\u001b]52;c;AAAA\u0007 日本 🚀"}"#)]
        var explorer = await Fixture.explorer(height: 26, store: store)
        await explorer.press([.char("2"), .enter])
        let text = explorer.screen.plainText()
        #expect(!text.joined().unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F })
        #expect(text[2] == row(" Evil-\\u001b[2J #0  global 0"))
        #expect(text[13].hasPrefix("│   \"name\": \"\\u001b]52;c;AAAA\\u0007 日本 🚀\""))
    }
}
