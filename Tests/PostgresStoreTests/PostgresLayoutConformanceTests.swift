import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// The eventsource-py, lexigram and minimal layouts on PostgreSQL against the in-memory oracle
/// loaded from the same database by plain `SELECT *`: every read of `StoreReader`, on the rows of
/// the SQLite layout tests (`LayoutStoreBuilder.writeSample`) copied into each layout's PostgreSQL DDL.
@Suite struct PostgresLayoutConformanceTests {
    /// A PostgreSQL database holding the sample rows of `layout`.
    static func sample(_ layout: StoreLayout, in directory: TemporaryDirectory) async throws -> TestDatabase {
        let path = directory.file("\(layout).db")
        let builder = try LayoutStoreBuilder(path: path, layout: layout, wal: false)
        try builder.writeSample()
        try builder.close()
        let database = try await PostgresServer.shared.makeDatabase("\(layout)")
        try await PostgresLayoutCopy.copy(sqlitePath: path, layout: layout, into: database)
        return database
    }

    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func theSampleConforms(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try await Self.sample(layout, in: directory)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        #expect(reader.info.layout == layout)
        let oracle = try await InMemoryStore.load(postgres: database, layout: layout, in: directory)
        #expect(oracle.eventRows.count == LayoutStoreBuilder.sampleEvents.count)
        // eventsource-py's rows carry their txid on PostgreSQL: its readers' horizon is there to read.
        let horizon: StoreCapabilities = layout == .eventsourcePy ? .visibilityHorizon : []
        #expect(reader.info.capabilities == oracle.info.capabilities.union(horizon))
        let mismatches = try await StoreConformance(subject: reader, oracle: oracle).mismatches()
        #expect(mismatches == [])
    }

    /// Numbers past 9 (versions, dead-letter ids, snapshot versions) order as numbers, not as the
    /// text the reader selects them as: a stream of twelve events, twelve dead letters.
    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func numbersPastNineOrderAsNumbers(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try await Self.sample(layout, in: directory)
        defer { Task { try? await database.drop() } }
        try await database.psql(Self.long[layout]!)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close() } }
        #expect(try await reader.stream(id: "Long-1")?.version == 12)
        let oracle = try await InMemoryStore.load(postgres: database, layout: layout, in: directory)
        #expect(try await StoreConformance(subject: reader, oracle: oracle).mismatches() == [])
    }

    static let long: [StoreLayout: String] = [
        .eventsourcePy: """
            INSERT INTO events (global_position, event_id, aggregate_id, aggregate_type, event_type, version, "timestamp", payload)
            SELECT 19 + v, gen_random_uuid(), '1', 'Long', 'Stretched', v, '2026-11-02T00:01:00Z'::timestamptz + v * interval '1 second', '{}'
            FROM generate_series(1, 12) v;
            INSERT INTO dead_letter_queue (event_id, projection_name, event_type, event_data, error_message, retry_count, first_failed_at, last_failed_at)
            SELECT gen_random_uuid(), 'LongProjection', 'Stretched', '{}', 'failed ' || i, i, now(), now() FROM generate_series(1, 12) i;
            """,
        .lexigram: """
            INSERT INTO events (global_sequence, stream_id, stream_version, event_id, event_type, event_data, metadata, "timestamp")
            SELECT 19 + v, 'Long-1', v, 'long-' || v, 'Stretched', '{}', '{}', '2026-11-02T00:01:' || lpad(v::text, 2, '0') || '.000000+00:00'
            FROM generate_series(1, 12) v;
            INSERT INTO snapshots VALUES ('l9', 'Long-1', 'Long', 9, '{"n": 9}', '2026-11-02T00:02:00+00:00'),
              ('l10', 'Long-1', 'Long', 10, '{"n": 10}', '2026-11-02T00:02:01+00:00');
            """,
        .minimal: """
            INSERT INTO events (id, name, payload, stream, "timestamp", version)
            SELECT gen_random_uuid(), 'Stretched', '{}', 'Long-1', '2026-11-02T00:01:00Z'::timestamptz + v * interval '1 second', v
            FROM generate_series(1, 12) v;
            """,
    ]

    /// The fixture eventsource-py 0.15.1 wrote, its rows copied into the PostgreSQL DDL.
    @Test func theEventsourcePyFixtureConforms() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try await PostgresServer.shared.makeDatabase("espfixture")
        try await PostgresLayoutCopy.copy(sqlitePath: try PostgresLayoutCopy.copyOfFixture(in: directory), layout: .eventsourcePy, into: database,
                                         ddl: LayoutStoreBuilder.eventsourcePyPostgresDDL(aggregateIds: "UUID"))
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let oracle = try await InMemoryStore.load(postgres: database, layout: .eventsourcePy, in: directory)
        let mismatches = try await StoreConformance(subject: reader, oracle: oracle).mismatches()
        #expect(mismatches == [])
    }

    /// Paged one at a time, both ways, every stream comes once, in byte order of its shown id.
    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func streamPagesWalkEveryStreamOnceBothWays(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let database = try await Self.sample(layout, in: directory)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let expected = Set(LayoutStoreBuilder.sampleEvents.map(\.streamId)).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        #expect(expected.count == 4)
        for direction in [Direction.forwards, .backwards] {
            var walked: [String] = [], after: String?
            repeat {
                let page = try await reader.streams(StreamQuery(after: after, limit: 1, direction: direction))
                walked += page.map(\.id)
                after = page.last?.id
            } while after != nil && walked.count < 10
            #expect(walked == (direction == .forwards ? expected : expected.reversed()))
        }
    }

    /// The minimal layout's log pages on `(timestamp, id)`: events sharing one time are each read
    /// once, across page boundaries, both ways.
    @Test func minimalEventsSharingATimePageByTheirIds() async throws {
        let database = try await PostgresServer.shared.makeDatabase("minimalties")
        try await database.psql(LayoutStoreBuilder.minimalPostgresDDL + """
            INSERT INTO events (id, name, payload, stream, "timestamp", version)
            SELECT gen_random_uuid(), 'Tick', '{}', 'Clock-' || (i % 3), '2026-11-02T00:00:00Z'::timestamptz + (i / 4) * interval '1 second', i
            FROM generate_series(1, 12) i;
            """)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let all = try await reader.log(LogQuery(limit: 100))
        #expect(all.count == 12)
        var forwards: [String] = [], anchor = LogQuery.Anchor.after(.start)
        while forwards.count < 20, case let page = try await reader.log(LogQuery(anchor: anchor, limit: 5)), let last = page.last {
            forwards += page.map(\.eventId)
            anchor = .after(last.cursor)
        }
        #expect(forwards == all.map(\.eventId))
        var backwards: [String] = []
        anchor = .before(.end)
        while backwards.count < 20, case let page = try await reader.log(LogQuery(anchor: anchor, limit: 5)), let last = page.last {
            backwards += page.map(\.eventId)
            anchor = .before(last.cursor)
        }
        #expect(backwards == all.map(\.eventId).reversed())
        #expect(all.allSatisfy { !$0.hasGlobalPosition })
    }
}
