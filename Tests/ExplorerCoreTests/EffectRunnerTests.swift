import EventStore
import ExplorerCore
import Synchronization
import Testing

/// A store whose stream listing takes a while, to see spinners and superseded queries.
struct SlowStore: StoreReader {
    var inner = Fixture.store
    var delay: Duration
    var info: StoreInfo { inner.info }
    func head() async throws -> GlobalPosition { try await inner.head() }
    func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        try await Task.sleep(for: delay)
        return try await inner.streams(query)
    }
    func stream(id: String) async throws -> StreamSummary? { try await inner.stream(id: id) }
    func streamEvents(_ query: StreamEventsQuery) async throws -> [RecordedEvent] { try await inner.streamEvents(query) }
    func log(_ query: LogQuery) async throws -> [RecordedEvent] { try await inner.log(query) }
    func event(at position: GlobalPosition) async throws -> RecordedEvent? { try await inner.event(at: position) }
    func checkpoints() async throws -> [Checkpoint] { try await inner.checkpoints() }
    func leases() async throws -> [Lease] { try await inner.leases() }
    func snapshots(after streamId: String?, limit: Int) async throws -> [EventStore.Snapshot] { [] }
    func events(in ranges: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] {
        try await inner.events(in: ranges, limit: limit)
    }
    func gaps(in window: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
        try await inner.gaps(in: window, limit: limit, includeOrphans: includeOrphans)
    }
    func projectionProgress(_ request: ProgressRequest) async throws -> ProjectionSnapshot { try await inner.projectionProgress(request) }
    func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        try await inner.pendingEvents(after: checkpoint, eventTypes: eventTypes, cap: cap)
    }
}

final class Collected: Sendable {
    let actions = Mutex<[Action]>([])
    func add(_ a: Action) { actions.withLock { $0.append(a) } }
    var all: [Action] { actions.withLock { $0 } }

    /// Waits until `count` actions arrived (other tests may keep the pool busy), then a little more
    /// so that unexpected extra actions would show.
    func settle(count: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while all.count < count, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
        try await Task.sleep(for: .milliseconds(400))
    }
}

@Suite struct EffectRunnerTests {
    func describe(_ a: Action) -> String {
        switch a {
        case .slow(let id): "slow \(id)"
        case .loaded(let id, .streams(let rows)): "loaded \(id) streams \(rows.count)"
        case .loaded(let id, _): "loaded \(id)"
        case .failed(let id, let m): "failed \(id) \(m)"
        default: "other"
        }
    }

    @Test func aSlowQueryReportsSlowThenItsResult() async throws {
        let collected = Collected()
        var runner = EffectRunner(reader: SlowStore(delay: .milliseconds(300)), spinnerDelay: .milliseconds(50)) { collected.add($0) }
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        try await collected.settle(count: 2)
        #expect(collected.all.map(describe) == ["slow 1", "loaded 1 streams 4"])
    }

    @Test func aNewerQuerySupersedesTheOlderOne() async throws {
        let collected = Collected()
        var runner = EffectRunner(reader: SlowStore(delay: .milliseconds(200)), spinnerDelay: .seconds(5)) { collected.add($0) }
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        runner.start(id: 2, slot: .streams, query: .streams(StreamQuery(filter: .prefix("Order"))))
        try await collected.settle(count: 1)
        #expect(collected.all.map(describe) == ["loaded 2 streams 2"])
    }

    @Test func aFastQueryShowsNoSpinner() async throws {
        let collected = Collected()
        var runner = EffectRunner(reader: Fixture.store, spinnerDelay: .milliseconds(150)) { collected.add($0) }
        runner.start(id: 7, slot: .head, query: .head)
        try await collected.settle(count: 1)
        #expect(collected.all.map(describe) == ["loaded 7"])
    }

    @Test func aFailedQueryBecomesAnErrorMessage() async {
        struct Broken: Error, CustomStringConvertible { var description: String { "disk on fire" } }
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        let effects = state.apply(.start)
        guard case .query(let id, _, _) = effects[0] else { return }
        _ = state.apply(.failed(id: id, message: "fake.db: \(Broken())"))
        #expect(Screen.render(state).plainText()[10] == "fake.db: disk on fire")
        #expect(state.headPending == nil)
    }
}
