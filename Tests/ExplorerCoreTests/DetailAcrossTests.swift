import EventStore
import ExplorerCore
import Testing
import TestSupport

/// Long lines in Detail scroll across with `h` / `l`, and a line that goes on past an edge is
/// marked there (« on the left, » on the right): never cut silently (issue 7).
@Suite struct DetailAcrossTests {
    static let note = "0123456789" + String(repeating: "abcdefghij", count: 9) + "END"

    static var store: InMemoryStore {
        Fixture.store("long.db", [
            RecordedEvent(globalPosition: 0, eventId: "e0", streamId: "Doc-1", eventType: "NoteWritten", position: 0,
                          data: #"{"note": "\#(note)", "short": 1}"#, metadata: "{}", timestamp: StoreTime(text: "2026-11-22T11:50:00Z"),
                          schemaVersion: 1, idempotencyKey: "", isHidden: false),
        ])
    }

    static func noteLine(_ explorer: HeadlessExplorer) -> String? {
        explorer.screen.plainText().first { $0.contains("\"note\"") || $0.contains("abcdefghij") }
    }

    @Test func aLongLineEndsWithAMarkerAndScrollsAcross() async throws {
        var explorer = await Fixture.explorer(height: 24, store: Self.store)
        await explorer.press(try Key.parseSequence("2 Enter"))
        let start = try #require(Self.noteLine(explorer))
        // 60 columns: the border, a gutter, 56 cells of text, the marker in the 57th, the border.
        #expect(start == "│ " + String(("  \"note\": \"" + Self.note).prefix(56)) + "»│", "\(start)")
        #expect(explorer.screen.plainText().contains(row(#"   "short": 1"#)))

        await explorer.press([.char("l")])
        let across = try #require(Self.noteLine(explorer))
        // Eight cells in: « takes the first cell, the text goes on from its ninth cell.
        let text = Array("  \"note\": \"" + Self.note)
        #expect(across == "│ «" + String(text[9..<(9 + 55)]) + "»│", "\(across)")
        #expect(explorer.screen.plainText().contains(row(" «: 1")), "\(explorer.screen.plainText())")
    }

    @Test func atTheFarRightTheEndShowsAndOnlyTheLeftMarkerStays() async throws {
        var explorer = await Fixture.explorer(height: 24, store: Self.store)
        await explorer.press(try Key.parseSequence("2 Enter " + String(repeating: "l ", count: 30)))
        let end = try #require(Self.noteLine(explorer))
        #expect(end.hasPrefix("│ «") && end.contains("END\",") && !end.contains("»"), "\(end)")
        // h comes back, and at the start no « is left.
        await explorer.press(try Key.parseSequence(String(repeating: "h ", count: 30)))
        #expect(explorer.state.detail.across == 0)
        #expect(!explorer.screen.plainText().joined().contains("«"))
    }

    @Test func aNewEventStartsAtTheLeftEdge() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press(try Key.parseSequence("2 Enter l"))
        #expect(explorer.state.detail.across == 0, "the fixture's lines fit: nothing to scroll")
        var narrow = await Fixture.explorer(width: 40)
        await narrow.press(try Key.parseSequence("2 Enter l"))
        #expect(narrow.state.detail.across == DetailPane.acrossStep)
        await narrow.press([.char("J")])
        #expect(narrow.state.detail.across == 0)
    }

    @Test func widthsOfWideCharactersAreKeptWhenCut() {
        let line: StyledLine = [Span("ab"), Span("日本語x")]
        #expect(line.droppingCells(3).map(\.text) == [" 本語x"])
        #expect(line.droppingCells(4).map(\.text) == ["本語x"])
    }
}
