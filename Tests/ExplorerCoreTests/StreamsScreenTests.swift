import EventStore
import Testing
import ExplorerCore

/// Expected screens are written by hand from the fixture (FakeStore.swift), at 60×12.
@Suite struct StreamsScreenTests {
    @Test func firstScreenListsStreams() async {
        let explorer = await Fixture.explorer()
        expectScreen(explorer.screen, [
            "[1 Streams]  2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Streams (4) ─────────────────────────────────────────────┐",
            "│ STREAM       CATEGORY VERSION UPDATED DELETED            │",
            "│>Account-acc1 Account        2 2m                         │",
            "│ Account-acc2 Account        0 30s                        │",
            "│ Order-o1     Order          1 60m                        │",
            "│ Order-o2     Order          0 9m      deleted            │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter events  / prefix  j/k move  : command  ? help  q quit",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    @Test func prefixFilterAsYouTypeAndAbsoluteTimes() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("/"), .char("O"), .char("r"), .char("t")])
        expectScreen(explorer.screen, [
            "[1 Streams]  2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Streams with prefix Ort (0) ─────────────────────────────┐",
            "│ STREAM       CATEGORY VERSION UPDATED DELETED            │",
            "│ no stream id starts with Ort                             │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "prefix /Ort█",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
        await explorer.press([.backspace, .backspace, .enter, .char("j"), .char("t")])
        expectScreen(explorer.screen, [
            "[1 Streams]  2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Streams with prefix O (2) ───────────────────────────────┐",
            // Absolute times say their zone (issue 7).
            "│ STREAM       CATEGORY VERSION UPDATED (UTC)       DELETED│",
            "│ Order-o1     Order          1 2026-11-22 11:00:00        │",
            "│>Order-o2     Order          0 2026-11-22 11:51:00 deleted│",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter events  / prefix  j/k move  : command  ? help  q quit",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }

    @Test func escapeClearsThePrefix() async {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("/"), .char("O"), .enter, .escape])
        #expect(explorer.state.streams.prefix == "")
        #expect(explorer.state.streams.rows.count == 4)
    }

    @Test func tooSmallAndRecovers() async {
        var explorer = await Fixture.explorer()
        await explorer.send(.resize(width: 30, height: 8))
        expectScreen(explorer.screen, [
            "",
            "",
            "",
            "      terminal too small",
            "         (need 40×10)",
            "",
            "",
            "",
        ])
        await explorer.send(.resize(width: 60, height: 12))
        #expect(explorer.screen.plainText()[1] == "┌ Streams (4) ─────────────────────────────────────────────┐")
    }
}

@Suite struct HostileTextTests {
    @Test func escapesCJKAndEmojiStayAligned() async {
        var store = Fixture.store
        store.streamRows = [
            StreamSummary(id: "🚀-launch", type: "x", version: 0, createdAt: nil, updatedAt: nil, deletedAt: nil),
            StreamSummary(id: "Evil-\u{1B}[2J", type: "x", version: 0, createdAt: nil, updatedAt: nil, deletedAt: nil),
            StreamSummary(id: "日本-注文", type: "x", version: 0, createdAt: nil, updatedAt: nil, deletedAt: nil),
        ]
        let explorer = await Fixture.explorer(store: store)
        expectScreen(explorer.screen, [
            "[1 Streams]  2 Events   3 Detail   4 Projections   5 Gaps",
            "┌ Streams (3) ─────────────────────────────────────────────┐",
            "│ STREAM         CATEGORY VERSION UPDATED DELETED          │",
            "│>Evil-\\u001b[2J Evil           0                          │",
            "│ 日本-注文      日本           0                          │",
            "│ 🚀-launch      🚀             0                          │",
            "│                                                          │",
            "│                                                          │",
            "│                                                          │",
            "└──────────────────────────────────────────────────────────┘",
            "Enter events  / prefix  j/k move  : command  ? help  q quit",
            "READ-ONLY │ waku │ head 7 │ follow off │ fake.db",
        ])
    }
}

/// The newcomer's Streams pane: the true end with `G`, paging back from it, and a real count.
@Suite struct StreamsEndAndCountTests {
    static var manyStreams: FakeStore {
        var store = Fixture.store
        store.streamRows += (0..<450).map {
            StreamSummary(id: "Big-\(String($0).leftPadded(to: 3))", type: "Big", version: 0, createdAt: nil, updatedAt: nil, deletedAt: nil)
        }
        return store
    }

    @Test func endGoesToTheLastStreamNotTheLastLoaded() async {
        var explorer = await Fixture.explorer(store: Self.manyStreams)
        #expect(explorer.state.streams.rows.count == StreamsPane.pageSize)
        await explorer.press([.char("G")])
        let streams = explorer.state.streams
        #expect(streams.rows[streams.cursor.selected].id == "Order-o2")
        // Paging back up from the end reads the pages before it.
        await explorer.press(Array(repeating: .pageUp, count: 150))
        #expect(explorer.state.streams.rows.first?.id == "Account-acc1")
        #expect(explorer.state.streams.cursor.selected == 0)
    }

    @Test func theTitleCountsEveryStream() async {
        let explorer = await Fixture.explorer(store: Self.manyStreams)
        #expect(explorer.screen.plainText()[1].hasPrefix("┌ Streams (454) "))
    }
}

extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
