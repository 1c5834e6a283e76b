import Clocks
import EventStore
import ExplorerCore
import Synchronization
import Testing

/// Opens once; everything waiting on it (and everything that asks later) goes on.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let goOn = state.withLock { state in
                if !state.open { state.waiting.append(continuation) }
                return state.open
            }
            if goOn { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.open = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}

/// A store whose stream listing waits for a gate, to see spinners and superseded queries.
struct GatedStore: StoreReader {
    var inner = Fixture.store
    let gate: Gate
    var info: StoreInfo { inner.info }
    func head() async throws -> GlobalPosition { try await inner.head() }
    func streams(_ query: StreamQuery) async throws -> [StreamSummary] {
        await gate.wait()
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
    func runnerStatuses() async throws -> [RunnerStatus]? { try await inner.runnerStatuses() }
    func commandRequests(projection: String?, limit: Int) async throws -> [CommandRequest]? {
        try await inner.commandRequests(projection: projection, limit: limit)
    }
    func softDeletedStreams() async throws -> Set<String> { try await inner.softDeletedStreams() }
    func countStreams(_ filter: StreamQuery.Filter, cap: Int64) async throws -> PendingCount { try await inner.countStreams(filter, cap: cap) }
    func eventTypes(prefix: String, limit: Int) async throws -> [String] { try await inner.eventTypes(prefix: prefix, limit: limit) }
    func pendingEvents(after checkpoint: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
        try await inner.pendingEvents(after: checkpoint, eventTypes: eventTypes, cap: cap)
    }
}

/// The runner's time is a test clock: tests advance it and wait on the runner, never sleep.
@Suite struct EffectRunnerTests {
    static func describe(_ a: Action) -> String {
        switch a {
        case .slow(let id): "slow \(id)"
        case .loaded(let id, .streams(let rows)): "loaded \(id) streams \(rows.count)"
        case .loaded(let id, _): "loaded \(id)"
        case .failed(let id, let m): "failed \(id) \(m)"
        default: "other"
        }
    }

    /// A runner whose actions arrive on a stream, described.
    static func runner(_ reader: any StoreReader, clock: TestClock<Duration>, spinnerDelay: Duration)
        -> (EffectRunner, AsyncStream<Action>, AsyncStream<Action>.Continuation) {
        let (actions, sink) = AsyncStream.makeStream(of: Action.self)
        let runner = EffectRunner(reader: reader, clock: clock, spinnerDelay: spinnerDelay) { sink.yield($0) }
        return (runner, actions, sink)
    }

    /// Everything the runner sent, once every query has finished.
    static func remaining(_ runner: EffectRunner, _ actions: AsyncStream<Action>, _ sink: AsyncStream<Action>.Continuation) async -> [String] {
        await runner.finish()
        sink.finish()
        var out: [String] = []
        for await action in actions { out.append(describe(action)) }
        return out
    }

    @Test func aSlowQueryReportsSlowThenItsResult() async {
        let clock = TestClock<Duration>()
        let gate = Gate()
        let (runner, actions, sink) = Self.runner(GatedStore(gate: gate), clock: clock, spinnerDelay: .milliseconds(150))
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        await clock.advance(by: .milliseconds(151))
        var iterator = actions.makeAsyncIterator()
        #expect(await iterator.next().map(Self.describe) == "slow 1")
        gate.open()
        #expect(await Self.remaining(runner, actions, sink) == ["loaded 1 streams 4"])
    }

    @Test func noSpinnerBeforeTheDelay() async {
        let clock = TestClock<Duration>()
        let gate = Gate()
        let (runner, actions, sink) = Self.runner(GatedStore(gate: gate), clock: clock, spinnerDelay: .milliseconds(150))
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        await clock.advance(by: .milliseconds(149))
        gate.open()
        #expect(await Self.remaining(runner, actions, sink) == ["loaded 1 streams 4"])
    }

    @Test func aNewerQuerySupersedesTheOlderOne() async {
        let gate = Gate()
        let (runner, actions, sink) = Self.runner(GatedStore(gate: gate), clock: TestClock(), spinnerDelay: .seconds(5))
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        runner.start(id: 2, slot: .streams, query: .streams(StreamQuery(filter: .prefix("Order"))))
        gate.open()
        #expect(await Self.remaining(runner, actions, sink) == ["loaded 2 streams 2"])
    }

    @Test func aFastQueryShowsNoSpinnerEvenLater() async {
        let clock = TestClock<Duration>()
        let (runner, actions, sink) = Self.runner(Fixture.store, clock: clock, spinnerDelay: .milliseconds(150))
        runner.start(id: 7, slot: .head, query: .head)
        await runner.finish()
        await clock.advance(by: .seconds(1))
        #expect(await Self.remaining(runner, actions, sink) == ["loaded 7"])
    }

    @Test func aCopyOfTheRunnerSupersedesTheSameQueries() async {
        let gate = Gate()
        let (runner, actions, sink) = Self.runner(GatedStore(gate: gate), clock: TestClock(), spinnerDelay: .seconds(5))
        let copy = runner
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        copy.start(id: 2, slot: .streams, query: .streams(StreamQuery(filter: .prefix("Order"))))
        gate.open()
        await runner.finish()
        #expect(await Self.remaining(copy, actions, sink) == ["loaded 2 streams 2"])
    }

    @Test func cancelAllSilencesEveryQuery() async {
        let gate = Gate()
        let (runner, actions, sink) = Self.runner(GatedStore(gate: gate), clock: TestClock(), spinnerDelay: .seconds(5))
        runner.start(id: 1, slot: .streams, query: .streams(StreamQuery()))
        runner.cancelAll()
        gate.open()
        #expect(await Self.remaining(runner, actions, sink) == [])
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
