import EventStore
import ExplorerCore
import TestSupport

/// The screen tests' store: the same in-memory store the adapters' conformance suite uses as its oracle.
typealias FakeStore = InMemoryStore

/// The store every screen test uses: two accounts, two orders (one deleted), a rolled-back
/// position (3), a deleted stream's event (4), and two projections.
enum Fixture {
    static let now = Timestamp(parsing: "2026-11-22T12:00:00Z")!

    static func event(_ g: Int64, _ stream: String, _ pos: Int64, _ type: String, _ time: String,
                      data: String = "{}", hidden: Bool = false) -> RecordedEvent {
        RecordedEvent(globalPosition: g, eventId: "e\(g)", streamId: stream, eventType: type, position: pos, data: data,
                      metadata: #"{"correlation_id": "c-\#(stream)", "causation_id": null, "extra": {}}"#,
                      timestamp: StoreTime(text: "2026-11-22T\(time)Z"), schemaVersion: 1, idempotencyKey: "k\(g)", isHidden: hidden)
    }

    static var store: FakeStore {
        FakeStore(
            info: StoreInfo(location: "fake.db", layout: .waku),
            streams: [
                StreamSummary(id: "Order-o2", type: "Order", version: 0, createdAt: nil, updatedAt: StoreTime(text: "2026-11-22T11:51:00Z"),
                              deletedAt: StoreTime(text: "2026-11-22T11:52:00Z")),
                StreamSummary(id: "Account-acc1", type: "Account", version: 2, createdAt: nil, updatedAt: StoreTime(text: "2026-11-22T11:58:00Z"), deletedAt: nil),
                StreamSummary(id: "Account-acc2", type: "Account", version: 0, createdAt: nil, updatedAt: StoreTime(text: "2026-11-22T11:59:30Z"), deletedAt: nil),
                StreamSummary(id: "Order-o1", type: "Order", version: 1, createdAt: nil, updatedAt: StoreTime(text: "2026-11-22T11:00:00Z"), deletedAt: nil),
            ],
            events: [
                event(0, "Account-acc1", 0, "AccountOpened", "11:50:00", data: #"{"owner": "Ada", "limit": 12.50}"#),
                event(1, "Account-acc2", 0, "AccountOpened", "11:59:30"),
                event(2, "Account-acc1", 1, "MoneyDeposited", "11:55:00", data: #"{"amount": 100, "ok": true, "note": null}"#),
                event(4, "Order-o2", 0, "OrderPlaced", "11:51:00", hidden: true),
                event(5, "Order-o1", 0, "OrderPlaced", "11:00:00"),
                event(6, "Order-o1", 1, "OrderShipped", "11:00:00"),
                event(7, "Account-acc1", 2, "MoneyWithdrawn", "11:58:00", data: "not json"),
            ],
            checkpoints: [
                Checkpoint(projectionName: "orders", position: 2, updatedAt: StoreTime(text: "2026-11-22T11:59:00Z"), createdAt: nil),
                Checkpoint(projectionName: "balances", position: 7, updatedAt: StoreTime(text: "2026-11-22T11:59:59Z"), createdAt: nil),
            ],
            leases: [
                Lease(projectionName: "balances", holderId: "runner-1", acquiredAt: nil, renewedAt: nil,
                      expiresAt: StoreTime(text: "2026-11-22T12:00:25Z")),
            ],
            databaseNow: now)
    }

    /// The shipped themes' names, in memory (theme files are `ExplorerThemesTests`' business).
    static let themes = FixedThemes(["dark", "light", "high-contrast", "monochrome"].map { Theme(name: $0, colors: Theme.monochrome.colors) })

    /// A headless explorer on the fixture, started, at a given size.
    static func explorer(width: Int = 60, height: Int = 12, store: FakeStore = Fixture.store) async -> HeadlessExplorer {
        var explorer = HeadlessExplorer(reader: store, width: width, height: height, themes: themes, now: now)
        await explorer.start()
        return explorer
    }
}

extension Fixture {
    /// A store of just these events, each stream live (a row in the streams table), as of `Fixture.now`.
    static func store(_ location: String, _ events: [RecordedEvent]) -> FakeStore {
        let streams = Dictionary(grouping: events, by: \.streamId).map { id, events in
            StreamSummary(id: id, type: StreamSummary.category(of: id), version: events.map(\.position).max() ?? 0, createdAt: nil,
                          updatedAt: events.last?.timestamp, deletedAt: nil)
        }
        return FakeStore(info: StoreInfo(location: location, layout: .waku), streams: streams, events: events, databaseNow: now)
    }
}
