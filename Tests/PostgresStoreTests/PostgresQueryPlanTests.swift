import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// Every navigation query runs on one of waku's own indexes: `EXPLAIN` shows no sequential scan of
/// `es_events` (nor, for pages, of `es_streams`), under the statistics of a store of 200,000 events
/// in 20,000 streams (loaded with `generate_series` and `ANALYZE`d: the planner's choices change
/// with size, so a tiny store proves nothing).
@Suite struct PostgresQueryPlanTests {
    static let large = Task<TestDatabase, any Error> {
        let database = try await TestDatabase.emptyWaku("plans")
        try await database.psql("""
            INSERT INTO es_streams SELECT 'Order-' || i, 'Order', 10, now(), now(), CASE WHEN i % 1000 = 0 THEN now() END
              FROM generate_series(1, 20000) i;
            INSERT INTO es_events (event_id, stream_id, event_type, position, global_position, data, metadata, timestamp, idempotency_key)
              OVERRIDING SYSTEM VALUE
              SELECT gen_random_uuid(), 'Order-' || (i % 20000 + 1),
                     (ARRAY['OrderPlaced', 'ItemAdded', 'OrderShipped', 'PaymentTaken', 'Refunded'])[i % 5 + 1],
                     i / 20000, i + i / 1000, '{"a": 1}', '{"correlation_id": null, "causation_id": null, "extra": {}}', now(), 'k' || i
              FROM generate_series(0, 199999) i;
            INSERT INTO es_checkpoints VALUES ('orders', 150000, now(), now());
            ANALYZE;
            """)
        return database
    }

    func reader() async throws -> PostgresStoreReader {
        try await PostgresStoreReader.open(test: try await Self.large.value.url)
    }

    /// The plan's lines that read a whole table.
    func assertIndexBacked(_ reader: PostgresStoreReader, _ statement: Statement, _ name: String, streamsToo: Bool = true) async throws {
        let plan = try await reader.planForTesting(statement)
        #expect(!plan.isEmpty)
        let scans = plan.filter { $0.contains("Seq Scan on es_events") || (streamsToo && $0.contains("Seq Scan on es_streams")) }
        #expect(scans.isEmpty, "\(name) reads a whole table:\n\(plan.joined(separator: "\n"))")
    }

    @Test func logPages() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        for query in [LogQuery(anchor: .after(.position(100))), LogQuery(anchor: .before(.position(150_000))),
                      LogQuery(anchor: .after(.start)), LogQuery(anchor: .before(.end)),
                      LogQuery(anchor: .after(.position(5)), includeHidden: true),
                      LogQuery(anchor: .before(.position(190_000)), includeHidden: true),
                      LogQuery(anchor: .after(.position(5)), eventTypes: ["OrderPlaced"]),
                      LogQuery(anchor: .before(.position(900)), eventTypes: ["OrderPlaced", "Refunded"]),
                      LogQuery(anchor: .after(.position(100_000)), limit: 5_000, eventTypes: ["ItemAdded"])] {
            try await assertIndexBacked(reader, PostgresSQL.log(query), "log \(query)")
        }
    }

    @Test func streamPages() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        #expect(reader.byteOrdered)
        for query in [StreamQuery(), StreamQuery(after: "Order-1"), StreamQuery(filter: .category("Order")),
                      StreamQuery(filter: .prefix("Order-12"), after: "Order-123"), StreamQuery(direction: .backwards),
                      StreamQuery(filter: .category("Order"), after: "Order-9", direction: .backwards)] {
            try await assertIndexBacked(reader, PostgresSQL.streams(query, byteOrdered: true), "streams \(query)")
        }
        try await assertIndexBacked(reader, PostgresSQL.streamById("Order-1"), "stream by id")
        try await assertIndexBacked(reader, PostgresSQL.countStreams(prefix: "Order-12", cap: 1_000, byteOrdered: true), "count streams by prefix")
    }

    @Test func streamEvents() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        for query in [StreamEventsQuery(streamId: "Order-1"), StreamEventsQuery(streamId: "Order-1", from: 3, direction: .backwards),
                      StreamEventsQuery(streamId: "Order-1", direction: .backwards),
                      StreamEventsQuery(streamId: "Order-1", from: 2, eventTypes: ["ItemAdded"])] {
            try await assertIndexBacked(reader, PostgresSQL.streamEvents(query), "stream events \(query)")
        }
    }

    @Test func pointReadsRangesAndCounts() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        try await assertIndexBacked(reader, Statement(PostgresSQL.head), "head")
        try await assertIndexBacked(reader, PostgresSQL.eventAt(5), "event at")
        try await assertIndexBacked(reader, PostgresSQL.eventsInRanges([3...5, 90...99, 150_000...151_000], limit: 1_000), "events in ranges (tail's holes)")
        try await assertIndexBacked(reader, PostgresSQL.eventsInRange(100...GlobalPosition.max, limit: 1_000), "events in a range")
        // A projection near the head: the usual case (far behind, counting to the cap reads what it counts).
        try await assertIndexBacked(reader, PostgresSQL.pending(after: 199_000, eventTypes: [], cap: 100_000), "pending")
        try await assertIndexBacked(reader, PostgresSQL.pending(after: 199_000, eventTypes: ["OrderPlaced", "Refunded"], cap: 100_000),
                                    "pending with types")
        try await assertIndexBacked(reader, PostgresSQL.nextEventType(after: "", from: "Order", upper: "Order\u{10FFFF}"), "next event type")
    }

    @Test func gapQueries() async throws {
        let reader = try await reader()
        defer { Task { await reader.close() } }
        for window in [0...200_199 as ClosedRange<GlobalPosition>, 150_000...200_199, 100...5_000] {
            try await assertIndexBacked(reader, PostgresSQL.missingRuns(in: window, limit: 10_000), "missing runs \(window)")
            try await assertIndexBacked(reader, PostgresSQL.firstPositionInWindow(window), "first position in \(window)")
            try await assertIndexBacked(reader, PostgresSQL.hiddenRuns(deleted: ["Order-1000", "Order-2000"], orphans: false, in: window, limit: 10_000),
                                        "deleted runs \(window)")
            // With orphans every event in the window is checked for a stream row: es_events by its index still.
            try await assertIndexBacked(reader, PostgresSQL.hiddenRuns(deleted: ["Order-1000"], orphans: true, in: window, limit: 10_000),
                                        "deleted and orphan runs \(window)", streamsToo: false)
        }
        // And the runs found are right, whole-store: a missing position after every thousandth event.
        let gaps = try await reader.gaps(in: 0...200_198, limit: 100_000)
        #expect(gaps.filter { $0.kind == .missing }.count == 199)
        #expect(gaps.filter { $0.kind == .missing }.allSatisfy { $0.length == 1 && ($0.from + 1) % 1001 == 0 })
    }
}
