import EventStore
import Foundation

/// One value of a demo row, as both engines bind it: SQLite natively, PostgreSQL as COPY text.
enum DemoValue: Hashable {
    case int(Int64), text(String), null
}

/// Rows of one table, written the same way by the SQLite generator and the PostgreSQL one.
struct DemoRows {
    var table: String
    var columns: [String]
    var rows: [[DemoValue]]
}

/// Where each text field of an event lies in the row's bytes.
struct DemoEventFields {
    var id = 0..<0, stream = 0..<0, type = 0..<0, data = 0..<0, metadata = 0..<0, timestamp = 0..<0
}

/// Where the generator's events go, one after another in global-position order: a SQLite insert
/// statement, or a PostgreSQL COPY buffer. The idempotency key is the event id, as the demo's writers make it.
protocol DemoEventSink {
    mutating func append(position: Int64, version: Int64, schemaVersion: Int64, row: DemoBytes, fields: DemoEventFields) throws
}

/// The generator's working state while it makes events in global-position order. The events come
/// in slices (`generate`) into any sink, then `finish` gives the other tables' rows: the same rows
/// for both engines, made once.
struct DemoEventWriter {
    let generator: DemoStoreGenerator
    var rng: SplitMix64
    var streams = DemoStreams()
    /// Recent events (id, correlation) that later events on other streams may be caused by.
    var recent: [(id: UUIDWords, correlation: EventFactory.Reference)] = []

    let plan: DemoGapPlan
    let step: Double
    let t0: Timestamp
    let deletedOffsets: Set<Int>
    /// The lease-expired projection's event index: it trails the head by 150 events, less in a small store.
    let trailing: Int
    var deletedStream: DemoStreams.Ref?
    var deletedPositions: [GlobalPosition] = []
    var missing: [Gap] = []
    var positionOfIndex: [Int: GlobalPosition] = [:]
    var position: GlobalPosition = 0
    /// Events made so far.
    private(set) var index = 0
    var row = DemoBytes(capacity: 1024), key = DemoBytes(capacity: 16)
    var clock = ISO8601Writer()

    init(generator: DemoStoreGenerator) {
        self.generator = generator
        rng = SplitMix64(seed: generator.seed)
        let n = generator.events
        plan = DemoGapPlan(events: n, rng: &rng)
        let span: Double = 30 * 86_400
        step = span / Double(n)
        t0 = generator.now.adding(seconds: -span)
        let deletedStart = n * 6 / 10
        // Small stores get fewer deleted events, but always a deleted run of two and one on its own.
        deletedOffsets = Set([0, 1, 5, 40, 300].filter { deletedStart + $0 < n - 3 }.map { deletedStart + $0 })
        // customer_directory trails the head by 150 events (less in a small store), catching up.
        // Not on an event of the stream that gets deleted: a runner never checkpoints one of those.
        var trailing = n - 1 - max(1, min(150, n / 20))
        while deletedOffsets.contains(trailing) { trailing -= 1 }
        self.trailing = trailing
    }

    var done: Bool { index >= generator.events }

    /// Makes the next events, up to event index `end` (exclusive), into `sink`.
    mutating func generate<Sink: DemoEventSink>(upTo end: Int, into sink: inout Sink) throws {
        let n = generator.events
        while index < min(end, n) {
            if let length = plan.skips[index] {
                missing.append(Gap(from: position, to: position + length - 1, kind: .missing))
                position += length
            }
            let time = t0.adding(seconds: Double(index) * step + Double.random(in: 0..<step * 0.9, using: &rng))
            let stream: DemoStreams.Ref
            if deletedOffsets.contains(index) {
                if deletedStream == nil { deletedStream = streams.create(.order, at: time) }
                stream = deletedStream!
                deletedPositions.append(position)
            } else {
                stream = streams.choose(at: time, excluding: deletedStream, rng: &rng)
            }
            let version = streams.append(stream, at: time)
            // The row's text fields, one after another in one reused buffer, in the order the
            // seed's draws make them.
            var fields = DemoEventFields()
            row.reset()
            streams.writeId(stream, into: &row, key: &key)
            fields.stream = 0..<row.count
            let type = EventFactory.eventType(category: stream.category, version: version, rng: &rng)
            row.append(type.name)
            fields.type = fields.stream.upperBound..<row.count
            let schemaVersion = EventFactory.writeData(type, key: key.bytes, version: version, into: &row, rng: &rng)
            fields.data = fields.type.upperBound..<row.count
            let id = rng.uuid7Words(milliseconds: time.microseconds / 1000)
            row.append(uuid: id)
            fields.id = fields.data.upperBound..<row.count
            let (correlation, causation) = chain(id: id)
            EventFactory.writeMetadata(correlation: correlation, causation: causation, into: &row, rng: &rng)
            fields.metadata = fields.id.upperBound..<row.count
            clock.append(time, to: &row)
            fields.timestamp = fields.metadata.upperBound..<row.count
            try sink.append(position: position, version: version, schemaVersion: schemaVersion, row: row, fields: fields)
            if index == n / 20 || index == trailing { positionOfIndex[index] = position }
            position += 1
            index += 1
        }
    }

    /// After the last event: the summary, and the rows of the tables other than es_events and
    /// es_streams (whose rows come in slices from `streamRows`).
    func finish() -> (summary: DemoStoreGenerator.Summary, tables: [DemoRows]) {
        let n = generator.events
        let head = position - 1
        let deletedRuns = Self.runs(of: deletedPositions, kind: .deleted)
        let deletedSet = Set(deletedPositions)
        // The stuck projection sits right below a permanent gap, on a visible event.
        let stuck = missing.dropFirst(missing.count / 2).first { !deletedSet.contains($0.from - 1) } ?? missing[0]
        // account_balances and the runner's other projections start from nothing when it first runs.
        let checkpoints: [String: GlobalPosition] = [
            "order_history": positionOfIndex[n / 20] ?? 0,
            "shipment_tracker": stuck.from - 1,
            "customer_directory": positionOfIndex[trailing] ?? head,
        ]
        let deletedId = deletedStream.map { streams.id($0) } ?? ""
        let summary = DemoStoreGenerator.Summary(
            events: n, streams: streams.count, head: head, missingRuns: missing, deletedRuns: deletedRuns,
            deletedStream: deletedId, checkpoints: checkpoints, seconds: 0, bytes: 0)
        return (summary, projectionRows(checkpoints: checkpoints) + [snapshotRows()])
    }

    /// es_streams' rows from `cursor` on, at most `limit`; empty at the end.
    func streamRows(from cursor: inout DemoStreams.Cursor, limit: Int) -> [[DemoValue]] {
        streams.rows(from: &cursor, limit: limit, deleted: deletedStream, deletedAt: generator.now.adding(seconds: -90 * step))
    }

    /// A third of events continue a recent event's flow on another stream: same correlation id,
    /// caused by that event. The rest start a flow from a command.
    mutating func chain(id: UUIDWords) -> (correlation: EventFactory.Reference, causation: EventFactory.Reference?) {
        defer {
            if recent.count >= 64 { recent.removeFirst() }
        }
        if !recent.isEmpty, rng.chance(0.35) {
            let cause = rng.pick(recent)
            recent.append((id, cause.correlation))
            return (cause.correlation, .event(cause.id))
        }
        let correlation = EventFactory.Reference.correlation(rng.hexValue(12))
        recent.append((id, correlation))
        return (correlation, rng.chance(0.8) ? .command(rng.hexValue(10)) : nil)
    }

    static func runs(of positions: [GlobalPosition], kind: Gap.Kind) -> [Gap] {
        var result: [Gap] = []
        for p in positions.sorted() {
            if let last = result.last, last.to + 1 == p { result[result.count - 1].to = p } else { result.append(Gap(from: p, to: p, kind: kind)) }
        }
        return result
    }

    /// The seeded checkpoints and leases, as rows both engines write.
    func projectionRows(checkpoints: [String: GlobalPosition]) -> [DemoRows] {
        let now = generator.now
        let updated: [String: Double] = ["order_history": -13 * 60, "shipment_tracker": -25 * 60, "customer_directory": -5]
        let checkpointRows: [[DemoValue]] = checkpoints.sorted(by: { $0.key < $1.key }).map { name, position in
            [.text(name), .int(position), .text(now.adding(seconds: updated[name] ?? 0).iso8601), .text(now.adding(seconds: -86_400).iso8601)]
        }
        var rng = SplitMix64(seed: generator.seed ^ 0x1EA5E)
        let leaseRows: [[DemoValue]] = [
            // A crashed holder's row: it stays until someone acquires the lease again, and no eventscope
            // runner serves order_history, so the explorer shows it `lease-expired` while the demo runs.
            [.text("order_history"), .text("worker-dead-" + rng.hexWord(4)), .text(now.adding(seconds: -3600).iso8601),
             .text(now.adding(seconds: -780).iso8601), .text(now.adding(seconds: -750).iso8601)],
        ]
        return [
            DemoRows(table: WakuSchema.checkpoints, columns: ["projection_name", "position", "updated_at", "created_at"], rows: checkpointRows),
            DemoRows(table: WakuSchema.leases, columns: ["projection_name", "holder_id", "acquired_at", "renewed_at", "expires_at"],
                     rows: leaseRows),
        ]
    }

    func snapshotRows() -> DemoRows {
        let rows: [[DemoValue]] = streams.snapshotCandidates(count: 5).map { ref in
            let version = streams.version(ref)
            let state = #"{"balance":"\#(1000 + version * 37).00","currency":"EUR","owner":"\#(EventFactory.people[Int(version) % EventFactory.people.count])","version":\#(version)}"#
            let at = generator.now.adding(seconds: -600).iso8601
            return [.text(streams.id(ref)), .text(state), .int(version), .text("AccountState"), .int(1), .text(at), .text(at)]
        }
        return DemoRows(table: WakuSchema.snapshots,
                        columns: ["stream_id", "state", "version", "state_type", "schema_version", "created_at", "updated_at"], rows: rows)
    }
}

/// Where the generator skips positions, decided up front from the seed.
struct DemoGapPlan {
    /// Event index → how many positions to skip before writing it.
    var skips: [Int: Int64] = [:]

    init(events n: Int, rng: inout SplitMix64) {
        let count = max(3, min(200, n / 40_000))
        let low = n / 10, high = n - 30
        while skips.count < count {
            let index = Int.random(in: low..<high, using: &rng)
            // Keep runs apart so each is its own gap with a visible event below it.
            guard skips[index] == nil, skips[index - 1] == nil, skips[index + 1] == nil else { continue }
            skips[index] = rng.chance(0.7) ? 1 : Int64.random(in: 2...3, using: &rng)
        }
    }
}
