import EventStore
import ExplorerCore
import Testing

/// A value the store holds that is not of its column's type is drawn as its stored text, marked
/// `⚠` in the error style, in every pane that shows it; Detail lists every problem in words.
@Suite struct BrokenValueScreenTests {
    static let position = ValueProblem(field: "position", stored: "abc", reason: "text where an integer belongs")

    /// The fixture with a broken stream version, a broken event position and time, and a broken checkpoint.
    static var store: FakeStore {
        var store = Fixture.store
        store.streamRows[0].problems = [ValueProblem(field: "version", stored: "x'00ff'", reason: "a blob where an integer belongs")]
        store.eventRows[0].problems = [position]
        store.eventRows[0].timestamp = .unreadable("2026-02-31T00:00:00Z")
        store.checkpointRows[0].problems = [ValueProblem(field: "position", stored: "1.5", reason: "a real where an integer belongs")]
        store.checkpointRows[0].updatedAt = .unreadable("yesterday")
        return store
    }

    /// The cells of `grid` on the first row containing `text`, from where it starts.
    static func cells(of text: String, in grid: Grid) -> [Cell]? {
        for (y, line) in grid.plainText().enumerated() {
            guard let range = line.range(of: text) else { continue }
            let start = line[..<range.lowerBound].count
            return (start..<start + text.count).map { grid[$0, y] }
        }
        return nil
    }

    static func expectBroken(_ text: String, in grid: Grid, sourceLocation: SourceLocation = #_sourceLocation) {
        let cells = Self.cells(of: text, in: grid)
        #expect(cells != nil, "\(text) is not on screen:\n\(grid.plainText().joined(separator: "\n"))", sourceLocation: sourceLocation)
        #expect(cells?.allSatisfy { $0.style.fg == .error } == true, "\(text) is not in the error style", sourceLocation: sourceLocation)
    }

    @Test func streamsShowTheStoredVersionMarked() async {
        let explorer = await Fixture.explorer(width: 80, store: Self.store)
        Self.expectBroken("⚠x'00f", in: explorer.screen)
    }

    @Test func eventsShowTheStoredPositionAndTimeMarked() async throws {
        var explorer = await Fixture.explorer(width: 100, store: Self.store)
        await explorer.press(try Key.parseSequence("2 t g"))
        Self.expectBroken("⚠abc", in: explorer.screen)
        Self.expectBroken("⚠2026-02-31", in: explorer.screen)
    }

    @Test func detailListsEachProblem() async throws {
        var explorer = await Fixture.explorer(width: 100, height: 20, store: Self.store)
        await explorer.press(try Key.parseSequence("2 g Enter"))
        let text = explorer.screen.plainText().joined(separator: "\n")
        #expect(text.contains("⚠ broken        position: text where an integer belongs (stored 'abc')"), "\(text)")
        #expect(text.contains("⚠ broken        timestamp: not a time (stored '2026-02-31T00:00:00Z')"), "\(text)")
        Self.expectBroken("position: text where an integer belongs (stored 'abc')", in: explorer.screen)
    }

    @Test func projectionsShowTheStoredCheckpointAndUpdateMarked() async throws {
        var explorer = await Fixture.explorer(width: 100, store: Self.store)
        await explorer.press(try Key.parseSequence("4"))
        Self.expectBroken("⚠1.5", in: explorer.screen)
        Self.expectBroken("⚠yest", in: explorer.screen)
    }

    @Test func nulAndControlCharactersAreVisibleEscapes() async throws {
        var store = Fixture.store
        store.eventRows[0].eventType = "Nul\u{0}Type"
        var explorer = await Fixture.explorer(width: 100, store: store)
        await explorer.press(try Key.parseSequence("2 g"))
        #expect(explorer.screen.plainText().contains { $0.contains("Nul\\u0000Type") }, "\(explorer.screen.plainText())")
    }
}
