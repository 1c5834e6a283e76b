import EventStore
import ExplorerCore
import Glibc
import TerminalText
import Testing

/// Regressions from issue 7 that the core can show as text: widths, the help overlay, the
/// clipboard cap and error messages that outlive their cause.
@Suite struct TerminalRegressionTests {
    // MARK: widths

    @Test func clustersAreDrawnAsGlyphsOfAgreedWidth() {
        #expect(DisplayWidth.glyphs("❤️") == [.init(text: "❤", width: 1)])
        #expect(DisplayWidth.glyphs("👩‍👩‍👧") == ["👩", "👩", "👧"].map { .init(text: $0, width: 2) })
        #expect(DisplayWidth.glyphs("e\u{301}") == [.init(text: "e\u{301}", width: 1)])
        #expect(DisplayWidth.glyphs("🇯🇵") == [.init(text: "\u{FFFD}", width: 1), .init(text: "\u{FFFD}", width: 1)])
        #expect(DisplayWidth.glyphs("👍🏽") == [.init(text: "👍", width: 2)])
        for (text, width) in [("❤️", 1), ("👩‍👩‍👧", 6), ("e\u{301}", 1), ("東京", 4), ("🇯🇵", 2), ("a❤️b", 3)] {
            #expect(DisplayWidth.of(text) == width, "\(text)")
            #expect(DisplayWidth.of(DisplayWidth.drawable(text)) == width, "\(text) as drawn")
        }
    }

    /// ncurses moves the cursor by the C library's wcwidth: every scalar the grid draws as it is
    /// must take the same number of cells there (the backend replaces any that would not).
    @Test func widthsAgreeWithTheCLibrary() {
        guard setlocale(LC_CTYPE, "C.UTF-8") != nil, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "wcwidth") else { return }
        // Glibc's module map leaves wcwidth out (it needs _XOPEN_SOURCE); ncurses calls the same function.
        let wcwidth = unsafeBitCast(symbol, to: (@convention(c) (wchar_t) -> Int32).self)
        var disagreements: [(value: UInt32, ours: Int, theirs: Int)] = []
        for value in UInt32(0x20)...0x3FFFF {
            guard let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .unassigned else { continue }
            let glyphs = DisplayWidth.glyphs(Character(scalar))
            guard glyphs.count == 1, glyphs[0].text.unicodeScalars.first == scalar, glyphs[0].width > 0 else { continue }
            let c = Int(wcwidth(wchar_t(bitPattern: value)))
            if c >= 0, c != glyphs[0].width { disagreements.append((value, glyphs[0].width, c)) }
        }
        // Reported as runs: U+4DC0…U+4DFF 1/2 means one cell here, two for the C library.
        var runs: [String] = []
        var start = 0
        for i in disagreements.indices {
            let next = i + 1 < disagreements.count ? disagreements[i + 1] : nil
            let d = disagreements[i]
            if let next, next.value == d.value + 1, next.ours == d.ours, next.theirs == d.theirs { continue }
            let first = disagreements[start].value
            runs.append("U+\(String(first, radix: 16))" + (first == d.value ? "" : "…U+\(String(d.value, radix: 16))") + " \(d.ours)/\(d.theirs)")
            start = i + 1
        }
        #expect(runs.isEmpty, "\(disagreements.count) scalars in \(runs.count) runs: \(runs.joined(separator: ", "))")
    }

    /// Rows of different widths drawn over each other leave nothing of the earlier row behind,
    /// and the text after each cluster starts where the terminal will put it.
    @Test func gridRowsOverwriteEachOtherCleanly() {
        var grid = Grid(width: 14, height: 1)
        let rows = ["👩‍👩‍👧|", "❤️❤️|", "e\u{301}東京|", "🎉x|", "plain|"]
        for text in rows + rows.reversed() {
            grid.fill(Rect(x: 0, y: 0, width: 14, height: 1))
            grid.put(text, x: 0, y: 0)
            #expect(grid.plainText() == [DisplayWidth.drawable(text)])
            let bar = (0..<14).first { grid[$0, 0].text == "|" }
            #expect(bar == DisplayWidth.of(text) - 1, "\(text)")
        }
        grid.put("❤️|", x: 0, y: 0)
        #expect(grid[0, 0].text == "❤" && grid[1, 0].text == "|")
    }

    // MARK: help over the pane

    @Test func helpIsDrawnOverThePane() async {
        var explorer = await Fixture.explorer(width: 100, height: 14)
        await explorer.press([.char("?")])
        let text = explorer.screen.plainText()
        #expect(text[0].hasPrefix("[1 Streams]"), "the tab bar still shows the pane")
        #expect(text[1].hasPrefix("┌ Streams (4) "), "the pane's box and title stay")
        let help = HelpOverlay.rect(explorer.state.layout)
        #expect(help.x > 10 && help.x + help.width < 90)
        #expect(text[2].contains("Help · Esc closes"))
        // The pane's rows show beside the overlay.
        #expect(text[3].hasPrefix("│>Account-acc1 "))
        #expect(text[3].contains("j k ↓ ↑         move down / up"))
        #expect(text[4].hasPrefix("│ Account-acc2 "))
        await explorer.press([.escape])
        #expect(!explorer.screen.plainText().joined().contains("Help"))
    }

    // MARK: the clipboard

    static func bigStore(dataBytes: Int) -> FakeStore {
        let data = #"{"blob":""# + String(repeating: "x", count: dataBytes) + #""}"#
        return FakeStore(info: StoreInfo(location: "big.db", layout: .waku),
                         streams: [StreamSummary(id: "Big-1", type: "Big", version: 0, createdAt: nil, updatedAt: nil, deletedAt: nil)],
                         events: [Fixture.event(123, "Big-1", 0, "Huge", "11:00:00", data: data)])
    }

    @Test func copyingAnEventTooLargeForTheClipboardSaysSo() async {
        var explorer = await Fixture.explorer(store: Self.bigStore(dataBytes: 10_200_000))
        await explorer.press([.char("2"), .char("y")])
        #expect(explorer.copied.isEmpty)
        #expect(explorer.state.message?.text
                == "event 123 is 10.2 MB: too large for the clipboard (OSC 52); use `eventscope event big.db 123 --json`")
        #expect(explorer.state.message?.isError == true)
    }

    @Test func eventsUpToTheLimitAreCopied() async {
        var explorer = await Fixture.explorer(store: Self.bigStore(dataBytes: 90_000))
        await explorer.press([.char("2"), .char("y")])
        #expect(explorer.copied.count == 1)
        #expect(explorer.state.message?.text == "copied event 123 as JSON (OSC 52)")
    }

    // MARK: errors that outlive their cause

    static func queryID(_ effects: [Effect], _ slot: Slot) -> Int? {
        effects.lazy.compactMap { effect -> Int? in
            if case .query(let id, let s, _) = effect, s == slot { return id }
            return nil
        }.first
    }

    @Test func aQueryErrorIsClearedByTheNextSuccessOfItsPane() {
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        var effects = state.apply(.start)
        guard case .query(let head, .head, _) = effects.first, let streams = Self.queryID(effects, .streams) else {
            Issue.record("no head and streams queries on start: \(effects)")
            return
        }
        _ = state.apply(.loaded(id: streams, .streams([])))
        _ = state.apply(.failed(id: head, message: "fake.db: database is locked"))
        #expect(Screen.render(state).plainText()[10] == "fake.db: database is locked")
        // The store is readable again: the next head poll succeeds and the error goes.
        effects = state.apply(.tick(Timestamp(microseconds: Fixture.now.microseconds + 2_000_000)))
        guard case .query(let again, .head, _) = effects.first else {
            Issue.record("no head poll on tick: \(effects)")
            return
        }
        _ = state.apply(.loaded(id: again, .head(7)))
        #expect(state.message == nil)
        #expect(Screen.render(state).plainText()[10].hasPrefix("Enter events"))
    }

    @Test func anotherPanesSuccessLeavesTheErrorShown() {
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        let effects = state.apply(.start)
        guard case .query(let head, .head, _) = effects.first, let streams = Self.queryID(effects, .streams) else {
            Issue.record("no head and streams queries on start: \(effects)")
            return
        }
        _ = state.apply(.failed(id: streams, message: "fake.db: database is locked"))
        _ = state.apply(.loaded(id: head, .head(7)))
        #expect(state.message?.text == "fake.db: database is locked")
    }
}
