import EventStore
import Foundation
import GRDB
@testable import SQLiteRequests
import SQLiteStore
import TestSupport
import Testing

/// The request connection files a `pending` row in `es_projection_commands` and can do nothing else.
@Suite struct RequestConnectionTests {
    /// A WAL store with one event, a checkpoint and (unless `runnerTables` is false) the runner's tables.
    static func store(runnerTables: Bool = true) throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory("eventscope-requests")
        let path = directory.file("s.db")
        let ddl = WakuSchema.sqliteDDL
            + (runnerTables ? [RunnerSchema.sqliteStatusDDL, RunnerSchema.sqliteCommandsDDL, RunnerSchema.sqliteCommandsIndexDDL] : [])
        let builder = try WakuStoreBuilder(path: path, ddl: ddl)
        try builder.stream("Order-1", version: 0)
        try builder.event(0, stream: "Order-1", position: 0)
        try builder.checkpoint("orders", at: 0, updatedAt: "2026-11-02T00:00:00.000000Z")
        try builder.close()
        return (directory, path)
    }

    /// Everything an operator could care about in the store, read plainly: the schema, every row of
    /// every table, and the header fields a pragma could change.
    static func contents(of path: String) throws -> String {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            var out = ""
            let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            for row in try Row.fetchAll(db, sql: "SELECT type, name, sql FROM sqlite_master ORDER BY name") { out += "\(row)\n" }
            for table in tables {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table.quotedDatabaseIdentifier) ORDER BY rowid") { out += "\(table): \(row)\n" }
            }
            for pragma in ["user_version", "application_id", "journal_mode", "schema_version"] {
                out += "\(pragma) = \(try String.fetchOne(db, sql: "PRAGMA \(pragma)") ?? "nil")\n"
            }
            return out
        }
    }

    @Test func aRequestIsFiledPendingWithWhoAndWhen() async throws {
        let (directory, path) = try Self.store()
        defer { directory.remove() }
        let at = Timestamp(parsing: "2026-11-22T11:16:25.170405Z")!
        let requester = SQLiteCommandRequester(path: path, now: { at })
        let first = try await requester.request(RunnerSchema.rebuild, projection: "orders", requestedBy: "ops@box")
        let second = try await requester.request(RunnerSchema.rebuild, projection: "x; DROP TABLE es_events", requestedBy: "o'neil@box")
        #expect(second == first + 1)
        let requests = try #require(try await SQLiteStoreReader.open(path: path).commandRequests(projection: nil, limit: 10))
        #expect(requests.map(\.id) == [second, first])
        let filed = try #require(requests.last)
        #expect(filed.projectionName == "orders" && filed.command == "rebuild" && filed.requestedBy == "ops@box")
        #expect(filed.status == .pending && filed.startedAt == nil && filed.finishedAt == nil && filed.detail == nil)
        #expect(filed.problems.isEmpty)
        #expect(filed.requestedAt == .at(at))
        // Stored as the rest of the store stores times: ISO-8601 UTC text.
        let stored = try await DatabaseQueue(path: path).read { db in try String.fetchOne(db, sql: "SELECT requested_at FROM es_projection_commands WHERE id = ?", arguments: [first]) }
        #expect(stored == "2026-11-22T11:16:25.170405Z")
        #expect(requests.first?.projectionName == "x; DROP TABLE es_events")
        #expect(try await SQLiteStoreReader.open(path: path).head() == 0)
    }

    /// Each of these, through the request connection, fails and changes nothing: the authorizer
    /// allows an insert into the commands table and transaction control, nothing else.
    @Test(arguments: [
        "UPDATE es_projection_commands SET status = 'done'",
        "DELETE FROM es_projection_commands",
        "INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at, status) VALUES ('a', 'rebuild', 'me', 'now', 'pending') ON CONFLICT (id) DO UPDATE SET status = 'done'",
        "INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at) SELECT event_type, 'rebuild', 'me', 'now' FROM es_events",
        "INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at) VALUES (upper('a'), 'rebuild', 'me', 'now')",
        "INSERT INTO es_checkpoints VALUES ('orders2', 5, 'now', 'now')",
        "INSERT INTO es_events VALUES (1, 'e1', 'Order-1', 'Hacked', 1, '{}', '{}', 'now', 1, 'k1')",
        "INSERT INTO es_projection_status (projection_name, state) VALUES ('orders', 'running')",
        "INSERT INTO es_projection_leases VALUES ('orders', 'me', 'now', 'now', '9999-01-01')",
        "UPDATE es_checkpoints SET position = -1",
        "DELETE FROM es_events",
        "REPLACE INTO es_streams VALUES ('Order-1', 'Order', 9, NULL, NULL, NULL)",
        "CREATE TABLE es_more (x)",
        "CREATE TEMP TABLE scratch (x)",
        "CREATE INDEX ix_more ON es_events (stream_id)",
        "CREATE VIEW v AS SELECT 1",
        "CREATE TRIGGER t AFTER INSERT ON es_projection_commands BEGIN DELETE FROM es_events; END",
        "DROP TABLE es_events",
        "DROP TABLE es_projection_commands",
        "DROP INDEX ix_es_projection_commands_status",
        "ALTER TABLE es_projection_commands ADD COLUMN extra TEXT",
        "ALTER TABLE es_events RENAME TO old_events",
        "ATTACH DATABASE '/tmp/eventscope-attached.db' AS other",
        "PRAGMA writable_schema = 1",
        "PRAGMA journal_mode = DELETE",
        "PRAGMA user_version = 7",
        "PRAGMA query_only = 0",
        "VACUUM",
        "VACUUM INTO '/tmp/eventscope-vacuumed.db'",
        "REINDEX",
        "ANALYZE",
        "SELECT * FROM es_events",
        "SELECT * FROM es_projection_commands",
        "SAVEPOINT s",
    ])
    func everyOtherStatementIsRefused(_ sql: String) async throws {
        let (directory, path) = try Self.store()
        defer { directory.remove() }
        let before = try Self.contents(of: path)
        let connection = try RequestConnection.open(path: path)
        defer { connection.close() }
        let error = #expect(throws: RequestError.self, "\(sql) must be refused") { try connection.execute(sql) }
        guard case .denied(_, let statement, let reason)? = error else {
            Issue.record("\(sql): expected a refusal by the authorizer, got \(String(describing: error))")
            return
        }
        #expect(statement == sql && (reason.contains("not authorized") || reason.contains("does not submit")), "\(reason)")
        #expect(try Self.contents(of: path) == before, "\(sql) changed the store")
        for file in ["/tmp/eventscope-attached.db", "/tmp/eventscope-vacuumed.db"] {
            #expect(!FileManager.default.fileExists(atPath: file), "\(sql) created \(file)")
        }
        // The connection is still usable for what it is for.
        #expect(try connection.insertRequest("rebuild", projection: "orders", requestedBy: "me", requestedAt: .now()) == 1)
    }

    /// What the connection may do, it does: the insert, and transaction control around it.
    @Test func theInsertAndTransactionControlAreAllowed() async throws {
        let (directory, path) = try Self.store()
        defer { directory.remove() }
        let connection = try RequestConnection.open(path: path)
        defer { connection.close() }
        try connection.execute("BEGIN IMMEDIATE")
        #expect(try connection.insertRequest("rebuild", projection: "orders", requestedBy: "me", requestedAt: .now()) == 1)
        try connection.execute("ROLLBACK")
        #expect(try await SQLiteStoreReader.open(path: path).commandRequests(projection: nil, limit: 10)?.isEmpty == true)
        try connection.execute("BEGIN")
        // The rollback took the AUTOINCREMENT counter's step back with it.
        #expect(try connection.insertRequest("rebuild", projection: "orders", requestedBy: "me", requestedAt: .now()) == 1)
        try connection.execute("COMMIT")
        let requests = try await SQLiteStoreReader.open(path: path).commandRequests(projection: nil, limit: 10)
        #expect(requests?.map(\.id) == [1] && requests?.first?.status == .pending)
    }

    /// A trigger someone put on the commands table runs inside the insert: the authorizer is asked
    /// about its statements too, and refuses, so the insert cannot reach another table that way.
    @Test func aTriggerOnTheCommandsTableCannotCarryTheInsertElsewhere() async throws {
        let (directory, path) = try Self.store()
        defer { directory.remove() }
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TRIGGER spill AFTER INSERT ON es_projection_commands BEGIN DELETE FROM es_events; END")
        }
        let before = try Self.contents(of: path)
        let error = await #expect(throws: RequestError.self) {
            try await SQLiteCommandRequester(path: path).request("rebuild", projection: "orders", requestedBy: "me")
        }
        guard case .denied(_, _, let reason)? = error else {
            Issue.record("expected a refusal, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("spill") && reason.contains("a delete from es_events"), "\(reason)")
        #expect(try Self.contents(of: path) == before)
    }

    /// A store no eventscope runner has served has no commands table: the request says so, points
    /// at `eventscope runner`, and leaves every file as it was (bytes, and no sidecar left behind).
    @Test func aStoreWithoutTheCommandsTableIsRefusedAndLeftUntouched() async throws {
        let (directory, path) = try Self.store(runnerTables: false)
        defer { directory.remove() }
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let error = await #expect(throws: RequestError.self) {
            try await SQLiteCommandRequester(path: path).request("rebuild", projection: "orders", requestedBy: "me")
        }
        #expect(error == .noRunnerTable(location: path))
        let message = error?.description ?? ""
        #expect(message.contains("no eventscope runner serves this store") && message.contains("eventscope runner \(path)"), "\(message)")
        #expect(error?.isBadInput == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == files)
        let tables = try await DatabaseQueue(path: path).read { db in try db.tableExists(RunnerSchema.commands) }
        #expect(!tables, "the request connection must never create the table")
    }

    @Test func aMissingFileIsNotCreated() async throws {
        let directory = TemporaryDirectory("eventscope-requests")
        defer { directory.remove() }
        let path = directory.file("none.db")
        let error = await #expect(throws: RequestError.self) {
            try await SQLiteCommandRequester(path: path).request("rebuild", projection: "orders", requestedBy: "me")
        }
        #expect(error == .noSuchFile(path: path))
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func aFileThatIsNotADatabaseIsBadInput() async throws {
        let directory = TemporaryDirectory("eventscope-requests")
        defer { directory.remove() }
        let path = directory.file("notes.txt")
        try String(repeating: "not a database\n", count: 100).write(toFile: path, atomically: true, encoding: .utf8)
        let error = await #expect(throws: RequestError.self) {
            try await SQLiteCommandRequester(path: path).request("rebuild", projection: "orders", requestedBy: "me")
        }
        guard case .notAStore? = error else {
            Issue.record("expected notAStore, got \(String(describing: error))")
            return
        }
    }

    /// The request waits (up to its busy timeout) for a writer's lock rather than failing at once,
    /// and says so clearly when the lock outlives it; once the lock is gone the request goes in.
    @Test func aLockedStoreWaitsThenSaysSo() async throws {
        let (directory, path) = try Self.store()
        defer { directory.remove() }
        let holder = try RequestConnection.open(path: path)
        defer { holder.close() }
        try holder.execute("BEGIN IMMEDIATE")
        let error = await #expect(throws: RequestError.self) {
            try await SQLiteCommandRequester(path: path, busyTimeout: 0.2).request("rebuild", projection: "orders", requestedBy: "me")
        }
        #expect(error == .busy(location: path, seconds: 0.2))
        #expect(error?.isBadInput == false)
        try holder.execute("COMMIT")
        #expect(try await SQLiteCommandRequester(path: path, busyTimeout: 0.2).request("rebuild", projection: "orders", requestedBy: "me") == 1)
    }

    /// A commands table that is not the runner's (a column missing) is named as such.
    @Test func aCommandsTableOfAnotherShapeIsNamed() async throws {
        let directory = TemporaryDirectory("eventscope-requests")
        defer { directory.remove() }
        let path = directory.file("s.db")
        try WakuStoreBuilder(path: path, ddl: WakuSchema.sqliteDDL + ["CREATE TABLE es_projection_commands (id INTEGER PRIMARY KEY, projection_name TEXT)"]).close()
        let error = await #expect(throws: RequestError.self) {
            try await SQLiteCommandRequester(path: path).request("rebuild", projection: "orders", requestedBy: "me")
        }
        guard case .unexpectedTable(_, let reason)? = error else {
            Issue.record("expected unexpectedTable, got \(String(describing: error))")
            return
        }
        #expect(reason.contains("no column named"), "\(reason)")
    }
}
