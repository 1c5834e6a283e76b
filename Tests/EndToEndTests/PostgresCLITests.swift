import EventStore
import Foundation
import TerminalText
import TestSupport
import Testing

/// The binary against real PostgreSQL servers the tests start themselves (`PostgresServer`).
@Suite struct PostgresCLITests {
    /// Acceptance 1, on the SQLite demo fixture and the same demo (seed, size, time) created in
    /// PostgreSQL by the demo generator: every scriptable command's `--json` answer is the same on
    /// both engines, apart from the store's location, the ages measured at each run, and
    /// `fillability`, which only PostgreSQL can tell (null on SQLite).
    @Test func everyCommandAnswersTheSameOnSQLiteAndPostgreSQL() async throws {
        let store = try await DemoFixture.standardStore
        let database = try await PostgresServer.shared.makeDatabase("parity")
        defer { Task { try? await database.drop() } }
        _ = try await store.create(in: database)
        let commands: [[String]] = [
            ["head", "--json"], ["streams", "--json", "--limit", "500"], ["streams", "--json", "--category", "Order", "--limit", "50"],
            ["events", "--json", "--limit", "300"], ["events", "--json", "--before", "15000", "--limit", "50", "--include-deleted"],
            ["events", "--ndjson"], ["event", "--json", "1234"], ["projections", "--json"], ["gaps", "--json", "--from", "0"],
        ]
        for command in commands {
            let sqlite = try await runEventscope([command[0], store.path] + command.dropFirst())
            let postgres = try await runEventscope([command[0], database.url] + command.dropFirst())
            #expect(sqlite.status == 0 && postgres.status == 0, "\(command): \(sqlite.stderr) \(postgres.stderr)")
            let a = try comparable(sqlite.stdout, ndjson: command.contains("--ndjson"))
            let b = try comparable(postgres.stdout, ndjson: command.contains("--ndjson"))
            #expect(a == b, "\(command) differs between SQLite and PostgreSQL")
            #expect(!sqlite.stdout.isEmpty)
        }
    }

    /// The output as values (key order and number spelling aside: jsonb re-serialises), without
    /// the members that are meant to differ.
    func comparable(_ text: String, ndjson: Bool) throws -> NSArray {
        let documents = ndjson ? text.split(separator: "\n").map(String.init) : [text]
        return NSArray(array: try documents.map { try strip(JSONSerialization.jsonObject(with: Data($0.utf8), options: [.fragmentsAllowed])) })
    }

    func strip(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            var kept: [String: Any] = [:]
            for (key, member) in object where key != "store" && key != "fillability" && !key.hasSuffix("_seconds") {
                kept[key] = strip(member)
            }
            return kept
        }
        if let array = value as? [Any] { return array.map(strip) }
        return value
    }

    /// Acceptance 2's last point: the waku fixture's non-ASCII and emoji payload (event 7) renders
    /// intact and aligned in the explorer's Detail pane, every framed line 90 cells wide.
    /// The streamed export (`events --ndjson` on PostgreSQL, written by a queue of its own): a
    /// reader that leaves ends it quietly with status 0; a full disk is an error with status 1.
    @Test func theStreamedExportEndsQuietlyWhenItsReaderLeavesAndFailsOnAFullDisk() async throws {
        let database = try await PostgresServer.shared.makeDatabase("export")
        defer { Task { try? await database.drop() } }
        try await PostgresStoreCopy.copy(sqlitePath: try await DemoFixture.standardStore.path, into: database)
        let directory = TemporaryDirectory()
        defer { directory.remove() }

        let full = try startEventscope(["events", database.url, "--ndjson"], stdout: "/dev/full", stderr: directory.file("full.err"))
        #expect(try await full.exitStatus(within: .seconds(120)) == 1)
        #expect(lines(of: directory.file("full.err")) == ["eventscope: cannot write to standard output: No space left on device"])

        let fifo = try Fifo(in: directory)
        let export = try startEventscope(["events", database.url, "--ndjson"], stdout: fifo.path, stderr: directory.file("pipe.err"))
        defer { export.signal(SIGKILL) }
        try await fifo.readFirstLineAndLeave(from: "the export")
        #expect(try await export.exitStatus(within: .seconds(120)) == 0)
        #expect(lines(of: directory.file("pipe.err")) == [])
    }

    @Test func theFixturesNonASCIIPayloadRendersAligned() async throws {
        let database = try await PostgresServer.shared.makeDatabase("render")
        defer { Task { try? await database.drop() } }
        try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        let result = try await runEventscope(["snapshot", database.url, "--size", "90x30", "--keys", "2 j j j j Enter"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n").map(String.init)
        for fragment in ["\"city\": \"東京\"", "\"note\": \"gift 🎁\"", "\"customer\": \"Zoë Ångström\"", "global 7"] {
            #expect(lines.contains { $0.contains(fragment) }, "no line shows \(fragment):\n\(result.stdout)")
        }
        let framed = lines.filter { $0.hasPrefix("│") }
        #expect(framed.count > 20)
        #expect(framed.allSatisfy { DisplayWidth.of($0) == 90 && $0.hasSuffix("│") }, "\(result.stdout)")
    }

    // MARK: Errors: one line, exit status 2, never a password

    func expectOneLineFailure(_ arguments: [String], environment: [String: String] = [:], saying fragments: [String],
                              secret: String? = nil) async throws {
        let result = try await runEventscope(arguments, environment: environment)
        let lines = result.stderr.split(separator: "\n")
        #expect(result.status == 2, "\(arguments): status \(result.status), \(result.stderr)")
        #expect(lines.count == 1, "\(arguments): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        for fragment in fragments { #expect(result.stderr.contains(fragment), "\(arguments): \(result.stderr) lacks \(fragment)") }
        if let secret { #expect(!(result.stdout + result.stderr).contains(secret), "\(arguments) shows the password: \(result.stderr)") }
    }

    @Test func aWrongPasswordIsOneLineWithoutThePassword() async throws {
        let server = try await PostgresServer.shared
        let url = server.url(database: "postgres", user: PostgresServer.passwordUser, password: "not-the-horse")
        try await expectOneLineFailure(["head", url], saying: ["password authentication failed", "from the url"], secret: "not-the-horse")
        // From PGPASSWORD, too; and no password at all says where one can come from.
        try await expectOneLineFailure(["head", server.url(database: "postgres", user: PostgresServer.passwordUser)],
                                       environment: ["PGPASSWORD": "env-secret-pw", "PGPASSFILE": "/nonexistent"],
                                       saying: ["password authentication failed", "PGPASSWORD"], secret: "env-secret-pw")
    }

    @Test func theRightPasswordFromTheEnvironmentOrThePasswordFileOpensTheStore() async throws {
        let server = try await PostgresServer.shared
        let database = try await server.makeDatabase("auth")
        defer { Task { try? await database.drop() } }
        try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        try await database.psql("GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(PostgresServer.passwordUser)")
        let url = server.url(database: database.name, user: PostgresServer.passwordUser)
        let byEnvironment = try await runEventscope(["head", url, "--json"], environment: ["PGPASSWORD": PostgresServer.password])
        #expect(byEnvironment.status == 0, "\(byEnvironment.stderr)")
        #expect(byEnvironment.stdout.contains("\"head\""))
        #expect(!byEnvironment.stdout.contains(PostgresServer.password))

        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let passFile = directory.file("pgpass")
        try "# eventscope tests\n127.0.0.1:\(server.port):\(database.name):\(PostgresServer.passwordUser):\(PostgresServer.password)\n"
            .write(toFile: passFile, atomically: true, encoding: .utf8)
        chmod(passFile, 0o600)
        let byFile = try await runEventscope(["head", url, "--json"], environment: ["PGPASSFILE": passFile, "PGPASSWORD": ""])
        #expect(byFile.status == 0, "\(byFile.stderr)")
        // A file others may read is ignored, as libpq ignores it, with libpq's warning.
        chmod(passFile, 0o644)
        let ignored = try await runEventscope(["head", url], environment: ["PGPASSFILE": passFile, "PGPASSWORD": ""])
        #expect(ignored.status == 2)
        #expect(ignored.stderr.contains("has group or world access"))
        #expect(!ignored.stderr.contains(PostgresServer.password))
    }

    @Test func anUnreachableServerIsOneLine() async throws {
        // A port nothing listens on: refused at once.
        let closed = try await closedPort()
        try await expectOneLineFailure(["head", "postgres://u:pw-secret@127.0.0.1:\(closed)/db?sslmode=disable"],
                                       saying: ["cannot connect to 127.0.0.1:\(closed)", "connection refused"], secret: "pw-secret")
        // A socket directory with no server in it.
        try await expectOneLineFailure(["head", "postgres:///db?host=/nonexistent-dir&port=5999"], saying: ["no such socket"])
    }

    @Test func aDatabaseWithoutAStoreAMissingDatabaseAndAMissingPermission() async throws {
        let server = try await PostgresServer.shared
        let empty = try await server.makeDatabase("nostore")
        defer { Task { try? await empty.drop() } }
        try await expectOneLineFailure(["streams", empty.url], saying: ["not an event store", "looked for waku (es_events, es_streams)"])
        try await expectOneLineFailure(["head", server.url(database: "no_such_db")], saying: ["database \"no_such_db\" does not exist"])

        let fixture = try await server.makeDatabase("perm")
        defer { Task { try? await fixture.drop() } }
        try await fixture.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        try await fixture.psql("GRANT SELECT ON es_streams, es_checkpoints, es_projection_leases, es_snapshots TO \(PostgresServer.unprivilegedUser)")
        try await expectOneLineFailure(["head", server.url(database: fixture.name, user: PostgresServer.unprivilegedUser)],
                                       saying: ["permission denied for table es_events", "GRANT SELECT ON es_events"])
    }

    @Test func tlsRequiredByTheClientButOffOnTheServerIsOneLine() async throws {
        let server = try await PostgresServer.shared
        let url = server.url(database: "postgres").replacingOccurrences(of: "sslmode=disable", with: "sslmode=require")
        try await expectOneLineFailure(["head", url], saying: ["does not accept TLS", "sslmode=require"])
        // prefer falls back to plain text, as libpq does (the database holds no store: that is the error then).
        let prefer = try await runEventscope(["head", url.replacingOccurrences(of: "require", with: "prefer")])
        #expect(prefer.stderr.contains("not an event store"), "\(prefer.stderr)")
    }

    func closedPort() async throws -> Int {
        // The shared cluster's port + 1 is free unless something else took it; a bound-and-released port is surer.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

extension LiveProcessTests {
    /// `tail` across a server restart: it says "reconnecting…", waits, and goes on from its cursor,
    /// printing every event exactly once.
    @Suite struct PostgresTailTests {
        @Test func tailSurvivesAServerRestartWithoutLosingOrRepeatingAnEvent() async throws {
            let server = try await PostgresServer.makePrivate()
            let database = try await server.makeDatabase("tail")
            try await database.psql(WakuSchema.postgresDDL + "\nINSERT INTO es_streams (stream_id, stream_type) VALUES ('Order-1', 'Order');")
            func append(_ range: Range<Int>) async throws {
                try await database.psql("""
                    INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key)
                    SELECT gen_random_uuid(), 'Order-1', 'Happened', i, '{}', '{}', now(), 'k' || i
                    FROM generate_series(\(range.lowerBound), \(range.upperBound - 1)) i
                    """)
            }
            try await append(0..<50)
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let output = directory.file("tail.jsonl"), errors = directory.file("tail.err")
            let tail = try startEventscope(["tail", database.url, "--from", "0", "--json"], stdout: output, stderr: errors)
            defer { tail.signal(SIGKILL) }
            try await wait(for: "tail to print the first 50 events") { () -> Poll<Void> in
                lines(of: output).count >= 50 ? .ready(()) : .pending(seen: "\(lines(of: output).count) lines")
            }
            try await onDedicatedThread { try server.stopServer() }
            try await wait(for: "tail to say it is reconnecting") { () -> Poll<Void> in
                lines(of: errors).contains { $0.hasPrefix("reconnecting…") } ? .ready(()) : .pending(seen: lines(of: errors).joined(separator: " | "))
            }
            #expect(!tail.hasExited)
            try await onDedicatedThread { try server.startServer() }
            try await append(50..<120)
            try await wait(for: "tail to print all 120 events") { () -> Poll<Void> in
                lines(of: output).count >= 120 ? .ready(()) : .pending(seen: "\(lines(of: output).count) lines")
            }
            tail.signal(SIGINT)
            #expect(try await tail.exitStatus() == 0)
            #expect(try lines(of: output).map(globalPosition) == Array(0..<120).map(Int64.init))
            #expect(lines(of: errors).contains { $0.hasPrefix("reconnected") })
        }
    }
}
