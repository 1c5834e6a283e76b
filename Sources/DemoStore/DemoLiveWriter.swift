import EventStore
import Foundation
import GRDB

/// Keeps appending to a demo store so the explorer has something to follow: a steady rate with
/// bursts, new streams, the occasional skipped position and one poison event. The projections
/// are moved by the real runner `eventscope demo` starts beside it.
public struct DemoLiveWriter {
    public var rate: Double
    /// One transaction in this many burns a position, as a rolled-back append does.
    public var skipEvery: Int = 250
    /// After this many events, one poison event (an `OrderPaid` whose payload the demo's
    /// `order_summary` cannot read), once; nil: none.
    public var poisonAfter: Int? = 200
    var poisoned = false
    let queue: DatabaseQueue
    var rng: SplitMix64

    public struct Report: Sendable {
        public var appended: Int
        public var skipped: Int
        public var head: GlobalPosition
    }

    /// Refuses a store `eventscope demo` did not make (see `DemoMarker`) unless `force`, before writing anything.
    public init(path: String, rate: Double, seed: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000), force: Bool = false) throws {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError.noSuchFile(path: path) }
        try DemoMarker.check(path, force: force)
        guard rate > 0, rate <= 100_000 else { throw StoreError.badArgument("--rate must be between 0 and 100000 events/s (got \(rate))") }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            guard try db.tableExists("es_events"), try db.tableExists("es_streams") else {
                throw StoreError.notAStore(location: path, reason: "no es_events table: is this a waku store?")
            }
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            // A demo does not need an fsync per commit; in WAL mode NORMAL cannot corrupt the file.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        self.rate = rate
        rng = SplitMix64(seed: seed)
    }

    /// Appends until `shouldStop` says so; `report` is called about every five seconds.
    public mutating func run(shouldStop: () -> Bool, report: (Report) -> Void) throws -> Report {
        var total = Report(appended: 0, skipped: 0, head: -1)
        var pace = DemoPace(rate: rate)
        var lastReport = pace.start
        while !shouldStop() {
            let now = Date()
            pace.tick(now: now)
            while !shouldStop(), let count = pace.nextTransaction(rng: &rng) {
                try appendTransaction(events: count, totals: &total)
                pace.appended(count)
            }
            if let after = poisonAfter, !poisoned, total.appended >= after {
                if let head = try appendPoison() { total.head = head; total.appended += 1 }
                poisoned = true
            }
            if now.timeIntervalSince(lastReport) >= 5 {
                report(total)
                lastReport = now
            }
            usleep(20_000)
        }
        return total
    }

    mutating func appendTransaction(events count: Int, totals: inout Report) throws {
        let time = Timestamp.now()
        let skip = Int.random(in: 0..<skipEvery, using: &rng) == 0
        var rng = self.rng
        defer { self.rng = rng }
        let result: (Int, GlobalPosition) = try queue.write { db in
            let (streamId, category, version) = try Self.pickStream(db, time: time, rng: &rng)
            var head = try GlobalPosition.fetchOne(db, sql: "SELECT MAX(global_position) FROM es_events") ?? -1
            if skip { head += 1 }
            var position = version
            for _ in 0..<count {
                position += 1
                head += 1
                let key = String(streamId.drop(while: { $0 != "-" }).dropFirst())
                let (type, data, schemaVersion) = EventFactory.event(category: category, key: key, version: position, rng: &rng)
                let id = rng.uuid7(milliseconds: time.microseconds / 1000)
                let metadata = EventFactory.metadata(correlation: "corr-" + rng.hexWord(12), causation: "cmd-" + rng.hexWord(10), rng: &rng)
                try db.execute(sql: WakuSchema.insertEvent, arguments: [head, id, streamId, type, position, data, metadata,
                                                                        time.iso8601, schemaVersion, id])
            }
            try db.execute(sql: "UPDATE es_streams SET version = ?, updated_at = ? WHERE stream_id = ?",
                           arguments: [position, time.iso8601, streamId])
            return (count, head)
        }
        totals.appended += result.0
        totals.head = result.1
        if skip { totals.skipped += 1 }
    }

    /// Appends the poison event to the newest live order; returns its position (nil with no order).
    func appendPoison() throws -> GlobalPosition? {
        let time = Timestamp.now()
        return try queue.write { db -> GlobalPosition? in
            guard let row = try Row.fetchOne(db, sql: """
                SELECT stream_id, version FROM es_streams WHERE stream_type = 'Order' AND deleted_at IS NULL ORDER BY rowid DESC LIMIT 1
                """), let streamId = row[0] as String?, let version = row[1] as Int64? else { return nil }
            let head = (try GlobalPosition.fetchOne(db, sql: "SELECT MAX(global_position) FROM es_events") ?? -1) + 1
            let id = "poison-\(head)"
            let data = #"{"poison": "a payload the demo's order_summary cannot read", "amount": "NaN"}"#
            let metadata = #"{"correlation_id": null, "causation_id": null, "extra": {"demo": "poison"}}"#
            try db.execute(sql: WakuSchema.insertEvent, arguments: [head, id, streamId, "OrderPaid", version + 1, data, metadata,
                                                                    time.iso8601, 1, id])
            try db.execute(sql: "UPDATE es_streams SET version = ?, updated_at = ? WHERE stream_id = ?",
                           arguments: [version + 1, time.iso8601, streamId])
            return head
        }
    }

    /// One in ten appends opens a new stream; the rest continue a random live one.
    static func pickStream(_ db: Database, time: Timestamp, rng: inout SplitMix64) throws
        -> (String, EventFactory.Category, Int64)
    {
        if !rng.chance(0.1), let maxRow = try Int64.fetchOne(db, sql: "SELECT MAX(rowid) FROM es_streams"), maxRow > 0,
           let row = try Row.fetchOne(db, sql: "SELECT stream_id, stream_type, version FROM es_streams WHERE rowid >= ? AND deleted_at IS NULL ORDER BY rowid LIMIT 1",
                                      arguments: [Int64.random(in: 1...maxRow, using: &rng)]) {
            return (row[0], EventFactory.Category(rawValue: row[1]) ?? .account, row[2])
        }
        let category = EventFactory.Category.weighted(&rng)
        let id = category.rawValue + "-" + rng.hexWord(10)
        try db.execute(sql: "INSERT INTO es_streams VALUES (?, ?, -1, ?, ?, NULL)",
                       arguments: [id, category.rawValue, time.iso8601, time.iso8601])
        return (id, category, -1)
    }
}
