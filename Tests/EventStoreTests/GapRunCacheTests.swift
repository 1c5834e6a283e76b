import DemoStore
import EventStore
import Synchronization
import Testing
import TestSupport

/// The cache answers every refresh exactly as a full scan would, while reading only what is new.
@Suite struct GapRunCacheTests {
    /// A store that records the windows scanned for gaps.
    final class Recording: StoreReader {
        let store: Mutex<InMemoryStore>
        let scanned = Mutex<[ClosedRange<GlobalPosition>]>([])
        init(_ store: InMemoryStore) { self.store = Mutex(store) }
        var inner: InMemoryStore { store.withLock { $0 } }
        var info: StoreInfo { inner.info }
        func head() async throws -> GlobalPosition { try await inner.head() }
        func streams(_ q: StreamQuery) async throws -> [StreamSummary] { try await inner.streams(q) }
        func stream(id: String) async throws -> StreamSummary? { try await inner.stream(id: id) }
        func streamEvents(_ q: StreamEventsQuery) async throws -> [RecordedEvent] { try await inner.streamEvents(q) }
        func log(_ q: LogQuery) async throws -> [RecordedEvent] { try await inner.log(q) }
        func events(in r: [ClosedRange<GlobalPosition>], limit: Int) async throws -> [RecordedEvent] { try await inner.events(in: r, limit: limit) }
        func event(at p: GlobalPosition) async throws -> RecordedEvent? { try await inner.event(at: p) }
        func checkpoints() async throws -> [Checkpoint] { try await inner.checkpoints() }
        func leases() async throws -> [Lease] { try await inner.leases() }
        func snapshots(after s: String?, limit: Int) async throws -> [Snapshot] { [] }
        func gaps(in w: ClosedRange<GlobalPosition>, limit: Int, includeOrphans: Bool) async throws -> [Gap] {
            scanned.withLock { $0.append(w) }
            return try await inner.gaps(in: w, limit: limit, includeOrphans: includeOrphans)
        }
        func softDeletedStreams() async throws -> Set<String> { try await inner.softDeletedStreams() }
        func countStreams(_ f: StreamQuery.Filter, cap: Int64) async throws -> PendingCount { try await inner.countStreams(f, cap: cap) }
        func eventTypes(prefix: String, limit: Int) async throws -> [String] { try await inner.eventTypes(prefix: prefix, limit: limit) }
        func pendingEvents(after c: GlobalPosition, eventTypes: Set<String>, cap: Int64) async throws -> PendingCount {
            try await inner.pendingEvents(after: c, eventTypes: eventTypes, cap: cap)
        }
        func projectionProgress(_ r: ProgressRequest) async throws -> ProjectionSnapshot { try await inner.projectionProgress(r) }
        func runnerStatuses() async throws -> [RunnerStatus]? { try await inner.runnerStatuses() }
        func commandRequests(projection: String?, limit: Int) async throws -> [CommandRequest]? {
            try await inner.commandRequests(projection: projection, limit: limit)
        }
        func mutate(_ change: (inout InMemoryStore) -> Void) {
            store.withLock { s in
                change(&s)
                // Rebuild, so visibility follows the stream rows.
                s = InMemoryStore(info: s.info, streams: s.streamRows, events: s.eventRows)
            }
        }
    }

    static func event(_ p: GlobalPosition, _ stream: String) -> RecordedEvent {
        RecordedEvent(globalPosition: p, eventId: "e\(p)", streamId: stream, eventType: "T", position: p, data: "{}",
                      metadata: "{}", timestamp: .at(Timestamp(microseconds: 0)), schemaVersion: 1, idempotencyKey: "k\(p)")
    }

    static func stream(_ id: String, deleted: Bool = false) -> StreamSummary {
        StreamSummary(id: id, type: "S", version: 0, createdAt: nil, updatedAt: nil,
                      deletedAt: deleted ? .at(Timestamp(microseconds: 0)) : nil)
    }

    @Test func aRefreshScansOnlyWhatIsAboveTheLastScan() async throws {
        let reader = Recording(InMemoryStore(streams: [Self.stream("A-1")], events: [0, 1, 3, 4, 7].map { Self.event($0, "A-1") }))
        var cache = GapRunCache()
        #expect(try await cache.refresh(0...7, reader: reader) == [Gap(from: 2, to: 2, kind: .missing), Gap(from: 5, to: 6, kind: .missing)])
        reader.mutate { $0.eventRows += [9, 10].map { Self.event($0, "A-1") } }
        let runs = try await cache.refresh(0...10, reader: reader)
        #expect(runs == [Gap(from: 2, to: 2, kind: .missing), Gap(from: 5, to: 6, kind: .missing), Gap(from: 8, to: 8, kind: .missing)])
        #expect(reader.scanned.withLock { $0 } == [0...7, 8...10])
    }

    /// A random history of appends, out-of-order fills, soft deletes and undeletes, and moving
    /// windows: after every step the cache's answer equals a full scan's.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func everyRefreshEqualsAFullScan(seed: UInt64) async throws {
        var rng = SplitMix64(seed: seed)
        let ids = ["A-1", "B-1", "C-1"]
        let reader = Recording(InMemoryStore(streams: ids.map { Self.stream($0) }, events: []))
        var cache = GapRunCache(limit: 10_000)
        var next: GlobalPosition = 0
        var holes: [GlobalPosition] = []
        for step in 0..<300 {
            switch rng.next() % 10 {
            case 0...4:
                // Append a few, skipping some positions now and then.
                for _ in 0..<Int(rng.next() % 4 + 1) {
                    if rng.next() % 4 == 0 { holes.append(next); next += 1 }
                    let e = Self.event(next, ids[Int(rng.next() % 3)])
                    reader.mutate { $0.eventRows.append(e) }
                    next += 1
                }
            case 5, 6:
                // A late commit into a hole.
                guard !holes.isEmpty else { continue }
                let p = holes.remove(at: Int(rng.next() % UInt64(holes.count)))
                let e = Self.event(p, ids[Int(rng.next() % 3)])
                reader.mutate { $0.eventRows.append(e); $0.eventRows.sort { $0.globalPosition < $1.globalPosition } }
            default:
                // Soft-delete or undelete a stream.
                let i = Int(rng.next() % 3)
                reader.mutate { $0.streamRows[i] = Self.stream(ids[i], deleted: !$0.streamRows[i].isDeleted) }
            }
            let head = try await reader.head()
            guard head >= 0 else { continue }
            let low = GlobalPosition(rng.next() % UInt64(head + 1)) / 2
            let window = low...head
            let cached = try await cache.refresh(window, reader: reader)
            let full = try await reader.inner.gaps(in: window, limit: 10_000, includeOrphans: false)
            #expect(cached == full, "step \(step), window \(window)")
            if cached != full { return }
        }
    }
}
