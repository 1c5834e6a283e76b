import EventStore
import ExplorerCore
import Testing
import TestSupport

/// Keys that reach past the event on screen (issue 7): `c` to the event its causation id names,
/// `o` to its data in a pager.
@Suite struct EventJumpTests {
    static func event(_ g: Int64, id: String, cause: String?, type: String) -> RecordedEvent {
        let causation = cause.map { "\"\($0)\"" } ?? "null"
        return RecordedEvent(globalPosition: g, eventId: id, streamId: "Order-o\(g)", eventType: type, position: 0, data: #"{"n": \#(g)}"#,
                             metadata: #"{"correlation_id": "c1", "causation_id": \#(causation), "extra": {}}"#,
                             timestamp: StoreTime(text: "2026-11-22T11:50:00Z"), schemaVersion: 1, idempotencyKey: "", isHidden: false)
    }

    static var store: InMemoryStore {
        Fixture.store("causes.db", [
            event(0, id: "cmd-1", cause: nil, type: "OrderPlaced"),
            event(1, id: "evt-2", cause: "cmd-1", type: "OrderPaid"),
            event(2, id: "evt-3", cause: "gone-9", type: "OrderShipped"),
        ])
    }

    @Test func cInDetailShowsTheEventThatCausedIt() async throws {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.press(try Key.parseSequence("2 j Enter c"))
        #expect(explorer.state.focus == .detail)
        #expect(explorer.state.detail.event?.eventId == "cmd-1")
        #expect(explorer.state.message == Message(text: "the event that caused it: Order-o0 #0", isError: false))
        #expect(explorer.screen.plainText()[1].hasPrefix("┌ Detail · OrderPlaced "))
    }

    @Test func cInEventsDoesTheSameForTheSelectedRow() async throws {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.press(try Key.parseSequence("2 j c"))
        #expect(explorer.state.focus == .detail && explorer.state.detail.event?.eventId == "cmd-1")
    }

    @Test func aCauseTheStoreDoesNotHoldIsSaidAndNothingMoves() async throws {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.press(try Key.parseSequence("2 j j Enter c"))
        #expect(explorer.state.detail.event?.eventId == "evt-3")
        #expect(explorer.state.message == Message(text: "causation id gone-9 is not in this store", isError: true))
        #expect(explorer.screen.plainText().dropLast().last == "causation id gone-9 is not in this store")
    }

    @Test func anEventWithoutACauseSaysSo() async throws {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.press(try Key.parseSequence("2 Enter c"))
        #expect(explorer.state.detail.event?.eventId == "cmd-1")
        #expect(explorer.state.message == Message(text: "event 0 has no causation id", isError: true))
        #expect(explorer.state.detail.pending == nil)
    }

    @Test func theStreamJumpStays() async throws {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.press(try Key.parseSequence("2 j Enter s"))
        #expect(explorer.state.events.source == .stream("Order-o1"))
    }

    @Test func oPagesTheDataPrettyOrAsStoredInTheRawView() async throws {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.press(try Key.parseSequence("2 j Enter o r o"))
        #expect(explorer.paged == ["{\n  \"n\": 1\n}\n", "{\"n\": 1}\n"])
    }

    @Test func aPagerThatFailsIsSaidOnTheMessageLine() async {
        var explorer = await Fixture.explorer(store: Self.store)
        await explorer.send(.pagerFailed("the pager \"nope\" cannot start: No such file or directory (set PAGER to one that can)"))
        #expect(explorer.state.message?.isError == true)
        #expect(explorer.screen.plainText().dropLast().last?.hasPrefix("the pager \"nope\" cannot start") == true)
    }
}
