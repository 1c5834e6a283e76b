import Testing
import ExplorerCore

@Suite struct GridTests {
    @Test func plainTextTrimsTrailingSpaces() {
        var grid = Grid(width: 10, height: 2)
        grid.put("abc", x: 2, y: 0)
        #expect(grid.plainText() == ["  abc", ""])
    }

    @Test func wideCharactersTakeTwoCells() {
        var grid = Grid(width: 8, height: 1)
        let used = grid.put("日本x", x: 0, y: 0)
        #expect(used == 5)
        #expect(grid[1, 0].isContinuation)
        #expect(grid[4, 0].text == "x")
        #expect(grid.plainText() == ["日本x"])
    }

    @Test func aWideCharacterThatDoesNotFitIsLeftOut() {
        var grid = Grid(width: 8, height: 1)
        let used = grid.put("ab日本", x: 0, y: 0, maxWidth: 5)
        #expect(used == 4)
        #expect(grid.plainText() == ["ab日"])
    }

    @Test func overwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var grid = Grid(width: 6, height: 1)
        grid.put("日本", x: 0, y: 0)
        grid.put("x", x: 1, y: 0)
        #expect(grid.plainText() == [" x本"])
        grid.put("y", x: 2, y: 0)
        #expect(grid.plainText() == [" xy"])
    }

    @Test func combiningMarksStayWithTheirCharacter() {
        var grid = Grid(width: 6, height: 1)
        grid.put("e\u{301}x", x: 0, y: 0)
        #expect(grid[0, 0].text == "e\u{301}")
        #expect(grid[1, 0].text == "x")
        #expect(grid.plainText() == ["e\u{301}x"])
    }

    @Test func controlCharactersAndEscapesAreShownNotWritten() {
        var grid = Grid(width: 30, height: 1)
        grid.put("a\u{1B}[31mb\nc", x: 0, y: 0)
        #expect(grid.plainText() == ["a\\u001b[31mb\\u000ac"])
        #expect(!grid.plainText()[0].unicodeScalars.contains { $0.value < 0x20 })
    }

    @Test func emojiIsTwoCellsWide() {
        var grid = Grid(width: 6, height: 1)
        #expect(grid.put("🚀!", x: 0, y: 0) == 3)
        #expect(grid.plainText() == ["🚀!"])
    }

    @Test func boxDrawsTitleInTheTopBorder() {
        var grid = Grid(width: 12, height: 3)
        grid.box(Rect(x: 0, y: 0, width: 12, height: 3), style: .plain, title: "Hi")
        #expect(grid.plainText() == ["┌ Hi ──────┐", "│          │", "└──────────┘"])
    }

    @Test func ansiTextColoursRolesAndResetsEachLine() {
        var grid = Grid(width: 3, height: 1)
        grid.put("ok", x: 0, y: 0, style: Style(.ok))
        let theme = Theme(name: "t", colors: [.ok: .ansi(2)])
        #expect(grid.ansiText(theme: theme) == ["\u{1B}[0;32mok\u{1B}[0m \u{1B}[0m"])
    }

    @Test func tableDropsLowPriorityColumnsWhenNarrow() {
        let table = Table([Column("A", width: 10, flexible: true, fill: true), Column("B", width: 10, priority: 2),
                           Column("C", width: 10, priority: 1)], width: 25)
        #expect(table.kept == [0, 2])
        #expect(table.columns[0].width == 14)
    }
}
