import EventStore
import Foundation
import GRDB
@testable import SQLiteStore
import TestSupport
import Testing

/// The other layouts' reads are keyset-paged on their own indexes: `EXPLAIN QUERY PLAN` on each
/// shape shows no full scan of `events` (nor a Bloom filter or an automatic index, which read all of
/// it), on stores with the libraries' own DDL, and with statistics saying ten million events. The
/// test also checks that reading added no index to the schema.
@Suite struct LayoutQueryPlanTests {
    /// A sample store of the layout, its index list before reading, and a copy with large statistics.
    static func stores(_ layout: StoreLayout, in directory: TemporaryDirectory) throws -> (paths: [String], indexes: [String]) {
        let path = directory.file("\(layout).db")
        let builder = try LayoutStoreBuilder(path: path, layout: layout, wal: false)
        try builder.writeSample()
        try builder.close()
        let large = directory.file("\(layout)-large.db")
        try FileManager.default.copyItem(atPath: path, toPath: large)
        let queue = try DatabaseQueue(path: large)
        let indexes = try queue.write { db -> [String] in
            try db.execute(sql: "ANALYZE")
            let names = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name")
            // Ten million events in a million streams, ten thousand of each type.
            try db.execute(sql: "DELETE FROM sqlite_stat1 WHERE tbl = 'events'")
            for name in names {
                let columns = try Row.fetchAll(db, sql: "SELECT name FROM pragma_index_info(?)", arguments: [name]).count
                let stat = "10000000" + String(repeating: " 10", count: max(1, columns))
                try db.execute(sql: "INSERT INTO sqlite_stat1 VALUES ('events', ?, ?)", arguments: [name, stat])
            }
            try db.execute(sql: "INSERT INTO sqlite_stat1 VALUES ('events', NULL, '10000000')")
            return names
        }
        try queue.close()
        return ([path, large], indexes)
    }

    static func indexes(_ path: String) throws -> [String] {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name") }
    }

    func assertIndexBacked(_ readers: [SQLiteStoreReader], _ sql: String, _ arguments: StatementArguments, _ name: String) async throws {
        for reader in readers {
            let plan = try await reader.queryPlan(sql, arguments: arguments)
            #expect(!plan.isEmpty)
            let scans = plan.filter { detail in
                ["SCAN e", "SCAN events", "SCAN n", "SCAN x"].contains { detail == $0 || detail.hasPrefix($0 + " ") }
                    || detail.contains("BLOOM FILTER") || detail.contains("AUTOMATIC")
            }
            #expect(scans.isEmpty, "\(name) reads a whole table on \(reader.info.location): \(plan)")
        }
    }

    func logShapes(_ log: PositionalSQL, _ readers: [SQLiteStoreReader]) async throws {
        for query in [LogQuery(anchor: .after(.position(3))), LogQuery(anchor: .before(.position(9))),
                      LogQuery(anchor: .after(.position(2)), eventTypes: ["OrderPlaced"]), LogQuery(anchor: .before(.end), eventTypes: ["A", "B"])] {
            let (sql, arguments) = log.log(query)
            try await assertIndexBacked(readers, sql, arguments, "log \(query)")
        }
        try await assertIndexBacked(readers, log.head, [], "head")
        try await assertIndexBacked(readers, log.eventAt, [4], "event at")
        try await assertIndexBacked(readers, log.eventById, ["ev-4"], "event by id")
        try await assertIndexBacked(readers, log.eventsInRanges, ["[[3,5],[9,12]]", 100], "events in ranges")
        try await assertIndexBacked(readers, log.eventsInRange, [3, Int64.max, 100], "events in a range")
        try await assertIndexBacked(readers, log.missingRuns, [13, 0, 100], "missing runs")
        try await assertIndexBacked(readers, log.firstPositionInWindow, [0, 13], "first position in window")
        try await assertIndexBacked(readers, log.pending(types: 0), [3, 100], "pending")
        try await assertIndexBacked(readers, log.pending(types: 2), [3, "A", "B", 100], "pending of types")
    }

    func walkShapes(_ walk: KeyWalk, _ readers: [SQLiteStoreReader], scope: [any DatabaseValueConvertible] = []) async throws {
        for direction in [Direction.forwards, .backwards] {
            for (prefixed, after) in [(false, false), (false, true), (true, false), (true, true)] {
                var arguments = scope
                if prefixed { arguments += ["Ord", "Ord\u{10FFFF}"] }
                if after { arguments.append("Order-1") }
                try await assertIndexBacked(readers, walk.step(prefixed: prefixed, after: after, direction: direction),
                                            StatementArguments(arguments), "stream walk \(direction) prefixed \(prefixed) after \(after)")
            }
        }
    }

    @Test func eventsourcePyReadsUseTheLibrarysIndexes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (paths, indexes) = try Self.stores(.eventsourcePy, in: directory)
        let readers = try paths.map { try SQLiteStoreReader.open(path: $0) }
        try await logShapes(EventsourcePyMapping.log, readers)
        try await walkShapes(KeyWalk(table: "events", column: "aggregate_type"), readers)
        try await walkShapes(EventsourcePyMapping.ids(ofType: Array("Order".utf8)), readers, scope: [Data("Order".utf8)])
        for sql in [EventsourcePyMapping.lastEvent, EventsourcePyMapping.firstEvent] {
            try await assertIndexBacked(readers, sql, [Data("1".utf8), Data("Order".utf8)], "a stream's end")
        }
        try await assertIndexBacked(readers, EventsourcePyMapping.countIds, [Data("Order".utf8), Data(), Data([0xF4]), 1_001], "count streams")
        for query in [StreamEventsQuery(streamId: "Order-1"), StreamEventsQuery(streamId: "Order-1", from: 2, direction: .backwards, limit: 5)] {
            let (sql, arguments) = EventsourcePyMapping.streamEvents(query, type: Array("Order".utf8), id: Array("1".utf8))
            try await assertIndexBacked(readers, sql, arguments, "stream events \(query)")
        }
        try await assertIndexBacked(readers, EventsourcePyMapping.checkpoints, [], "checkpoints (the last event's position by event id)")
        for path in paths { #expect(try Self.indexes(path) == indexes, "reading added or dropped an index") }
    }

    @Test func lexigramReadsUseOnlyThePrimaryKeyAndItsUniqueConstraints() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (paths, indexes) = try Self.stores(.lexigram, in: directory)
        // No secondary index: only the autoindexes of UNIQUE (event_id) and UNIQUE (stream_id, stream_version).
        #expect(indexes.allSatisfy { $0.hasPrefix("sqlite_autoindex_") }, "\(indexes)")
        let readers = try paths.map { try SQLiteStoreReader.open(path: $0) }
        try await logShapes(LexigramMapping.log, readers)
        try await walkShapes(LexigramMapping.streamsWalk, readers)
        for last in [true, false] {
            try await assertIndexBacked(readers, StreamKeyed.end(StreamKeyed.lexigram, last: last), [Data("Order-1".utf8)], "a stream's end")
        }
        try await assertIndexBacked(readers, StreamKeyed.countSQL(StreamKeyed.lexigram), [Data("Ord".utf8), Data("Ord\u{10FFFF}".utf8), 1_001], "count streams")
        let (sql, arguments) = StreamKeyed.eventsSQL(StreamKeyed.lexigram, columns: LexigramMapping.log.columns, StreamEventsQuery(streamId: "Order-1", from: 2))
        try await assertIndexBacked(readers, sql, arguments, "stream events")
        for path in paths { #expect(try Self.indexes(path) == indexes, "reading added or dropped an index") }
    }

    @Test func minimalReadsPageByRowidAndTheStreamIndex() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let (paths, indexes) = try Self.stores(.minimal, in: directory)
        let readers = try paths.map { try SQLiteStoreReader.open(path: $0) }
        try await walkShapes(MinimalMapping.streamsWalk, readers)
        for last in [true, false] {
            try await assertIndexBacked(readers, StreamKeyed.end(StreamKeyed.minimal, last: last), [Data("Order-1".utf8)], "a stream's end")
        }
        try await assertIndexBacked(readers, StreamKeyed.countSQL(StreamKeyed.minimal), [Data("Ord".utf8), Data("Ord\u{10FFFF}".utf8), 1_001], "count streams")
        let (sql, arguments) = StreamKeyed.eventsSQL(StreamKeyed.minimal, columns: MinimalMapping.columns, StreamEventsQuery(streamId: "Order-1"))
        try await assertIndexBacked(readers, sql, arguments, "stream events")
        for query in [LogQuery(anchor: .after(.position(3))), LogQuery(anchor: .before(.end)), LogQuery(anchor: .after(.start), eventTypes: ["A"])] {
            let (sql, arguments) = MinimalMapping.log(query)
            try await assertIndexBacked(readers, sql, arguments, "log \(query)")
        }
        for path in paths { #expect(try Self.indexes(path) == indexes, "reading added or dropped an index") }
    }
}
