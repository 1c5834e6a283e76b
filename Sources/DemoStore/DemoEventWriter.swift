import EventStore
import Foundation
import GRDB

/// The generator's working state while it writes events in global-position order.
struct DemoEventWriter {
    let generator: DemoStoreGenerator
    var rng: SplitMix64
    var streams = DemoStreams()
    /// Recent events (id, correlation) that later events on other streams may be caused by.
    var recent: [(id: UUIDWords, correlation: EventFactory.Reference)] = []

    init(generator: DemoStoreGenerator) {
        self.generator = generator
        rng = SplitMix64(seed: generator.seed)
    }

    mutating func write(into queue: DatabaseQueue, progress: DemoStoreGenerator.Progress?, started: Date) throws
        -> DemoStoreGenerator.Summary
    {
        let n = generator.events
        let plan = DemoGapPlan(events: n, rng: &rng)
        let span: Double = 30 * 86_400
        let step = span / Double(n)
        let t0 = generator.now.adding(seconds: -span)
        let deletedStart = n * 6 / 10
        // Small stores get fewer deleted events, but always a deleted run of two and one on its own.
        let deletedOffsets = Set([0, 1, 5, 40, 300].filter { deletedStart + $0 < n - 3 }.map { deletedStart + $0 })
        // customer_directory trails the head by 150 events (less in a small store), catching up.
        // Not on an event of the stream that gets deleted: a runner never checkpoints one of those.
        var trailing = n - 1 - max(1, min(150, n / 20))
        while deletedOffsets.contains(trailing) { trailing -= 1 }
        var deletedStream: DemoStreams.Ref?
        var deletedPositions: [GlobalPosition] = []
        var missing: [Gap] = []
        var positionOfIndex: [Int: GlobalPosition] = [:]
        var position: GlobalPosition = 0
        var index = 0
        var lastReport = Date()
        var row = DemoBytes(capacity: 1024), key = DemoBytes(capacity: 16)
        var clock = ISO8601Writer()
        while index < n {
            try queue.inTransaction { db in
                let insert = try DemoEventInsert(db)
                let end = min(n, index + 50_000)
                while index < end {
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
                    var fields = DemoEventInsert.Fields()
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
                    try insert.execute(position: position, version: version, schemaVersion: schemaVersion, row: row, fields: fields)
                    if index == n / 20 || index == trailing { positionOfIndex[index] = position }
                    position += 1
                    index += 1
                }
                return .commit
            }
            if let progress, Date().timeIntervalSince(lastReport) > 0.5 || index == n {
                progress(index, n, Date().timeIntervalSince(started))
                lastReport = Date()
            }
        }
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
        try queue.inTransaction { db in
            try streams.insertRows(db, deleted: deletedStream, deletedAt: generator.now.adding(seconds: -90 * step))
            try writeProjections(db, checkpoints: checkpoints)
            try writeSnapshots(db)
            return .commit
        }
        return .init(events: n, streams: streams.count, head: head, missingRuns: missing, deletedRuns: deletedRuns,
                     deletedStream: deletedId, checkpoints: checkpoints, seconds: 0, bytes: 0)
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

    func writeProjections(_ db: Database, checkpoints: [String: GlobalPosition]) throws {
        let now = generator.now
        let updated: [String: Double] = ["order_history": -13 * 60, "shipment_tracker": -25 * 60, "customer_directory": -5]
        for (name, position) in checkpoints.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO es_checkpoints VALUES (?, ?, ?, ?)",
                           arguments: [name, position, now.adding(seconds: updated[name] ?? 0).iso8601, now.adding(seconds: -86_400).iso8601])
        }
        var rng = SplitMix64(seed: generator.seed ^ 0x1EA5E)
        // A crashed holder's row: it stays until someone acquires the lease again, and no eventscope
        // runner serves order_history, so the explorer shows it `lease-expired` while the demo runs.
        try db.execute(sql: "INSERT INTO es_projection_leases VALUES (?, ?, ?, ?, ?)",
                       arguments: ["order_history", "worker-dead-" + rng.hexWord(4), now.adding(seconds: -3600).iso8601,
                                   now.adding(seconds: -780).iso8601, now.adding(seconds: -750).iso8601])
    }

    func writeSnapshots(_ db: Database) throws {
        for ref in streams.snapshotCandidates(count: 5) {
            let version = streams.version(ref)
            let state = #"{"balance":"\#(1000 + version * 37).00","currency":"EUR","owner":"\#(EventFactory.people[Int(version) % EventFactory.people.count])","version":\#(version)}"#
            let at = generator.now.adding(seconds: -600).iso8601
            try db.execute(sql: "INSERT INTO es_snapshots VALUES (?, ?, ?, ?, ?, ?, ?)",
                           arguments: [streams.id(ref), state, version, "AccountState", 1, at, at])
        }
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
