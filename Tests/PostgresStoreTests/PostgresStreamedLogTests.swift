import EventStore
import Foundation
@testable import PostgresStore
import PostgresNIO
import TestSupport
import Testing

/// `streamLog` (what `events --ndjson` and `--json` read on PostgreSQL) in pages far smaller than
/// its own, so that many page boundaries fall inside each read: every read must list
/// exactly what one `log` page of the whole range lists, in its order, problems included.
@Suite struct PostgresStreamedLogTests {
    static let demo: Task<TestDatabase, any Error> = Task {
        let database = try await PostgresServer.shared.makeDatabase("streamed")
        try await PostgresStoreCopy.copy(sqlitePath: try await DemoFixture.standardStore.path, into: database)
        return database
    }

    func streamed(_ reader: PostgresStoreReader, _ query: LogQuery, pageSize statementSize: Int) async throws -> [RecordedEvent] {
        var events: [RecordedEvent] = []
        try await reader.streamLog(query, pageSize: statementSize) { event in
            events.append(event)
            return true
        }
        return events
    }

    static let queries: [LogQuery] = [
        LogQuery(anchor: .after(.start), limit: .max, includeHidden: true),
        LogQuery(anchor: .after(.start), limit: .max),
        LogQuery(anchor: .after(.position(4_321)), limit: 2_500, includeHidden: true),
        LogQuery(anchor: .before(.position(15_000)), limit: .max),
        LogQuery(anchor: .after(.start), limit: .max, eventTypes: ["OrderPlaced", "PaymentReceived"], includeHidden: true),
    ]

    @Test(arguments: queries) func theDemoStreamedInShortStatementsIsOnePageOfTheWholeRange(query: LogQuery) async throws {
        let reader = try await PostgresStoreReader.open(test: try await Self.demo.value.url)
        defer { Task { await reader.close() } }
        var whole = query
        whole.limit = min(query.limit, 1_000_000)
        let expected = try await reader.log(whole)
        #expect(expected.count > 1_000)
        let events = try await streamed(reader, query, pageSize: 997)
        #expect(events.count == expected.count)
        #expect(events == expected)
    }

    /// The other layouts (minimal's log keyed by time and id) chained the same way, both directions.
    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func everyLayoutStreamsInShortStatementsAsOnePage(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try await PostgresLayoutConformanceTests.sample(layout, in: directory)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        for anchor in [LogQuery.Anchor.after(.start), .before(.end)] {
            let expected = try await reader.log(LogQuery(anchor: anchor, limit: 10_000, includeHidden: true))
            #expect(expected.count == LayoutStoreBuilder.sampleEvents.count)
            for size in [1, 2, 3] {
                let events = try await streamed(reader, LogQuery(anchor: anchor, limit: .max, includeHidden: true), pageSize: size)
                #expect(events == expected, "\(layout), \(anchor), statements of \(size)")
            }
        }
    }

    /// A store whose values are not what their columns should hold (in `SQL_ASCII`, where the
    /// server passes any bytes): every problem survives the stream, in statements of two events.
    @Test func unreadableValuesKeepTheirProblemsAcrossStatements() async throws {
        let server = try await PostgresServer.shared
        let name = "streamed_ascii_\(UUID().uuidString.prefix(8).lowercased())"
        func psql(_ database: String, _ sql: String) async throws { try await onDedicatedThread { try server.psql(database: database, sql) } }
        try await psql("postgres", "CREATE DATABASE \(name) ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0")
        defer { Task { try? await psql("postgres", "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") } }
        try await psql(name, WakuSchema.postgresDDL)
        try await psql(name, """
            ALTER TABLE es_events ALTER COLUMN schema_version TYPE text, ALTER COLUMN "timestamp" TYPE text;
            INSERT INTO es_streams VALUES
              ('Order-1', 'Order', 3, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', NULL),
              (E'Bad-\\xff', 'Bad', 0, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', NULL);
            INSERT INTO es_events (event_id, stream_id, event_type, position, global_position, data, metadata, timestamp, idempotency_key, schema_version)
              OVERRIDING SYSTEM VALUE VALUES
              (gen_random_uuid(), 'Order-1', 'OrderPlaced', 0, 1, '{}', '{}', '2026-11-02T00:00:01Z', 'i1', '1'),
              (gen_random_uuid(), E'Bad-\\xff', E'Type-\\xfe', 0, 2, '{}', '{}', '2026-11-02T00:00:02Z', 'i2', '1'),
              (gen_random_uuid(), 'Order-1', 'OrderShipped', 1, 3, '{}', '{}', '2026-11-02T00:00:03Z', 'i3', 'one'),
              (gen_random_uuid(), 'Order-1', 'OrderShipped', 2, 4, '{}', '{}', 'not a time', 'i4', '1'),
              (gen_random_uuid(), 'Ghost-1', 'Happened', 0, 5, '{}', '{}', '2026-11-02T00:00:05Z', E'key-\\x80', ' 7 '),
              (gen_random_uuid(), 'Order-1', 'OrderShipped', 3, 6, '{}', '{}', '2026-11-02T00:00:06Z', 'i6', '1');
            """)
        let reader = try await PostgresStoreReader.open(test: server.url(database: name))
        defer { Task { await reader.close() } }
        let query = LogQuery(anchor: .after(.start), limit: .max, includeHidden: true)
        let expected = try await reader.log(LogQuery(anchor: .after(.start), limit: 100, includeHidden: true))
        let events = try await streamed(reader, query, pageSize: 2)
        #expect(events == expected)
        #expect(events.map(\.globalPosition) == [1, 2, 3, 4, 5, 6])
        let fields = events.map { Set($0.problems.map(\.field)) }
        #expect(fields == [[], ["stream_id", "event_type"], ["schema_version"], [], ["idempotency_key"], []])
        #expect(events[1].streamId == "Bad-\\xff")
        #expect(events[3].timestamp == .unreadable("not a time"))
        #expect(events[4].schemaVersion == 7)
        #expect(events[4].isHidden)
    }

    /// The reader's session terminated (a restart, an operator's `pg_terminate_backend`) while the
    /// caller holds an event: the read goes on, on a new session, after the last page handed over,
    /// and lists exactly what one page lists.
    @Test func aSessionTerminatedMidwayIsReplacedAndNothingIsLostOrRepeated() async throws {
        let database = try await PostgresServer.shared.makeDatabase("streamed_break")
        defer { Task { try? await database.drop() } }
        try await PostgresStoreCopy.copy(sqlitePath: try await DemoFixture.standardStore.path, into: database)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close() } }
        let control = try await database.connect()
        defer { Task { try? await control.close() } }
        let expected = try await reader.log(LogQuery(anchor: .after(.start), limit: 1_000_000, includeHidden: true))
        #expect(expected.count > 10_000)

        var events: [RecordedEvent] = []
        var terminated = 0
        try await reader.streamLog(LogQuery(anchor: .after(.start), limit: .max, includeHidden: true), pageSize: 997) { event in
            events.append(event)
            if events.count == 5_000 || events.count == 12_345 {
                let rows = try await control.query("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                    """, logger: quietLogger)
                for try await done in rows.decode(Bool.self) where done { terminated += 1 }
            }
            return true
        }
        #expect(terminated >= 2, "the reader's session was there to terminate, twice")
        #expect(events.count == expected.count)
        #expect(events == expected)
    }

    struct Refused: Error, Equatable {}

    /// A body that stops or throws ends the read there; the session then reads on as before.
    @Test func aBodyThatStopsOrThrowsEndsTheReadAndTheSessionReadsOn() async throws {
        let reader = try await PostgresStoreReader.open(test: try await Self.demo.value.url)
        defer { Task { await reader.close() } }
        let all = LogQuery(anchor: .after(.start), limit: .max, includeHidden: true)
        var seen: [GlobalPosition] = []
        try await reader.streamLog(all, pageSize: 5_000) { event in
            seen.append(event.globalPosition)
            return seen.count < 3
        }
        let first = try await reader.log(LogQuery(anchor: .after(.start), limit: 3, includeHidden: true))
        #expect(seen == first.map(\.globalPosition))
        var handed = 0
        var caught: (any Error)?
        do {
            try await reader.streamLog(all, pageSize: 5_000) { _ in
                handed += 1
                if handed == 10 { throw Refused() }
                return true
            }
        } catch {
            caught = error
        }
        #expect(caught as? Refused == Refused())
        #expect(handed == 10)
        let again = try await streamed(reader, LogQuery(anchor: .after(.position(100)), limit: 50, includeHidden: true), pageSize: 20)
        #expect(again == (try await reader.log(LogQuery(anchor: .after(.position(100)), limit: 50, includeHidden: true))))
    }
}
