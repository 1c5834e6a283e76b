import EventStore
import Foundation
import PostgresNIO
import TestSupport
import Testing

/// `eventscope demo --store postgres://…`: the store it creates through COPY, its safety checks, and
/// (acceptance 4) the explorer following its live writer across a server restart.
@Suite struct PostgresDemoTests {
    /// Every table's rows, sorted, read plainly (`SELECT *` as text): the brute-force view of a store.
    static func rows(_ database: TestDatabase) async throws -> [String: [[String?]]] {
        let connection = try await database.connect()
        defer { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
        var out: [String: [[String?]]] = [:]
        for table in PostgresStoreCopy.tables.map(\.name) {
            let columns = PostgresStoreCopy.tables.first { $0.name == table }!.columns.map { "\"\($0)\"::text" }.joined(separator: ", ")
            var rows: [[String?]] = []
            for try await row in try await connection.query(PostgresQuery(unsafeSQL: "SELECT \(columns) FROM \(table) ORDER BY 1, 2"),
                                                             logger: quietLogger) {
                rows.append(row.map { $0.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } })
            }
            out[table] = rows
        }
        return out
    }

    /// The rows of `sql`, whose columns must be text (cast them): each row's values joined by `|`.
    static func texts(_ database: TestDatabase, _ sql: String) async throws -> [String] {
        let connection = try await database.connect()
        defer { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
        var out: [String] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger) {
            out.append(row.map { $0.bytes.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? "NULL" }.joined(separator: "|"))
        }
        return out
    }

    /// The demo generator writing PostgreSQL holds, row for row, the SQLite demo store of the same
    /// seed (its rows copied over independently, through `PostgresStoreCopy`): the same events at the
    /// same positions (burned ones absent), streams with the deleted one soft-deleted, checkpoints,
    /// leases and snapshots; es_events has waku's indexes, and the identity continues after the head.
    @Test func theDemoCreatedOnPostgreSQLHoldsTheSQLiteDemosRows() async throws {
        let store = try await DemoFixture.standardStore
        let copied = try await PostgresServer.shared.makeDatabase("democopied")
        let created = try await PostgresServer.shared.makeDatabase("democreated")
        defer { Task { try? await copied.drop(); try? await created.drop() } }
        try await PostgresStoreCopy.copy(sqlitePath: store.path, into: copied)
        let summary = try await store.create(in: created)
        #expect(summary.head == store.summary.head)
        #expect(summary.gaps == store.summary.gaps)

        let expected = try await Self.rows(copied), actual = try await Self.rows(created)
        for table in PostgresStoreCopy.tables.map(\.name) {
            #expect(actual[table]?.count == expected[table]?.count, "\(table)")
            #expect(actual[table] == expected[table], "\(table) differs")
        }
        #expect(expected["es_events"]?.count == store.summary.events)
        #expect(try await Self.texts(created, "SELECT count(*)::text FROM es_streams WHERE deleted_at IS NOT NULL") == ["1"])

        let indexes = "SELECT indexname || ' ' || regexp_replace(indexdef, '^.* USING ', '') FROM pg_indexes WHERE tablename LIKE 'es\\_%' ORDER BY 1"
        #expect(try await Self.texts(created, indexes) == Self.texts(copied, indexes))
        // waku's next append takes the position after the head.
        try await created.psql("INSERT INTO es_streams (stream_id, stream_type) VALUES ('Order-next', 'Order');"
            + "INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key) "
            + "VALUES (gen_random_uuid(), 'Order-next', 'OrderPlaced', 0, '{}', '{}', now(), 'k')")
        #expect(try await Self.texts(created, "SELECT max(global_position)::text FROM es_events") == ["\(summary.head + 1)"])
    }

    /// A database with tables the demo did not make is refused in one line (exit status 2, a few
    /// names, no password); with --force the demo goes in beside them. A database holding a demo is
    /// reused, and replaced only by --create-only --force.
    @Test func otherTablesAreRefusedAndADemoIsReused() async throws {
        let database = try await PostgresServer.shared.makeDatabase("demosafety")
        defer { Task { try? await database.drop() } }
        try await database.psql("""
            CREATE TABLE accounts (id int); CREATE TABLE orders (id int); CREATE TABLE invoices (id int);
            CREATE TABLE users (id int); CREATE TABLE zebra (id int);
            ALTER DATABASE \(database.name) OWNER TO \(PostgresServer.passwordUser);
            ALTER SCHEMA public OWNER TO \(PostgresServer.passwordUser);
            """)
        let url = database.server.url(database: database.name, user: PostgresServer.passwordUser, password: PostgresServer.password)
        let refused = try await runEventscope(["demo", "--create-only", "--store", url, "--events", "500"])
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("accounts, invoices, orders, users"), "\(refused.stderr)")
        #expect(refused.stderr.contains("--force"), "\(refused.stderr)")
        #expect(!(refused.stderr + refused.stdout).contains(PostgresServer.password))
        #expect(try await Self.texts(database, "SELECT (to_regclass('es_events') IS NULL)::text") == ["true"])
        let live = try await runEventscope(["demo", "--live", "--store", url], timeout: .seconds(60))
        #expect(live.status == 2 && live.stderr.contains("already holds tables"), "\(live.stderr)")

        let forced = try await runEventscope(["demo", "--create-only", "--force", "--store", url, "--events", "500", "--seed", "3"])
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(!(forced.stderr + forced.stdout).contains(PostgresServer.password), "\(forced.stderr)")
        #expect(try await Self.texts(database, "SELECT count(*)::text FROM es_events") == ["500"])
        #expect(try await Self.texts(database, "SELECT count(*)::text FROM accounts") == ["0"])

        // A demo: --create-only alone refuses to replace it; --create-only --force replaces it.
        let again = try await runEventscope(["demo", "--create-only", "--store", url, "--events", "600"])
        #expect(again.status == 2 && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        #expect(again.stderr.contains("already holds an eventscope demo"), "\(again.stderr)")
        let replaced = try await runEventscope(["demo", "--create-only", "--force", "--store", url, "--events", "600"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(try await Self.texts(database, "SELECT count(*)::text FROM es_events") == ["600"])
        #expect(try await Self.texts(database, "SELECT count(*)::text FROM accounts") == ["0"])

        // --live on the demo database appends to it without creating anything again.
        let writer = try startEventscope(["demo", "--live", "--store", url, "--rate", "200"],
                                         stdout: "/dev/null", stderr: "/dev/null")
        defer { writer.signal(SIGKILL) }
        try await wait(until: "the writer appends to the demo", timeout: .seconds(60)) {
            Int(try await Self.texts(database, "SELECT count(*)::text FROM es_events").first ?? "") ?? 0 > 610
        }
        let ids = try await Self.texts(database, "SELECT (count(DISTINCT event_id) = count(*))::text FROM es_events")
        #expect(ids == ["true"])
        writer.signal(SIGTERM)
        #expect(try await writer.exitStatus(within: .seconds(60)) == 0)
    }
}

extension LiveProcessTests {
    /// Acceptance 4: `eventscope demo --store postgres://…` in a terminal, browsing and following
    /// the head while its writer appends; the server stops for a few seconds and starts again; the
    /// explorer recovers on its own, and the rows it follows are the store's, none lost or repeated.
    @Suite struct PostgresDemoTmuxTests {
        /// The demo's children (writer, runner) for a URL.
        static func childPids(url: String) -> [pid_t] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry in
                guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
                let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                return arguments.contains(url) && arguments.contains("--parent-pid") ? pid : nil
            }
        }

        @Test(.tmux) func theDemoExplorerFollowsTheWriterAcrossAServerRestart() async throws {
            let server = try await PostgresServer.makePrivate()
            let database = try await server.makeDatabase("demolive")
            try await database.psql("""
                ALTER DATABASE \(database.name) OWNER TO \(PostgresServer.passwordUser);
                ALTER SCHEMA public OWNER TO \(PostgresServer.passwordUser);
                """)
            let state = TemporaryDirectory("eventscope-state")
            defer { state.remove() }
            let url = server.url(database: database.name, user: PostgresServer.passwordUser, password: PostgresServer.password)
            let childURL = server.url(database: database.name, user: PostgresServer.passwordUser)
            let tmux = try await TmuxSession("\(shellQuote(eventscopeBinary)) demo --store \(shellQuote(url)) --events 2000 --rate 3",
                                             width: 120, height: 40, environment: ["XDG_STATE_HOME": state.path])
            defer {
                tmux.kill()
                for pid in Self.childPids(url: childURL) { kill(pid, SIGKILL) }
            }
            func expectNoPassword(_ text: String) {
                #expect(!text.contains(PostgresServer.password), "the password shows:\n\(text)")
            }
            // The explorer opens on the global log, following the head, which the writer moves on.
            try await tmux.waitUntilContains("[2 Events]", "following", timeout: .seconds(180))
            let created = try await Self.head(database)
            var screen = try await tmux.waitFor("the log followed past the created head \(created)", timeout: .seconds(180)) { screen in
                (PaneText(screen).selectedPosition ?? -1) > created && screen.contains("following")
            }
            expectNoPassword(screen)
            // Browse: the streams pane and back to the followed log.
            try await tmux.send("1")
            try await tmux.waitUntilContains("[1 Streams]")
            try await tmux.send("2")
            screen = try await tmux.waitUntilContains("[2 Events]")
            // Back on the log: following still, or again after f.
            if !screen.contains("following") { try await tmux.send("f") }
            let followed = try #require(PaneText(screen).selectedPosition)
            screen = try await tmux.waitFor("the log followed past \(followed)", timeout: .seconds(60)) { screen in
                screen.contains("following") && (PaneText(screen).selectedPosition ?? -1) > followed
            }

            try await onDedicatedThread { try server.stopServer() }
            screen = try await tmux.waitUntilContains("reconnecting…", timeout: .seconds(60))
            expectNoPassword(screen)
            let lastSeen = try #require(PaneText(screen).selectedPosition, "\(screen)")
            // The writer notices too and keeps retrying rather than dying.
            let logs = state.path + "/eventscope"
            try await wait(until: "the writer sees the server gone", timeout: .seconds(60)) {
                Self.logText(logs, suffix: ".live.log").contains("the server went away")
            } seen: { Self.logText(logs, suffix: ".live.log") }
            // Down for a few seconds: until the explorer has failed four times (its waits, 0.25 s
            // doubling, add up to 3.75 s) and the writer more than once.
            try await tmux.waitFor("the explorer's fourth failed attempt", timeout: .seconds(60)) { screen in
                guard let match = screen.firstMatch(of: /reconnecting… \((\d+) failed/) else { return false }
                return Int(match.1) ?? 0 >= 4
            }
            try await wait(until: "the writer's second failed attempt", timeout: .seconds(60)) {
                Self.logText(logs, suffix: ".live.log").components(separatedBy: "the server went away").count > 2
            } seen: { Self.logText(logs, suffix: ".live.log") }
            #expect(await tmux.isRunning)

            try await onDedicatedThread { try server.startServer() }
            screen = try await tmux.waitFor("the explorer following new events after the restart", timeout: .seconds(120)) { screen in
                !screen.contains("reconnecting…") && (PaneText(screen).selectedPosition ?? -1) > lastSeen && screen.contains("following")
            }
            expectNoPassword(screen)
            #expect(screen.contains("reconnected after"), "\(screen)")
            // Nothing lost or repeated: the rows on screen, which reach back past the outage, are
            // exactly the store's visible events between the first and the last (burned positions
            // and the deleted stream's events are not events of the log).
            let positions = PaneText(screen).positions
            #expect(positions.contains(lastSeen), "\(positions) does not reach back to \(lastSeen)")
            let low = try #require(positions.first), high = try #require(positions.last)
            let visible = try await PostgresDemoTests.texts(database, """
                SELECT e.global_position::text FROM es_events e JOIN es_streams s ON s.stream_id = e.stream_id AND s.deleted_at IS NULL
                WHERE e.global_position BETWEEN \(low) AND \(high) ORDER BY 1
                """).compactMap { Int64($0) }
            #expect(positions == visible, "on screen \(positions), in the store \(visible)")
            try await wait(until: "the writer back", timeout: .seconds(60)) {
                Self.logText(logs, suffix: ".live.log").contains("reconnected after")
            } seen: { Self.logText(logs, suffix: ".live.log") }
            expectNoPassword(Self.logText(logs, suffix: ".live.log") + Self.logText(logs, suffix: ".runner.log"))

            // The explorer ends its children (SIGTERM, then waits for each): on a loaded machine the
            // runner finishes its batch and releases its leases first.
            try await tmux.send("q")
            try await tmux.waitUntilEnded(timeout: .seconds(300))
            try await wait(until: "the writer and runner end with the explorer", timeout: .seconds(60)) { Self.childPids(url: childURL).isEmpty }
        }

        static func head(_ database: TestDatabase) async throws -> Int64 {
            Int64(try await PostgresDemoTests.texts(database, "SELECT coalesce(max(global_position), -1)::text FROM es_events").first ?? "") ?? -1
        }

        /// The text of the demo's log files ending in `suffix` in `directory`.
        static func logText(_ directory: String, suffix: String) -> String {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            return names.filter { $0.hasSuffix(suffix) }.compactMap { try? String(contentsOfFile: directory + "/" + $0, encoding: .utf8) }
                .joined(separator: "\n")
        }
    }
}
