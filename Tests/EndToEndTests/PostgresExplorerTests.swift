import EventStore
import Foundation
import TestSupport
import Testing

extension LiveProcessTests {
    /// The explorer on a PostgreSQL store whose server goes away: it says so, waits, and picks
    /// up where it was, with the password nowhere on screen.
    @Suite struct PostgresExplorerTests {
        static let binary = shellQuote(eventscopeBinary)

        /// Appends events `range` (stream positions and idempotency keys follow the range) to Order-1.
        static func append(_ range: Range<Int>, to database: TestDatabase) async throws {
            try await database.psql("""
                INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key)
                SELECT gen_random_uuid(), 'Order-1', 'Happened', i, '{}', '{}', now(), 'k' || i
                FROM generate_series(\(range.lowerBound), \(range.upperBound - 1)) i
                """)
        }

        @Test(.tmux) func theExplorerFollowingTheLogRecoversFromAServerRestart() async throws {
            let server = try await PostgresServer.makePrivate()
            let database = try await server.makeDatabase("explorer")
            try await database.psql(WakuSchema.postgresDDL + """

                INSERT INTO es_streams (stream_id, stream_type) VALUES ('Order-1', 'Order');
                GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(PostgresServer.passwordUser);
                """)
            try await Self.append(0..<50, to: database)
            // A role with a password, given in the URL: it must never show.
            let url = server.url(database: database.name, user: PostgresServer.passwordUser, password: PostgresServer.password)
            let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(url))", width: 110, height: 30)
            defer { tmux.kill() }
            func expectNoPassword(_ screen: String) {
                #expect(!screen.contains(PostgresServer.password), "the password shows:\n\(screen)")
            }

            var screen = try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY", "head 49", "postgres://\(PostgresServer.passwordUser)@")
            expectNoPassword(screen)
            try await tmux.send("2")
            try await tmux.waitUntilContains("[2 Events]", "Events · global log")
            try await tmux.send("f")
            screen = try await tmux.waitFor("the log followed to event 49") { screen in
                PaneText(screen).selectedPosition == 49 && screen.contains("following")
            }

            try await onDedicatedThread { try server.stopServer() }
            screen = try await tmux.waitUntilContains("reconnecting…")
            expectNoPassword(screen)
            #expect(await tmux.isRunning)
            // The rows read before the outage stay on screen while it lasts.
            #expect(PaneText(screen).positions.contains(49), "\(screen)")

            try await onDedicatedThread { try server.startServer() }
            try await Self.append(50..<120, to: database)
            screen = try await tmux.waitFor("event 119 after the restart", timeout: .seconds(60)) { screen in
                PaneText(screen).selectedPosition == 119 && !screen.contains("reconnecting…")
            }
            #expect(screen.contains("reconnected after"), "\(screen)")
            #expect(screen.contains("following"))
            expectNoPassword(screen)
            // Nothing lost or repeated: the rows on screen are consecutive positions up to 119.
            let positions = PaneText(screen).positions
            #expect(positions.count > 5)
            #expect(positions == Array((119 - Int64(positions.count) + 1)...119), "\(positions)")

            try await tmux.send("q")
            try await tmux.waitUntilEnded()
        }

        /// The Gaps pane on PostgreSQL says whether each run can still fill: on the waku fixture,
        /// nothing is open, so the burnt position 3 is `permanent`, as is the deleted run 5–6.
        @Test func theGapsPaneShowsFillabilityOnPostgreSQL() async throws {
            let database = try await PostgresServer.shared.makeDatabase("gapspane")
            defer { Task { try? await database.drop() } }
            try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
            let result = try await runEventscope(["snapshot", database.url, "--size", "110x20", "--keys", "5"])
            #expect(result.status == 0, "\(result.stderr)")
            let lines = result.stdout.split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.contains("FILL") && $0.contains("KIND") }, "\(result.stdout)")
            let rows = PaneText(result.stdout).rows
            let missing = try #require(rows.first { $0.hasPrefix("3 ") }, "\(result.stdout)")
            #expect(missing.contains("missing") && missing.contains("permanent"), "\(missing)")
            let deleted = try #require(rows.first { $0.hasPrefix("5–6 ") }, "\(result.stdout)")
            #expect(deleted.contains("deleted") && deleted.contains("permanent"), "\(deleted)")
        }
    }
}

/// Rebuild requests on PostgreSQL: `rebuild` and the explorer's R file them through the request
/// connection, as the store's role or `EVENTSCOPE_REQUEST_URL`'s.
@Suite struct PostgresRebuildRequestTests {
    /// The waku fixture with the runner's tables, a reading role and a request role.
    static func store() async throws -> (TestDatabase, reader: String, requests: String) {
        let database = try await PostgresServer.shared.makeDatabase("pgrebuild")
        try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        let suffix = database.name.suffix(8)
        let (reader, requests) = ("evs_rd_\(suffix)", "evs_rq_\(suffix)")
        try await database.psql([RunnerSchema.postgresStatusDDL, RunnerSchema.postgresCommandsDDL,
                                 "CREATE ROLE \(reader) LOGIN", "CREATE ROLE \(requests) LOGIN",
                                 "GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(reader), \(requests)",
                                 "GRANT INSERT ON es_projection_commands TO \(requests)"].joined(separator: ";\n"))
        return (database, database.server.url(database: database.name, user: reader),
                database.server.url(database: database.name, user: requests))
    }

    @Test func rebuildFilesThroughTheRequestRoleAndTheReadingRoleCannot() async throws {
        let (database, reader, requests) = try await Self.store()
        defer { Task { try? await database.drop() } }
        let refused = try await runEventscope(["rebuild", reader, "order_summary", "--yes"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("permission denied for table es_projection_commands"), "\(refused.stderr)")

        let filed = try await runEventscope(["rebuild", reader, "order_summary", "--yes", "--json", "--requested-by", "deploy@ci"],
                                            environment: ["EVENTSCOPE_REQUEST_URL": requests])
        #expect(filed.status == 0, "\(filed.stderr)")
        let request = try #require(try JSONSerialization.jsonObject(with: Data(filed.stdout.utf8)) as? [String: Any])
        #expect(request["projection_name"] as? String == "order_summary")
        #expect(request["requested_by"] as? String == "deploy@ci")
        #expect(request["status"] as? String == "pending")
    }

    @Test func theExplorersRFilesARequestOnPostgreSQL() async throws {
        let (database, reader, requests) = try await Self.store()
        defer { Task { try? await database.drop() } }
        // Projections in name order: account_balances, lagging_counter, order_summary.
        let result = try await runEventscope(["snapshot", reader, "--size", "120x30", "--keys", "4 j j R text:order_summary Enter"],
                                             environment: ["EVENTSCOPE_REQUEST_URL": requests])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("rebuild of order_summary requested (#1)"), "\(result.stdout)")
        let commands = try await runEventscope(["commands", reader, "--json"])
        #expect(commands.status == 0, "\(commands.stderr)")
        #expect(commands.stdout.contains("\"projection_name\" : \"order_summary\"") || commands.stdout.contains("\"projection_name\": \"order_summary\""),
                "\(commands.stdout)")
    }
}
