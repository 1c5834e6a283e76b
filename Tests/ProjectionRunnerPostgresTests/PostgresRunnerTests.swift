import Clocks
import EventStore
import Foundation
import Logging
import PostgresNIO
import PostgresStore
import ProjectionRunner
import ProjectionRunnerPostgres
import Testing
import TestSupport

/// Counts visible events per stream and type, with the last position seen: a read model that shows
/// a lost or doubled event at once.
struct PostgresCounter: Projection {
    typealias Transaction = PostgresWrites
    let name = "pg_counter"
    var options = ProjectionOptions()

    func apply(_ batch: [RecordedEvent], in tx: PostgresWrites) throws {
        tx.execute("""
            CREATE TABLE IF NOT EXISTS pg_counts (stream_id TEXT NOT NULL, event_type TEXT NOT NULL, n BIGINT NOT NULL,
              last BIGINT NOT NULL, PRIMARY KEY (stream_id, event_type))
            """)
        for e in batch {
            tx.execute("""
                INSERT INTO pg_counts VALUES (\(e.streamId), \(e.eventType), 1, \(e.globalPosition))
                ON CONFLICT (stream_id, event_type) DO UPDATE SET n = pg_counts.n + 1, last = EXCLUDED.last
                """)
        }
    }

    func teardown(in tx: PostgresWrites) throws {
        tx.execute("DROP TABLE IF EXISTS pg_counts")
    }
}

typealias PGSession = RunnerSession<PostgresRunnerBackend, TestClock<Duration>>

/// A waku store on the test server, written by the test through its own connection.
struct PostgresTestStore {
    let database: TestDatabase
    let connection: PostgresConnection

    static func make(_ label: String) async throws -> PostgresTestStore {
        let database = try await PostgresServer.shared.makeDatabase(label)
        try await database.psql(WakuSchema.postgresDDL)
        return PostgresTestStore(database: database, connection: try await database.connect())
    }

    func close() async {
        try? await connection.close()
        try? await database.drop()
    }

    func execute(_ query: PostgresQuery) async throws {
        _ = try await connection.query(query, logger: quietLogger).collect()
    }

    func texts(_ query: PostgresQuery) async throws -> [[String]] {
        try await connection.query(query, logger: quietLogger).collect().map { row in
            row.map { cell in cell.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? "NULL" }
        }
    }

    /// Appends `count` events of `type` to `stream` (created when missing), taking identity values as waku does.
    func append(_ count: Int, type: String, stream: String) async throws {
        try await execute("INSERT INTO es_streams (stream_id, stream_type, version) VALUES (\(stream), 'T', 0) ON CONFLICT DO NOTHING")
        for _ in 0..<count {
            try await execute("""
                INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key)
                SELECT gen_random_uuid(), \(stream), \(type), COALESCE(max(position), -1) + 1, '{"n": 1}', '{}', now(), gen_random_uuid()::text
                FROM es_events WHERE stream_id = \(stream)
                """)
        }
    }

    /// Burns one identity value, as a rolled-back append does: a permanent gap.
    func burnPosition() async throws {
        try await execute("SELECT nextval(pg_get_serial_sequence('es_events', 'global_position'))")
    }

    func request(_ projection: String) async throws -> String {
        try await texts("""
            INSERT INTO es_projection_commands (projection_name, command, requested_by) VALUES (\(projection), 'rebuild', 'test') RETURNING id::text
            """)[0][0]
    }

    func commandStatus(_ id: String) async throws -> [String] {
        try await texts("SELECT status, COALESCE(detail, '') FROM es_projection_commands WHERE id = \(Int64(id)!)").first ?? []
    }

    func checkpoint(_ name: String) async throws -> Int64? {
        try await texts("SELECT position::text FROM es_checkpoints WHERE projection_name = \(name)").first.flatMap { Int64($0[0]) }
    }

    func leaseHolder(_ name: String) async throws -> String? {
        try await texts("SELECT holder_id FROM es_projection_leases WHERE projection_name = \(name)").first?[0]
    }

    /// The counter as it must be: visible events per stream and type, by brute force.
    func expectedCounts() async throws -> [[String]] {
        try await texts("""
            SELECT e.stream_id, e.event_type, count(*)::text, max(e.global_position)::text FROM es_events e
            WHERE EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            GROUP BY 1, 2 ORDER BY 1, 2
            """)
    }

    func counts() async throws -> [[String]] {
        guard try await texts("SELECT to_regclass('pg_counts')::text")[0][0] != "NULL" else { return [] }
        return try await texts("SELECT stream_id, event_type, n::text, last::text FROM pg_counts ORDER BY 1, 2")
    }

    func session(clock: TestClock<Duration>, wall: Timestamp, holder: String = "pg-runner", known: Set<String> = [],
                 projections: [any Projection<PostgresWrites>] = [PostgresCounter()]) async throws -> PGSession {
        let target = try PostgresTarget.resolve(url: database.url, environment: [:], osUser: "postgres", passFile: nil)
        let backend = PostgresRunnerBackend(target: target)
        try await backend.prepare()
        let runner = ProjectionRunner(backend: backend, projections: projections,
                                      configuration: RunnerConfiguration(holderId: holder, knownProjections: known),
                                      clock: clock, wallStart: wall, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                                      jitter: { $0 })
        return RunnerSession(runner: runner)
    }
}

/// Runs `body`, then closes the backend's connection whatever happened (postgres-nio requires a
/// connection closed before it is dropped).
func closing(_ session: PGSession, _ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        await session.runner.backend.close()
        throw error
    }
    await session.runner.backend.close()
}

/// Steps the session, moving the test clock by each wait it asks for, until `done` holds.
@discardableResult
func drive(_ session: inout PGSession, _ clock: TestClock<Duration>, limit: Int = 2_000,
           until done: (PGSession) async throws -> Bool) async throws -> Double {
    let start = clock.now
    for _ in 0..<limit {
        let wait = await session.step()
        if try await done(session) { return start.duration(to: clock.now).seconds }
        await clock.advance(by: wait)
    }
    throw DriveLimit(steps: limit)
}

struct DriveLimit: Error, CustomStringConvertible {
    let steps: Int
    var description: String { "the runner did not get there in \(steps) steps" }
}

/// Issue 9's runner half: the runner library over PostgreSQL, with waku's lease statements, the
/// status and command tables, and rebuilds.
@Suite(.serialized) struct PostgresRunnerTests {
    let wall = Timestamp(parsing: "2026-12-06T02:00:00Z")!

    @Test func aRebuildOnPostgreSQLEqualsTheReadModelBuiltFromScratch() async throws {
        let store = try await PostgresTestStore.make("runner")
        defer { Task { await store.close() } }
        try await store.append(5, type: "Opened", stream: "Account-1")
        try await store.burnPosition()
        try await store.append(4, type: "Deposited", stream: "Account-2")
        try await store.append(3, type: "Placed", stream: "Order-9")
        try await store.execute("UPDATE es_streams SET deleted_at = now() WHERE stream_id = 'Order-9'")
        try await store.append(6, type: "Deposited", stream: "Account-1")
        let head = try #require(Int64(try await store.texts("SELECT max(global_position)::text FROM es_events")[0][0]))

        let clock = TestClock()
        var session = try await store.session(clock: clock, wall: wall)
        try await closing(session) {
            // Caught up past the burnt position (after its gap timeout) and the deleted stream's events.
            try await drive(&session, clock) { s in try await store.checkpoint("pg_counter") == head && s.idleCycles(of: "pg_counter")! > 0 }
            let expected = try await store.expectedCounts()
            #expect(expected.count == 3)
            #expect(try await store.counts() == expected)

            try await store.append(2, type: "Withdrawn", stream: "Account-2")
            let id = try await store.request("pg_counter")
            try await drive(&session, clock) { _ in try await store.commandStatus(id).first == "done" }
            try await drive(&session, clock) { s in s.idleCycles(of: "pg_counter")! > 0 }
            let afterRebuild = try await store.counts()
            #expect(afterRebuild == (try await store.expectedCounts()))
            #expect(afterRebuild.count == 4)
            let status = try await store.texts("SELECT state, holder_id, checkpoint::text FROM es_projection_status WHERE projection_name = 'pg_counter'")
            #expect(status.first?[0] == "running" && status.first?[1] == "pg-runner")
            #expect(status.first?[2] == String(head + 2))
            #expect(try await store.leaseHolder("pg_counter") == "pg-runner")
        }
    }

    @Test func aLeaseRowWrittenAsWakuWritesItKeepsTheRunnerOffUntilItExpires() async throws {
        let store = try await PostgresTestStore.make("lease")
        defer { Task { await store.close() } }
        try await store.append(3, type: "Opened", stream: "Account-1")
        try await store.execute("""
            INSERT INTO es_projection_leases (projection_name, holder_id, acquired_at, renewed_at, expires_at)
            VALUES ('pg_counter', 'waku-worker-7f3a', \(wall.iso8601)::timestamptz, \(wall.iso8601)::timestamptz,
                    \(wall.adding(seconds: 30).iso8601)::timestamptz)
            """)
        let clock = TestClock()
        var session = try await store.session(clock: clock, wall: wall)
        try await closing(session) {
            let end = clock.now.advanced(by: .seconds(29))
            while clock.now < end {
                let wait = await session.step()
                #expect(!session.holds("pg_counter"))
                await clock.advance(by: min(max(wait, .milliseconds(1)), clock.now.duration(to: end)))
            }
            #expect(try await store.leaseHolder("pg_counter") == "waku-worker-7f3a")
            #expect(try await store.counts() == [])
            let waited = try await drive(&session, clock) { _ in try await store.counts().count == 1 }
            #expect(waited <= 7, "taken within a retry interval of the expiry")
            #expect(try await store.leaseHolder("pg_counter") == "pg-runner")
        }
    }

    @Test func requestsForUnknownProjectionsAreRejectedAndKnownOnesLeftPending() async throws {
        let store = try await PostgresTestStore.make("commands")
        defer { Task { await store.close() } }
        try await store.append(1, type: "Opened", stream: "Account-1")
        let clock = TestClock()
        var session = try await store.session(clock: clock, wall: wall, known: ["served_elsewhere"])
        try await closing(session) {
            let unknown = try await store.request("no_such_projection")
            let elsewhere = try await store.request("served_elsewhere")
            try await drive(&session, clock) { _ in try await store.commandStatus(unknown).first == "rejected" }
            #expect(try await store.commandStatus(unknown).last?.contains("no_such_projection") == true)
            #expect(try await store.commandStatus(elsewhere).first == "pending")
        }
    }

    @Test func theRunnerCannotConnectAndSaysWhereInOneLine() async throws {
        let target = try PostgresTarget.resolve(url: "postgres://nobody:secret-pw@127.0.0.1:1/none?sslmode=disable&connect_timeout=2",
                                                environment: [:], osUser: "postgres", passFile: nil)
        let backend = PostgresRunnerBackend(target: target)
        let error = await #expect(throws: StoreError.self) { try await backend.prepare() }
        let text = String(describing: error)
        #expect(!text.contains("secret-pw") && !text.contains("\n"))
    }
}
