import EventStore
import Foundation
import PostgresNIO
import TestSupport
import Testing

/// `eventscope runner postgres://…` as a real process on the waku fixture: it serves the demo's
/// counter, a rebuild request is done, SIGTERM ends it gracefully; a server it cannot reach is one
/// line and status 2.
@Suite struct PostgresRunnerProcessTests {
    static func texts(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [[String]] {
        try await connection.query(query, logger: quietLogger).collect().map { row in
            row.map { cell in cell.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? "NULL" }
        }
    }

    @Test func theRunnerServesAWakuStoreOnPostgreSQLAndRebuildsOnRequest() async throws {
        let database = try await PostgresServer.shared.makeDatabase("runnerproc")
        defer { Task { try? await database.drop() } }
        try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        let connection = try await database.connect()
        let directory = TemporaryDirectory("eventscope-pg-runner")
        defer { directory.remove() }
        let log = directory.file("runner.log")
        let runner = try startEventscope(["runner", database.url, "--projection", "event_counter", "--poll-max", "0.5"], stderr: log)
        defer { runner.signal(SIGKILL) }

        // What the counter must hold: visible events (the deleted Account-acc3 excluded) by stream and type.
        let expected = try await Self.texts(connection, """
            SELECT e.stream_id, e.event_type, count(*)::text, max(e.global_position)::text FROM es_events e
            WHERE EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            GROUP BY 1, 2 ORDER BY 1, 2
            """)
        let counted = { () async -> [[String]] in
            (try? await Self.texts(connection, "SELECT stream_id, event_type, events::text, last_position::text FROM demo_event_counts ORDER BY 1, 2")) ?? []
        }
        try await wait(until: "the runner has counted every visible event of the fixture", timeout: .seconds(120)) {
            await counted() == expected
        } seen: { "\(await counted()) — \(lines(of: log).suffix(3))" }
        #expect(expected.count >= 3)
        let holder = try await Self.texts(connection, "SELECT holder_id FROM es_projection_leases WHERE projection_name = 'event_counter'")
        #expect(holder.first?.first?.hasSuffix("-\(runner.pid)") == true)

        let id = try await Self.texts(connection, """
            INSERT INTO es_projection_commands (projection_name, command, requested_by) VALUES ('event_counter', 'rebuild', 'test') RETURNING id::text
            """)[0][0]
        let status = { () async -> String in
            (try? await Self.texts(connection, PostgresQuery(unsafeSQL: "SELECT status FROM es_projection_commands WHERE id = \(id)")))?.first?.first ?? "?"
        }
        try await wait(until: "the rebuild request is done", timeout: .seconds(120)) { await status() == "done" } seen: { await status() }
        try await wait(until: "the rebuilt counter equals the brute-force count", timeout: .seconds(60)) { await counted() == expected }

        runner.signal(SIGTERM)
        #expect(try await runner.exitStatus() == 0)
        #expect(try await Self.texts(connection, "SELECT holder_id FROM es_projection_leases WHERE projection_name = 'event_counter'").isEmpty)
        #expect(try await Self.texts(connection, "SELECT state FROM es_projection_status WHERE projection_name = 'event_counter'") == [["stopped"]])
        try await connection.close()
    }

    @Test func anUnreachableServerIsOneLineAndStatusTwo() async throws {
        let result = try await runEventscope(["runner", "postgres://ops:s3cr3t@127.0.0.1:1/events?sslmode=disable"])
        #expect(result.status == 2)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
        #expect(!result.stderr.contains("s3cr3t"))
    }
}
