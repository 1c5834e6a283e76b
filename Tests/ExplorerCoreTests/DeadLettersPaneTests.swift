import EventStore
import ExplorerCore
import Testing

extension Fixture {
    /// The fixture as a store that keeps dead letters and an outbox (eventsource-py's layout):
    /// one letter whose event is in the log (position 2), one whose event is gone, one resolved.
    static var deadLetterStore: FakeStore {
        var store = Fixture.store
        store.info = StoreInfo(location: "fake.db", layout: .eventsourcePy)
        func letter(_ id: Int64, _ projection: String, event: String, status: String, error: String, trace: String?) -> DeadLetter {
            DeadLetter(id: id, projectionName: projection, eventId: event, eventType: "MoneyDeposited",
                       eventData: #"{"amount": 100, "currency": "EUR"}"#, errorMessage: error, stackTrace: trace, retryCount: id + 2,
                       firstFailedAt: StoreTime(text: "2026-11-22T11:00:00Z"), lastFailedAt: StoreTime(text: "2026-11-22T11:58:00Z"),
                       status: status, resolvedAt: nil, resolvedBy: nil)
        }
        store.deadLetterRows = [
            letter(1, "balances", event: "e2", status: "failed", error: "KeyError: 'currency_code'",
                   trace: "Traceback (most recent call last):\n  File \"balances.py\", line 42, in handle\nKeyError: 'currency_code'"),
            letter(2, "orders", event: "no-such-event", status: "retrying", error: "timeout talking to the ledger", trace: nil),
            letter(3, "orders", event: "e5", status: "resolved", error: "fixed by hand", trace: nil),
        ]
        store.outbox = OutboxSummary(pending: 4, published: 120, failed: 1,
                                     oldestPendingAt: StoreTime(text: "2026-11-22T11:57:00Z"), databaseNow: Fixture.now)
        return store
    }
}

@Suite struct DeadLettersPaneTests {
    @Test func aStoreWithoutDeadLettersHasFivePanesAndSixSaysWhy() async throws {
        var explorer = await Fixture.explorer(width: 100)
        #expect(explorer.state.panes == [.streams, .events, .detail, .projections, .gaps])
        #expect(!explorer.screen.plainText()[0].contains("Dead letters"))
        await explorer.press(try Key.parseSequence("6"))
        #expect(explorer.state.focus == .streams)
        #expect(explorer.state.message?.text.hasPrefix("no Dead letters pane: ") == true)
        await explorer.press(try Key.parseSequence("S-Tab"))
        #expect(explorer.state.focus == .gaps)
    }

    @Test func theListShowsEachLetterAndTheSelectedOneBelow() async throws {
        var explorer = await Fixture.explorer(width: 100, height: 30, store: Fixture.deadLetterStore)
        #expect(explorer.screen.plainText()[0].contains("6 Dead letters"))
        await explorer.press(try Key.parseSequence("6"))
        #expect(explorer.state.focus == .deadLetters)
        let text = explorer.screen.plainText()
        #expect(text[1].contains("Dead letters (3)"))
        #expect(text[2].contains("ID") && text[2].contains("PROJECTION") && text[2].contains("ERROR"))
        #expect(text[3].contains(">") && text[3].contains("balances") && text[3].contains("failed") && text[3].contains("KeyError"))
        #expect(text[4].contains("orders") && text[4].contains("retrying") && text[4].contains("timeout"))
        // Below the list: the selected letter's facts, error and stack trace.
        let below = text[6...].joined(separator: "\n")
        #expect(below.contains("dead letter 1"))
        #expect(below.contains("line 42, in handle"))
        await explorer.press(try Key.parseSequence("j"))
        let second = explorer.screen.plainText()[6...].joined(separator: "\n")
        #expect(second.contains("dead letter 2") && second.contains("none stored"))
    }

    @Test func enterShowsTheWholeLetterWithItsEventData() async throws {
        var explorer = await Fixture.explorer(width: 80, height: 14, store: Fixture.deadLetterStore)
        await explorer.press(try Key.parseSequence("6 Enter"))
        #expect(explorer.state.deadLetters.expanded)
        var text = explorer.screen.plainText()
        #expect(text[1].contains("Dead letter 1 · balances"))
        // Scroll to the end: the stored event's data, as JSON.
        await explorer.press(try Key.parseSequence("G"))
        text = explorer.screen.plainText()
        #expect(text.contains { $0.contains("\"currency\": \"EUR\"") })
        await explorer.press(try Key.parseSequence("Esc"))
        #expect(!explorer.state.deadLetters.expanded && explorer.state.focus == .deadLetters)
    }

    @Test func eOpensTheOriginalEventInTheGlobalLog() async throws {
        var explorer = await Fixture.explorer(width: 100, height: 20, store: Fixture.deadLetterStore)
        await explorer.press(try Key.parseSequence("6 e"))
        #expect(explorer.state.focus == .events)
        #expect(explorer.state.events.source == .globalLog)
        let selected = explorer.state.events.rows[explorer.state.events.cursor.selected]
        #expect(selected.eventId == "e2" && selected.globalPosition == 2)
    }

    @Test func eOnALetterWhoseEventIsGoneSaysSo() async throws {
        var explorer = await Fixture.explorer(width: 100, height: 20, store: Fixture.deadLetterStore)
        await explorer.press(try Key.parseSequence("6 j e"))
        #expect(explorer.state.focus == .deadLetters)
        #expect(explorer.state.message == Message(text: "event no-such-event is not in the store any more", isError: true))
    }

    @Test func tabVisitsDeadLettersAfterGaps() async throws {
        var explorer = await Fixture.explorer(store: Fixture.deadLetterStore)
        await explorer.press(try Key.parseSequence("5 Tab"))
        #expect(explorer.state.focus == .deadLetters)
        await explorer.press(try Key.parseSequence("Tab"))
        #expect(explorer.state.focus == .streams)
        await explorer.press(try Key.parseSequence("S-Tab"))
        #expect(explorer.state.focus == .deadLetters)
    }

    @Test func projectionsShowTheOutboxUnderTheList() async throws {
        var explorer = await Fixture.explorer(width: 100, height: 14, store: Fixture.deadLetterStore)
        await explorer.press(try Key.parseSequence("4"))
        let text = explorer.screen.plainText()
        let line = try #require(text.first { $0.contains("outbox") })
        #expect(line.contains("4 pending (oldest 3m)") && line.contains("120 published") && line.contains("1 failed"))
        // The detail line of the selected projection is still there, above it.
        #expect(text.firstIndex { $0.contains("outbox") }! == 10)

        var waku = await Fixture.explorer(width: 100, height: 14)
        await waku.press(try Key.parseSequence("4"))
        #expect(!waku.screen.plainText().contains { $0.contains("outbox") })
    }
}
