import EventStore
import Foundation
import PostgresNIO
@testable import PostgresStore
import TestSupport
import Testing

/// The waku layout on PostgreSQL against the in-memory oracle: every read of `StoreReader`, on the
/// rows of the SQLite demo fixture copied into PostgreSQL (`COPY`), and on a store of edge cases.
@Suite struct PostgresWakuConformanceTests {
    @Test func theDemoStoreCopiedIntoPostgreSQLConforms() async throws {
        let store = try await DemoFixture.standardStore
        let database = try await PostgresServer.shared.makeDatabase("demo")
        try await PostgresStoreCopy.copy(sqlitePath: store.path, into: database)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let oracle = try await InMemoryStore.load(postgres: database)
        #expect(oracle.eventRows.count == store.summary.events)
        let mismatches = try await StoreConformance(subject: reader, oracle: oracle).mismatches()
        #expect(mismatches == [])
    }

    /// Row-less streams, a deleted stream at the head, control characters and non-ASCII ids,
    /// leading and trailing gaps: the edges the demo never makes.
    @Test func aStoreOfEdgeCasesConforms() async throws {
        let database = try await TestDatabase.emptyWaku("edges")
        try await database.psql("""
            INSERT INTO es_streams VALUES
              ('Order-1', 'Order', 2, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', NULL),
              ('Order-é東京', 'Order', 0, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', NULL),
              (E'Evil-\\x1b[2J', 'Evil', 0, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', NULL),
              ('Gone-1', 'Gone', 1, '2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z');
            INSERT INTO es_events (event_id, stream_id, event_type, position, global_position, data, metadata, timestamp, idempotency_key)
              OVERRIDING SYSTEM VALUE VALUES
              (gen_random_uuid(), 'Order-1', 'OrderPlaced', 0, 2, '{"ok": true}', '{"correlation_id": "c1"}', '2026-11-02T00:00:02Z', 'i2'),
              (gen_random_uuid(), 'Gone-1', 'Happened', 0, 3, '{}', '{}', '2026-11-02T00:00:03Z', 'i3'),
              (gen_random_uuid(), 'Order-é東京', 'OrderPlaced', 0, 4, '{"city": "東京 🚚"}', '{}', '2026-11-02T00:00:04Z', 'i4'),
              (gen_random_uuid(), 'Ghost-1', 'Happened', 0, 7, '{}', '{}', '2026-11-02T00:00:07Z', 'i7'),
              (gen_random_uuid(), 'Order-1', 'OrderShipped', 1, 8, '{"s": "tab\\there"}', '{}', '2026-11-02T00:00:08Z', 'i8'),
              (gen_random_uuid(), E'Evil-\\x1b[2J', 'Happened', 0, 9, '[1, 2.50, "x"]', '{}', '2026-11-02T00:00:09Z', 'i9'),
              (gen_random_uuid(), 'Order-1', 'OrderShipped', 2, 12, '{}', '{}', '2026-11-02T00:00:12Z', 'i12'),
              (gen_random_uuid(), 'Gone-1', 'Happened', 1, 13, '{}', '{}', '2026-11-02T00:00:13Z', 'i13');
            INSERT INTO es_checkpoints VALUES ('orders', 2, now(), now()), ('all', -1, now(), now());
            """)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let mismatches = try await StoreConformance(subject: reader, oracle: try await InMemoryStore.load(postgres: database)).mismatches()
        #expect(mismatches == [])
    }
}
