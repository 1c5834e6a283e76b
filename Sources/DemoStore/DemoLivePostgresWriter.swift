import EventStore
import Foundation
import PostgresNIO
import PostgresStore

/// `DemoLiveWriter` on PostgreSQL: keeps appending to a demo store at a steady rate with bursts,
/// opening new streams; global positions come from waku's identity column, as waku's appends take
/// them. One transaction in `skipEvery` is rolled back after its insert took a position, which
/// leaves a real gap; once, after `poisonAfter` events, it appends the poison event. When the
/// server goes away the writer waits (backoff up to five seconds) and reconnects instead of dying.
public struct DemoLivePostgresWriter {
    public var rate: Double
    /// One transaction in this many is rolled back after taking a position.
    public var skipEvery: Int = 250
    /// After this many events, one poison event (an `OrderPaid` whose payload the demo's
    /// `order_summary` cannot read), once; nil: none.
    public var poisonAfter: Int? = 200
    var poisoned = false
    public let target: PostgresTarget
    var connection: PostgresConnection?
    var connections = 0
    var rng: SplitMix64

    public init(target: PostgresTarget, rate: Double, seed: UInt64 = UInt64(Date().timeIntervalSince1970 * 1000)) throws {
        guard rate > 0, rate <= 100_000 else { throw StoreError.badArgument("--rate must be between 0 and 100000 events/s (got \(rate))") }
        self.target = target
        self.rate = rate
        rng = SplitMix64(seed: seed)
    }

    /// Appends until `shouldStop` says so; `report` is called about every five seconds, `note` when
    /// the server goes away and when the writer is back.
    public mutating func run(shouldStop: () -> Bool, report: (DemoLiveWriter.Report) -> Void,
                             note: (String) -> Void) async throws -> DemoLiveWriter.Report {
        var total = DemoLiveWriter.Report(appended: 0, skipped: 0, head: -1)
        var pace = DemoPace(rate: rate)
        var lastReport = pace.start
        var backoff = 0.25
        var lostAt: Date?
        while !shouldStop() {
            do {
                let now = Date()
                pace.tick(now: now)
                while !shouldStop(), let count = pace.nextTransaction(rng: &rng) {
                    if Int.random(in: 0..<skipEvery, using: &rng) == 0 {
                        try await burnPosition()
                        total.skipped += 1
                    }
                    total.head = try await appendTransaction(events: count)
                    total.appended += count
                    pace.appended(count)
                    if let lost = lostAt {
                        note(String(format: "reconnected after %.1f s", Date().timeIntervalSince(lost)))
                        lostAt = nil
                        backoff = 0.25
                    }
                }
                if let after = poisonAfter, !poisoned, total.appended >= after {
                    if let head = try await appendPoison() { total.head = head; total.appended += 1 }
                    poisoned = true
                }
                if now.timeIntervalSince(lastReport) >= 5 {
                    report(total)
                    lastReport = now
                }
                try await Task.sleep(for: .milliseconds(20))
            } catch let error as StoreError {
                guard case .unreachable(_, let reason) = error else { throw error }
                await disconnect()
                if lostAt == nil { lostAt = Date() }
                note("the server went away (\(reason)); retrying in \(backoff) s")
                try await Task.sleep(for: .seconds(backoff))
                backoff = min(5, backoff * 2)
                pace.resume()
            }
        }
        await disconnect()
        return total
    }

    /// One transaction of `count` events on one stream; returns the last event's position.
    mutating func appendTransaction(events count: Int) async throws -> GlobalPosition {
        let time = Timestamp.now()
        return try await transaction(commit: true) { writer, connection in
            let (streamId, category, version) = try await writer.pickStream(connection, time: time)
            var position = version
            var head: GlobalPosition = -1
            for _ in 0..<count {
                position += 1
                head = try await writer.insertEvent(connection, streamId: streamId, category: category, position: position, time: time)
            }
            try await writer.query(connection, "UPDATE es_streams SET version = $1::integer, updated_at = $2::timestamptz WHERE stream_id = $3",
                                   [Int(position), time.iso8601, streamId])
            return head
        }
    }

    /// An append that takes a position from the identity column and rolls back: the position stays
    /// unused for ever, a `missing` gap as a failed waku append leaves one.
    mutating func burnPosition() async throws {
        let time = Timestamp.now()
        _ = try await transaction(commit: false) { writer, connection in
            let (streamId, category, version) = try await writer.pickStream(connection, time: time)
            return try await writer.insertEvent(connection, streamId: streamId, category: category, position: version + 1, time: time)
        }
    }

    /// Appends the poison event to the newest live order; returns its position (nil with no order).
    mutating func appendPoison() async throws -> GlobalPosition? {
        let time = Timestamp.now()
        return try await transaction(commit: true) { writer, connection -> GlobalPosition? in
            let rows = try await writer.query(connection, """
                SELECT stream_id, version::text FROM es_streams WHERE stream_type = 'Order' AND deleted_at IS NULL
                ORDER BY created_at DESC NULLS LAST, stream_id DESC LIMIT 1
                """)
            guard let row = rows.first, let streamId = row[0], let version = row[1].flatMap({ Int64($0) }) else { return nil }
            let id = writer.rng.uuid7(milliseconds: time.microseconds / 1000)
            let data = #"{"poison": "a payload the demo's order_summary cannot read", "amount": "NaN"}"#
            let metadata = #"{"correlation_id": null, "causation_id": null, "extra": {"demo": "poison"}}"#
            let head = try await writer.query(connection, Self.insertEvent,
                                              [id, streamId, "OrderPaid", Int(version + 1), data, metadata, time.iso8601, 1, "poison-" + id])
            try await writer.query(connection, "UPDATE es_streams SET version = $1::integer, updated_at = $2::timestamptz WHERE stream_id = $3",
                                   [Int(version + 1), time.iso8601, streamId])
            return head.first?[0].flatMap { GlobalPosition($0) }
        }
    }

    static let insertEvent = """
        INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, schema_version, idempotency_key)
        VALUES ($1::uuid, $2, $3, $4::integer, $5::jsonb, $6::jsonb, $7::timestamptz, $8::integer, $9) RETURNING global_position::text
        """

    mutating func insertEvent(_ connection: PostgresConnection, streamId: String, category: EventFactory.Category,
                              position: Int64, time: Timestamp) async throws -> GlobalPosition {
        let key = String(streamId.drop(while: { $0 != "-" }).dropFirst())
        let (type, data, schemaVersion) = EventFactory.event(category: category, key: key, version: position, rng: &rng)
        let id = rng.uuid7(milliseconds: time.microseconds / 1000)
        let metadata = EventFactory.metadata(correlation: "corr-" + rng.hexWord(12), causation: "cmd-" + rng.hexWord(10), rng: &rng)
        let rows = try await query(connection, Self.insertEvent,
                                   [id, streamId, type, Int(position), data, metadata, time.iso8601, Int(schemaVersion), id])
        guard let text = rows.first?[0], let head = GlobalPosition(text) else {
            throw StoreError.queryFailed(location: target.location, reason: "the insert into es_events returned no global_position")
        }
        return head
    }

    /// Nine appends in ten continue a live stream near a random key (found through the primary
    /// key, at any size); the rest open a new stream.
    mutating func pickStream(_ connection: PostgresConnection, time: Timestamp) async throws
        -> (String, EventFactory.Category, Int64)
    {
        if !rng.chance(0.1) {
            let from = EventFactory.Category.weighted(&rng).rawValue + "-" + rng.hexWord(8)
            let rows = try await query(connection, """
                SELECT stream_id, stream_type, version::text FROM es_streams WHERE stream_id >= $1 AND deleted_at IS NULL
                ORDER BY stream_id LIMIT 1
                """, [from])
            if let row = rows.first, let id = row[0], let version = row[2].flatMap({ Int64($0) }) {
                return (id, row[1].flatMap(EventFactory.Category.init(rawValue:)) ?? .account, version)
            }
        }
        let category = EventFactory.Category.weighted(&rng)
        let id = category.rawValue + "-" + rng.hexWord(10)
        try await query(connection, """
            INSERT INTO es_streams (stream_id, stream_type, version, created_at, updated_at) VALUES ($1, $2, -1, $3::timestamptz, $3::timestamptz)
            """, [id, category.rawValue, time.iso8601])
        return (id, category, -1)
    }

    // MARK: - The connection

    /// Runs `body` in a transaction on the writer's connection, committed or rolled back as asked.
    mutating func transaction<T>(commit: Bool, _ body: (inout Self, PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connected()
        try await query(connection, "BEGIN")
        do {
            let result = try await body(&self, connection)
            try await query(connection, commit ? "COMMIT" : "ROLLBACK")
            return result
        } catch {
            _ = try? await query(connection, "ROLLBACK")
            throw error
        }
    }

    mutating func connected() async throws -> PostgresConnection {
        if let connection, !connection.isClosed { return connection }
        connections += 1
        let fresh = try await DemoPostgres.connect(target, id: connections)
        connection = fresh
        return fresh
    }

    mutating func disconnect() async {
        try? await connection?.close()
        connection = nil
    }

    /// The rows' text, with every failure in the adapter's words (`.unreachable` when the server is gone).
    @discardableResult
    func query(_ connection: PostgresConnection, _ sql: String, _ values: [any PostgresEncodable & Sendable] = []) async throws -> [[String?]] {
        do {
            var binds = PostgresBindings()
            for value in values { try binds.append(value) }
            var out: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: DemoPostgres.logger) {
                out.append(row.map { $0.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } })
            }
            return out
        } catch {
            throw target.describe(error)
        }
    }
}
