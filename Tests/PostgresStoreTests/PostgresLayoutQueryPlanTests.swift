import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// The other layouts' reads on PostgreSQL are keyset-paged on their own indexes: `EXPLAIN` of
/// each shape shows no sequential scan of `events`, under the statistics of a store of 200,000
/// events in 20,000 streams (as `PostgresQueryPlanTests` does for waku), in each library's own DDL.
/// Reading adds no index: the list of indexes is the same before and after.
@Suite struct PostgresLayoutQueryPlanTests {
    static let fill: [StoreLayout: String] = [
        .eventsourcePy: """
            INSERT INTO events (global_position, event_id, aggregate_id, aggregate_type, event_type, version, "timestamp", payload)
            SELECT i + i / 1000, gen_random_uuid(), (lpad(to_hex(i % 20000), 8, '0') || '-0000-4000-8000-000000000000')::uuid,
                   (ARRAY['Order', 'Account', 'Cart'])[i % 3 + 1],
                   (ARRAY['OrderPlaced', 'ItemAdded', 'OrderShipped', 'PaymentTaken', 'Refunded'])[i % 5 + 1], i / 20000 + 1,
                   now(), '{"a": 1}'
            FROM generate_series(1, 200000) i;
            INSERT INTO projection_checkpoints (projection_name, last_event_id, global_position)
            SELECT 'p' || i, (SELECT event_id FROM events WHERE global_position = i * 1000), NULL FROM generate_series(1, 20) i;
            """,
        .lexigram: """
            INSERT INTO events (global_sequence, stream_id, stream_version, event_id, event_type, event_data, metadata, "timestamp")
            SELECT i + i / 1000, 'Order-' || (i % 20000), i / 20000 + 1, 'ev-' || i,
                   (ARRAY['OrderPlaced', 'ItemAdded', 'OrderShipped', 'PaymentTaken', 'Refunded'])[i % 5 + 1], '{"a": 1}', '{}',
                   '2026-11-02T00:00:00Z'
            FROM generate_series(1, 200000) i;
            """,
        .minimal: """
            INSERT INTO events (id, name, payload, stream, "timestamp", version)
            SELECT gen_random_uuid(), (ARRAY['OrderPlaced', 'ItemAdded', 'OrderShipped', 'PaymentTaken', 'Refunded'])[i % 5 + 1], '{"a": 1}',
                   'Order-' || (i % 20000), '2026-01-01T00:00:00Z'::timestamptz + i * interval '1 millisecond', i / 20000 + 1
            FROM generate_series(1, 200000) i;
            """,
    ]

    static let stores = Task<[StoreLayout: TestDatabase], any Error> {
        var stores: [StoreLayout: TestDatabase] = [:]
        for layout in [StoreLayout.eventsourcePy, .lexigram, .minimal] {
            let database = try await PostgresServer.shared.makeDatabase("plans\(layout)")
            // eventsource-py's own aggregate ids are uuids: their walks and seeks must use the indexes too.
            let ddl = layout == .eventsourcePy ? LayoutStoreBuilder.eventsourcePyPostgresDDL(aggregateIds: "UUID") : LayoutStoreBuilder.postgresDDL(layout)
            try await database.psql(ddl + "\n" + fill[layout]! + "\nANALYZE;")
            stores[layout] = database
        }
        return stores
    }

    static func indexes(_ reader: PostgresStoreReader) async throws -> [String?] {
        try await reader.executeForTesting("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")
    }

    func reader(_ layout: StoreLayout) async throws -> PostgresStoreReader {
        try await PostgresStoreReader.open(test: try await Self.stores.value[layout]!.url)
    }

    /// No sequential scan of `events`; for a `seek` (one row in index order), no sort and no bitmap
    /// either: those read every row that matches before they can give the first.
    func assertIndexBacked(_ reader: PostgresStoreReader, _ statement: Statement, _ name: String, seek: Bool = false) async throws {
        let plan = try await reader.planForTesting(statement)
        #expect(!plan.isEmpty)
        #expect(!plan.contains { $0.contains("Seq Scan on events") }, "\(name) reads the whole table:\n\(plan.joined(separator: "\n"))")
        if seek {
            #expect(!plan.contains { $0.contains("Sort") || $0.contains("Bitmap") }, "\(name) is no seek:\n\(plan.joined(separator: "\n"))")
        }
    }

    func logShapes(_ reader: PostgresStoreReader, _ log: PostgresPositionalSQL) async throws {
        for query in [LogQuery(anchor: .after(.position(100))), LogQuery(anchor: .before(.position(150_000))),
                      LogQuery(anchor: .after(.start)), LogQuery(anchor: .before(.end)),
                      LogQuery(anchor: .after(.position(5)), eventTypes: ["OrderPlaced"]),
                      LogQuery(anchor: .before(.position(900)), eventTypes: ["OrderPlaced", "Refunded"])] {
            try await assertIndexBacked(reader, log.log(query), "log \(query)")
        }
        try await assertIndexBacked(reader, log.head, "head")
        try await assertIndexBacked(reader, log.eventAt(5), "event at")
        try await assertIndexBacked(reader, try #require(log.eventById(UUID().uuidString)), "event by id")
        try await assertIndexBacked(reader, log.eventsInRanges([3...5, 90...99, 150_000...151_000], limit: 1_000), "events in ranges")
        try await assertIndexBacked(reader, log.eventsInRange(100...GlobalPosition.max, limit: 1_000), "events in a range")
        for window in [0...200_199 as ClosedRange<GlobalPosition>, 150_000...200_199, 100...5_000] {
            try await assertIndexBacked(reader, log.missingRuns(in: window, limit: 10_000), "missing runs \(window)")
            try await assertIndexBacked(reader, log.firstPositionInWindow(window), "first position in \(window)")
        }
        try await assertIndexBacked(reader, log.pending(after: 199_000, eventTypes: [], limit: 100_001), "pending")
        try await assertIndexBacked(reader, log.pending(after: 199_000, eventTypes: ["OrderPlaced", "Refunded"], limit: 100_001), "pending of types")
    }

    func walkShapes(_ reader: PostgresStoreReader, _ walk: PostgresKeyWalk, prefix: String = "Ord", after: String = "Order-1") async throws {
        for direction in [Direction.forwards, .backwards] {
            for (prefix, after) in [("", nil), ("", after), (prefix, nil), (prefix, after)] as [(String, String?)] {
                let name = "walk of \(walk.key.name) \(direction) prefix \(prefix) after \(after ?? "-")"
                try await assertIndexBacked(reader, try #require(walk.step(prefix: prefix, after: after, direction: direction), "\(name)"), name,
                                            seek: true)
            }
        }
    }

    @Test func eventsourcePyReadsUseTheLibrarysIndexes() async throws {
        let reader = try await reader(.eventsourcePy)
        defer { Task { await reader.close() } }
        let before = try await Self.indexes(reader)
        let mapping = try #require(reader.mapping as? EventsourcePyPostgresMapping)
        try await logShapes(reader, mapping.log)
        try await walkShapes(reader, PostgresKeyWalk(table: "events", column: "aggregate_type", catalog: mapping.catalog))
        let id = "00000012-0000-4000-8000-000000000000"
        try await walkShapes(reader, mapping.ids(ofType: "Order"), prefix: "0000001", after: id)
        for last in [true, false] {
            try await assertIndexBacked(reader, try #require(mapping.end(type: "Order", id: id, last: last)), "a stream's end", seek: true)
        }
        try await assertIndexBacked(reader, try #require(mapping.countIds(type: "Order", idPrefix: "0000001", cap: 1_001)), "count streams")
        for query in [StreamEventsQuery(streamId: "Order-" + id), StreamEventsQuery(streamId: "Order-" + id, from: 2, direction: .backwards, limit: 5)] {
            try await assertIndexBacked(reader, try #require(mapping.streamEvents(query, type: "Order", id: id)), "stream events \(query)")
        }
        // And answers: the streams of a uuid prefix, found by the range of uuids it stands for.
        let prefixed = try await reader.streams(StreamQuery(filter: .prefix("Order-0000001")))
        #expect(prefixed.count == 16 && prefixed.allSatisfy { $0.id.hasPrefix("Order-0000001") }, "\(prefixed.map(\.id))")
        #expect(try await reader.countStreams(.prefix("Order-0000001"), cap: 100) == PendingCount(count: 16, isCapped: false))
        #expect(try await reader.streams(StreamQuery(filter: .prefix("Order-xyz"))) == [])
        try await assertIndexBacked(reader, Statement(mapping.checkpointsSQL), "checkpoints (the last event's position by event id)")
        try await assertIndexBacked(reader, EventsourcePyPostgresMapping.horizon(window: EventsourcePyPostgresMapping.horizonWindow),
                                    "the visibility horizon")
        // And the reads themselves run, and add nothing.
        _ = try await reader.streams(StreamQuery(limit: 20))
        _ = try await reader.visibilityHorizon(cap: 1_000)
        #expect(try await Self.indexes(reader) == before)
    }

    @Test func lexigramReadsUseOnlyThePrimaryKeyAndItsUniqueConstraints() async throws {
        let reader = try await reader(.lexigram)
        defer { Task { await reader.close() } }
        let before = try await Self.indexes(reader)
        // No secondary index: the primary keys and the unique constraints' indexes only.
        #expect(before.allSatisfy { $0?.hasSuffix("_pkey") == true || $0?.hasSuffix("_key") == true }, "\(before)")
        let mapping = try #require(reader.mapping as? LexigramPostgresMapping)
        try await logShapes(reader, mapping.log)
        try await walkShapes(reader, mapping.keyed.walk)
        for last in [true, false] { try await assertIndexBacked(reader, try #require(mapping.keyed.end("Order-1", last: last)), "a stream's end", seek: true) }
        try await assertIndexBacked(reader, try #require(mapping.keyed.count(prefix: "Order-12", cap: 1_000)), "count streams")
        try await assertIndexBacked(reader, try #require(mapping.keyed.events(StreamEventsQuery(streamId: "Order-1", from: 2), columns: mapping.log.columns)),
                                    "stream events")
        _ = try await reader.streams(StreamQuery(limit: 20))
        #expect(try await Self.indexes(reader) == before)
    }

    @Test func minimalPagesOnTimeAndIdAndTheStreamIndex() async throws {
        let reader = try await reader(.minimal)
        defer { Task { await reader.close() } }
        let before = try await Self.indexes(reader)
        let mapping = try #require(reader.mapping as? MinimalPostgresMapping)
        let middle = try #require(try await reader.log(LogQuery(anchor: .after(.start), limit: 100_000)).last)
        for query in [LogQuery(anchor: .after(.start)), LogQuery(anchor: .before(.end)), LogQuery(anchor: .after(middle.cursor)),
                      LogQuery(anchor: .before(middle.cursor)), LogQuery(anchor: .after(.position(middle.globalPosition))),
                      LogQuery(anchor: .after(middle.cursor), eventTypes: ["OrderPlaced"])] {
            try await assertIndexBacked(reader, mapping.log(query), "log \(query)")
        }
        try await assertIndexBacked(reader, mapping.inRange(middle.globalPosition...GlobalPosition.max, limit: 100), "events in a range")
        try await walkShapes(reader, mapping.keyed.walk)
        for last in [true, false] { try await assertIndexBacked(reader, try #require(mapping.keyed.end("Order-1", last: last)), "a stream's end", seek: true) }
        try await assertIndexBacked(reader, try #require(mapping.keyed.count(prefix: "Order-12", cap: 1_000)), "count streams")
        try await assertIndexBacked(reader, try #require(mapping.keyed.events(StreamEventsQuery(streamId: "Order-1"), columns: MinimalPostgresMapping.columns)),
                                    "stream events")
        #expect(try await Self.indexes(reader) == before)
    }
}
