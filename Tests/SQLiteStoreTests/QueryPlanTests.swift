import EventStore
import Foundation
import GRDB
@testable import SQLiteStore
import TestSupport
import Testing

/// Every navigation query is index-backed: `EXPLAIN QUERY PLAN` shows no full scan of the big tables,
/// both on the 20k-event fixture and on a copy whose statistics say ten million events in 900k
/// streams (the planner's choices, such as a Bloom filter over `es_streams`, change with size).
@Suite struct QueryPlanTests {
    static let largeStatistics: String = {
        let directory = TemporaryDirectory("eventscope-plan")
        let path = directory.file("large-stats.db")
        try! FileManager.default.copyItem(atPath: DemoFixture.standard.path, toPath: path)
        let queue = try! DatabaseQueue(path: path)
        try! queue.write { db in
            // The statistics ANALYZE wrote on a real 10M-event demo store.
            try db.execute(sql: """
                DELETE FROM sqlite_stat1;
                INSERT INTO sqlite_stat1 VALUES
                  ('es_events', 'ix_es_events_event_type', '10000000 500000'),
                  ('es_events', 'sqlite_autoindex_es_events_3', '10000000 12 1'),
                  ('es_events', 'sqlite_autoindex_es_events_2', '10000000 12 1'),
                  ('es_events', 'sqlite_autoindex_es_events_1', '10000000 1'),
                  ('es_streams', 'ix_es_streams_deleted', '1 1'),
                  ('es_streams', 'sqlite_autoindex_es_streams_1', '900105 1');
                """)
        }
        try! queue.close()
        return path
    }()

    let readers: [SQLiteStoreReader]

    init() throws {
        readers = [try SQLiteStoreReader.open(path: DemoFixture.standard.path), try SQLiteStoreReader.open(path: Self.largeStatistics)]
    }

    /// A full scan is `SCAN <table>` (or its alias) with or without a covering index; a Bloom filter
    /// or an automatic index on a table is built by reading all of it.
    func assertIndexBacked(_ sql: String, _ arguments: StatementArguments, _ name: String) async throws {
        for reader in readers {
            let plan = try await reader.queryPlan(sql, arguments: arguments)
            #expect(!plan.isEmpty)
            let scans = plan.filter { detail in
                ["SCAN e", "SCAN s", "SCAN es_events", "SCAN es_streams"].contains { detail == $0 || detail.hasPrefix($0 + " ") }
                    || detail.contains("BLOOM FILTER") || detail.contains("AUTOMATIC")
            }
            #expect(scans.isEmpty, "\(name) reads a whole table on \(reader.info.location): \(plan)")
        }
    }

    @Test func logPages() async throws {
        for query in [LogQuery(anchor: .after(.position(100))), LogQuery(anchor: .before(.position(100))), LogQuery(anchor: .after(.position(5)), includeHidden: true),
                      LogQuery(anchor: .after(.position(5)), eventTypes: ["OrderPlaced"]), LogQuery(anchor: .before(.position(900)), eventTypes: ["A", "B"])] {
            let (sql, arguments) = WakuSQL.log(query)
            try await assertIndexBacked(sql, arguments, "log \(query)")
        }
    }

    @Test func streamPages() async throws {
        for query in [StreamQuery(), StreamQuery(after: "Order-1"), StreamQuery(filter: .category("Order")),
                      StreamQuery(filter: .prefix("Acc"), after: "Account-2"), StreamQuery(direction: .backwards),
                      StreamQuery(filter: .category("Order"), after: "Order-9", direction: .backwards)] {
            let (sql, arguments) = WakuSQL.streams(query)
            try await assertIndexBacked(sql, arguments, "streams \(query)")
        }
        try await assertIndexBacked(WakuSQL.streamById, ["Order-1"], "stream by id")
        try await assertIndexBacked(WakuSQL.countStreams(prefix: ""), ["", "\u{10FFFF}", 1_001], "count streams")
        try await assertIndexBacked(WakuSQL.countStreams(prefix: "Ord"), ["Ord", "Ord\u{10FFFF}", 1_001], "count streams by prefix")
    }

    @Test func streamEvents() async throws {
        for query in [StreamEventsQuery(streamId: "Order-1"), StreamEventsQuery(streamId: "Order-1", from: 3, direction: .backwards),
                      StreamEventsQuery(streamId: "Order-1", from: 2, eventTypes: ["ItemAdded"])] {
            let (sql, arguments) = WakuSQL.streamEvents(query)
            try await assertIndexBacked(sql, arguments, "stream events \(query)")
        }
    }

    @Test func pointReadsAndCounts() async throws {
        try await assertIndexBacked(WakuSQL.head, [], "head")
        try await assertIndexBacked(WakuSQL.eventAt, [5], "event at")
        try await assertIndexBacked(WakuSQL.pending, [10, 100], "pending")
        try await assertIndexBacked(WakuSQL.pending(types: 2), [10, "A", "B", 100], "pending with types")
        try await assertIndexBacked(WakuSQL.nextEventType, ["", "Order", "Order\u{10FFFF}"], "next event type (completion)")
        try await assertIndexBacked(WakuSQL.eventsInRanges, ["[[3,5],[90,99]]", 100], "events in ranges (tail's holes)")
        try await assertIndexBacked(WakuSQL.eventsInRange, [100, Int64.max, 100], "events in a range")
    }

    @Test func gapQueries() async throws {
        try await assertIndexBacked(WakuSQL.missingRuns, [5_000, 10, 100], "missing runs")
        try await assertIndexBacked(WakuSQL.firstPositionInWindow, [10, 5_000], "first position in window")
        try await assertIndexBacked(WakuSQL.hiddenRuns(orphans: false), [#"["Order-1","Order-2"]"#, 10, 5_000, 100], "deleted runs")
        // Index-backed through the demo's partial index ix_es_streams_deleted.
        try await assertIndexBacked(WakuSQL.deletedStreams, [], "deleted streams")
    }
}
