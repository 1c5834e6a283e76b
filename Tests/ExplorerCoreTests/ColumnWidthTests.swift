import EventStore
import ExplorerCore
import Testing
import TestSupport

/// Columns sized to their content (issue 7): each gets what its content needs, up to a cap; a
/// narrow terminal takes width from the type and the stream first, and positions keep theirs.
@Suite struct ColumnWidthTests {
    static func cells(_ texts: String...) -> [Span] { texts.map { Span($0) } }

    static let streamColumns = [
        Column("STREAM", width: 12, flexible: true, cap: 80),
        Column("CATEGORY", width: 8, flexible: true, priority: 4),
        Column("VERSION", width: 7, alignment: .right, priority: 1),
        Column("UPDATED", width: 7, priority: 3),
        Column("DELETED", width: 7, priority: 2),
    ]

    @Test func aWideTableGivesEachColumnWhatItsContentNeedsAndLeavesTheRest() {
        let table = Table(Self.streamColumns, width: 146, content: [
            Self.cells("Account-acc1", "Account", "2", "10m", ""),
            Self.cells("Order-o17", "Order", "12", "2h", "deleted"),
        ])
        #expect(table.kept == [0, 1, 2, 3, 4])
        // STREAM as wide as its longest id (the 12-cell minimum here), not the 110 cells left over.
        #expect(table.columns.map(\.width) == [12, 8, 7, 7, 7])
    }

    @Test func aLongIdIsShownWholeUpToTheCap() {
        let id = String(repeating: "x", count: 70)
        let wide = Table(Self.streamColumns, width: 146, content: [Self.cells(id, "Account", "2", "10m", "")])
        #expect(wide.columns[0].width == 70)
        let huge = Table(Self.streamColumns, width: 300, content: [Self.cells(String(repeating: "y", count: 200), "A", "2", "1m", "")])
        #expect(huge.columns[0].width == 80)
    }

    @Test func theFillColumnTakesTheSpare() {
        let table = Table([Column("A", width: 3), Column("B", width: 4, flexible: true, fill: true)], width: 30,
                          content: [Self.cells("abc", "de")])
        #expect(table.columns.map(\.width) == [3, 26])
    }

    @Test func tooNarrowTheWidestFlexibleColumnsGiveWayAndFixedOnesKeepTheirContent() {
        let columns = [
            Column("GLOBAL", width: 6, alignment: .right),
            Column("POS", width: 3, alignment: .right, priority: 1),
            Column("TYPE", width: 10, flexible: true),
            Column("TIME", width: 7, priority: 2),
            Column("STREAM", width: 10, flexible: true, priority: 3, fill: true),
        ]
        let content = [Self.cells("123456789", "1234", "AVeryLongEventTypeNameIndeed", "10m", "Account-with-a-long-id-0001")]
        // At 56 cells: 9 + 4 + 7 and four separators leave 32 for TYPE and STREAM, shared from the widest down.
        let table = Table(columns, width: 56, content: content)
        #expect(table.kept == [0, 1, 2, 3, 4])
        #expect(table.columns.map(\.width) == [9, 4, 16, 7, 16])
        // Narrower still: TYPE and STREAM stop at their least, then STREAM, TIME and POS go; GLOBAL stays whole.
        #expect(Table(columns, width: 44, content: content).columns.map(\.width) == [9, 4, 10, 7, 10])
        #expect(Table(columns, width: 40, content: content).kept == [0, 1, 2, 3])
        #expect(Table(columns, width: 25, content: content).kept == [0, 1, 2])
        #expect(Table(columns, width: 20, content: content).kept == [0, 2])
        #expect(Table(columns, width: 20, content: content).columns[0].width == 9)
    }

    /// The Events pane on a store with 9-digit positions and long names, at several widths.
    static var bigStore: InMemoryStore {
        var events: [RecordedEvent] = []
        for n in 0..<3 {
            let g = Int64(123_456_780 + n)
            events.append(RecordedEvent(globalPosition: g, eventId: "e\(g)", streamId: "Account-with-a-long-id-000\(n)",
                                        eventType: "AccountOpenedWithALongTypeName", position: Int64(1000 + n), data: "{}",
                                        metadata: "{}", timestamp: StoreTime(text: "2026-11-22T11:50:00Z"), schemaVersion: 1,
                                        idempotencyKey: "", isHidden: false))
        }
        return Fixture.store("big.db", events)
    }

    @Test(arguments: [60, 80, 100, 150])
    func positionsAreNeverCutAndTheTypeAndStreamGiveWayFirst(width: Int) async {
        var explorer = await Fixture.explorer(width: width, store: Self.bigStore)
        await explorer.press([.char("2")])
        let lines = explorer.screen.plainText()
        let header = lines[2], first = lines[3]
        #expect(header.contains("GLOBAL") && header.contains("POS") && header.contains("TIME"), "\(header)")
        #expect(first.contains("123456780") && first.contains(" 1000 "), "\(first)")
        if width >= 100 {
            #expect(first.contains("AccountOpenedWithALongTypeName") && first.contains("Account-with-a-long-id-0000"), "\(first)")
        } else {
            #expect(first.contains("…"), "\(first)")
        }
    }

    @Test func atOneHundredAndFiftyColumnsTheStreamsPaneIsSizedToItsRows() async {
        let explorer = await Fixture.explorer(width: 150)
        let lines = explorer.screen.plainText()
        // Border, gutter, the longest id (12 cells), a space: CATEGORY starts at cell 15, not at 110.
        let header = lines[2]
        let category = header.distance(from: header.startIndex, to: header.range(of: "CATEGORY")!.lowerBound)
        #expect(category == 15, "\(header)")
        #expect(lines[3].hasPrefix("│>Account-acc1 Account        2 "), "\(lines[3])")
    }
}
