import EventStore
import ExplorerCore

/// An in-memory store for text-grid tests: arrays, no database.
struct FakeStore: StoreReader {
    var info = StoreInfo(location: "fake.db", layout: "waku")
    var streamRows: [StreamSummary]
    var eventRows: [RecordedEvent]
    var checkpointRows: [Checkpoint] = []
    var leaseRows: [Lease] = []

    func head() async throws -> GlobalPosition { eventRows.map(\.globalPosition).max() ?? -1 }

    func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        Array(streamRows.sorted { $0.id < $1.id }
            .filter { s in s.id.hasPrefix(query.idPrefix) && (query.after.map { s.id > $0 } ?? true) }
            .prefix(query.limit))
    }

    func stream(id: String) async throws -> StreamSummary? { streamRows.first { $0.id == id } }

    func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] {
        let rows = eventRows.filter { $0.streamId == query.streamId }.sorted { $0.position < $1.position }
        switch query.direction {
        case .forwards: return Array(rows.filter { $0.position >= (query.from ?? 0) }.prefix(query.limit))
        case .backwards: return Array(rows.reversed().filter { $0.position <= (query.from ?? .max) }.prefix(query.limit))
        }
    }

    func log(_ query: LogQuery) async throws -> [RecordedEvent] {
        let rows = eventRows.sorted { $0.globalPosition < $1.globalPosition }
            .filter { (query.includeHidden || !$0.isHidden) && (query.eventTypes.isEmpty || query.eventTypes.contains($0.eventType)) }
        switch query.anchor {
        case .after(let p): return Array(rows.filter { $0.globalPosition > p }.prefix(query.limit))
        case .before(let p): return Array(rows.reversed().filter { $0.globalPosition < p }.prefix(query.limit))
        }
    }

    func event(at position: GlobalPosition) async throws -> RecordedEvent? { eventRows.first { $0.globalPosition == position } }
    func checkpoints() async throws -> [Checkpoint] { checkpointRows }
    func leases() async throws -> [Lease] { leaseRows }
    func snapshots(after streamId: String?, limit: Int) async throws -> [Snapshot] { [] }

    func gaps(in window: ClosedRange<GlobalPosition>, limit: Int) async throws -> [Gap] {
        var gaps: [Gap] = []
        for p in window {
            let row = eventRows.first { $0.globalPosition == p }
            guard row == nil || row!.isHidden else { continue }
            let kind: Gap.Kind = row == nil ? .missing : .deleted
            if let last = gaps.last, last.to == p - 1, last.kind == kind {
                gaps[gaps.count - 1] = Gap(from: last.from, to: p, kind: kind)
            } else {
                gaps.append(Gap(from: p, to: p, kind: kind))
            }
        }
        return Array(gaps.prefix(limit))
    }

    func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        let n = Int64(eventRows.filter { !$0.isHidden && $0.globalPosition > checkpoint }.count)
        return PendingCount(count: min(n, cap), isCapped: n > cap)
    }
}

/// The store every screen test uses: two accounts, two orders (one deleted), a rolled-back
/// position (3), a deleted stream's event (4), and two projections.
enum Fixture {
    static let now = Timestamp(parsing: "2026-11-22T12:00:00Z")!

    static func event(_ g: Int64, _ stream: String, _ pos: Int64, _ type: String, _ time: String,
                      data: String = "{}", hidden: Bool = false) -> RecordedEvent {
        RecordedEvent(globalPosition: g, eventId: "e\(g)", streamId: stream, eventType: type, position: pos, data: data,
                      metadata: #"{"correlation_id": "c-\#(stream)", "causation_id": null, "extra": {}}"#,
                      timestamp: "2026-11-22T\(time)Z", schemaVersion: 1, idempotencyKey: "k\(g)", isHidden: hidden)
    }

    static var store: FakeStore {
        FakeStore(
            streamRows: [
                StreamSummary(id: "Order-o2", type: "Order", version: 0, createdAt: nil, updatedAt: "2026-11-22T11:51:00Z",
                              deletedAt: "2026-11-22T11:52:00Z"),
                StreamSummary(id: "Account-acc1", type: "Account", version: 2, createdAt: nil, updatedAt: "2026-11-22T11:58:00Z", deletedAt: nil),
                StreamSummary(id: "Account-acc2", type: "Account", version: 0, createdAt: nil, updatedAt: "2026-11-22T11:59:30Z", deletedAt: nil),
                StreamSummary(id: "Order-o1", type: "Order", version: 1, createdAt: nil, updatedAt: "2026-11-22T11:00:00Z", deletedAt: nil),
            ],
            eventRows: [
                event(0, "Account-acc1", 0, "AccountOpened", "11:50:00", data: #"{"owner": "Ada", "limit": 12.50}"#),
                event(1, "Account-acc2", 0, "AccountOpened", "11:59:30"),
                event(2, "Account-acc1", 1, "MoneyDeposited", "11:55:00", data: #"{"amount": 100, "ok": true, "note": null}"#),
                event(4, "Order-o2", 0, "OrderPlaced", "11:51:00", hidden: true),
                event(5, "Order-o1", 0, "OrderPlaced", "11:00:00"),
                event(6, "Order-o1", 1, "OrderShipped", "11:00:00"),
                event(7, "Account-acc1", 2, "MoneyWithdrawn", "11:58:00", data: "not json"),
            ],
            checkpointRows: [
                Checkpoint(projectionName: "orders", position: 2, updatedAt: "2026-11-22T11:59:00Z", createdAt: nil),
                Checkpoint(projectionName: "balances", position: 7, updatedAt: "2026-11-22T11:59:59Z", createdAt: nil),
            ],
            leaseRows: [
                Lease(projectionName: "balances", holderId: "runner-1", acquiredAt: nil, renewedAt: nil,
                      expiresAt: "2026-11-22T12:00:25Z"),
            ])
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
