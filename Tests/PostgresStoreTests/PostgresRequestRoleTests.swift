import EventStore
import Foundation
@testable import PostgresStore
import PostgresNIO
import TestSupport
import Testing

/// The explorer's one write on PostgreSQL: `PostgresCommandRequester` files a request through a
/// role that has exactly the README's grants, and that role can do nothing else to the store.
@Suite struct PostgresRequestRoleTests {
    struct NoBlock: Error, CustomStringConvertible {
        let marker: String
        var description: String { "README.md has no block starting \(marker.debugDescription)" }
    }

    /// The README's block that creates the request role, as an operator would copy it.
    static func readmeRoleSQL() throws -> String {
        let readme = try String(contentsOfFile: fixtures + "/../../README.md", encoding: .utf8)
        let marker = "-- eventscope: the role that files rebuild requests\n"
        guard let start = readme.range(of: marker), let end = readme.range(of: "```", range: start.upperBound..<readme.endIndex) else {
            throw NoBlock(marker: marker)
        }
        return String(readme[start.lowerBound..<end.lowerBound])
    }

    /// A waku store (the fixture) with the runner's two tables, as a runner leaves it.
    static func storeWithRunnerTables() async throws -> TestDatabase {
        let database = try await TestDatabase.wakuFixture()
        try await database.psql([RunnerSchema.postgresStatusDDL, RunnerSchema.postgresCommandsDDL, RunnerSchema.postgresCommandsIndexDDL]
            .joined(separator: ";\n"))
        return database
    }

    static func requester(_ database: TestDatabase, user: String) throws -> PostgresCommandRequester {
        PostgresCommandRequester(target: try PostgresTarget.resolve(url: database.server.url(database: database.name, user: user),
                                                                    environment: [:], osUser: user, passFile: nil))
    }

    /// The SQLSTATE a statement fails with, run through `connection`; nil when it succeeds.
    static func refusal(_ sql: String, on connection: PostgresConnection) async -> String? {
        do {
            _ = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: quietLogger).collect()
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.sqlState] ?? "\(error.code)"
        } catch {
            return "\(error)"
        }
    }

    @Test func theReadmesRoleFilesARequestAndCannotTouchTheEvents() async throws {
        let database = try await Self.storeWithRunnerTables()
        defer { Task { try? await database.drop() } }
        // Roles belong to the cluster: a name of this test's own, in the README's statements.
        let role = "evs_req_" + database.name.suffix(8)
        try await database.psql(try Self.readmeRoleSQL().replacingOccurrences(of: "eventscope_requests", with: role))

        // The server logs every statement of this role's sessions: the request must send exactly one.
        try await database.psql("ALTER ROLE \(role) SET log_statement = 'all'")
        let log = database.server.dataDirectory + "/../server.log"
        let logged = try Data(contentsOf: URL(fileURLWithPath: log)).count
        let id = try await Self.requester(database, user: role).request(RunnerSchema.rebuild, projection: "order_summary",
                                                                         requestedBy: "ops@host")
        let after = String(decoding: try Data(contentsOf: URL(fileURLWithPath: log)).dropFirst(logged), as: UTF8.self)
        let statements = after.split(separator: "\n").filter { $0.contains("LOG:  statement: ") || $0.contains("LOG:  execute ") }
        #expect(statements.count == 1, "\(statements)")
        #expect(statements.first?.contains("INSERT INTO es_projection_commands") == true, "\(statements)")
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close() } }
        let filed = try #require(try await reader.commandRequests(projection: "order_summary", limit: 10)?.first)
        #expect(filed.id == id)
        #expect(filed.command == RunnerSchema.rebuild && filed.requestedBy == "ops@host" && filed.status == .pending)

        // Everything else through that role is refused by the server: insufficient_privilege.
        let connection = try await database.connect(user: role)
        defer { connection.close().whenComplete { _ in withExtendedLifetime(connection) {} } }
        for write in [
            "UPDATE es_events SET event_type = 'Forged'",
            "DELETE FROM es_events",
            """
            INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key)
            VALUES (gen_random_uuid(), 'Order-x', 'Forged', 0, '{}', '{}', now(), 'forged')
            """,
            "UPDATE es_projection_commands SET status = 'done'",
            "DELETE FROM es_projection_commands",
            "INSERT INTO es_checkpoints VALUES ('intruder', 1, now(), now())",
            "UPDATE es_checkpoints SET position = -1",
            "TRUNCATE es_events",
        ] {
            #expect(await Self.refusal(write, on: connection) == "42501", "\(write) was not refused for lack of privilege")
        }
        // It reads, as the explorer's reader needs to.
        #expect(await Self.refusal("SELECT count(*) FROM es_events", on: connection) == nil)
        #expect(try await reader.head() == 9)
        #expect(try await reader.commandRequests(projection: nil, limit: 10)?.count == 1)
    }

    @Test func aRoleWithoutTheGrantOrAStoreWithoutTheTableIsOneLineAndWritesNothing() async throws {
        let database = try await Self.storeWithRunnerTables()
        defer { Task { try? await database.drop() } }
        let role = "evs_ro_" + database.name.suffix(8)
        try await database.psql("CREATE ROLE \(role) LOGIN; GRANT SELECT ON ALL TABLES IN SCHEMA public TO \(role)")
        do {
            _ = try await Self.requester(database, user: role).request(RunnerSchema.rebuild, projection: "order_summary", requestedBy: "x")
            Issue.record("a role without INSERT filed a request")
        } catch let error as StoreError {
            #expect(error.isBadInput)
            #expect(error.description.contains("permission denied for table es_projection_commands"), "\(error)")
            #expect(error.description.contains("GRANT INSERT, SELECT ON es_projection_commands TO \(role)"), "\(error)")
            #expect(!error.description.contains("\n"))
        }

        let waku = try await TestDatabase.wakuFixture()
        defer { Task { try? await waku.drop() } }
        do {
            _ = try await Self.requester(waku, user: "postgres").request(RunnerSchema.rebuild, projection: "order_summary", requestedBy: "x")
            Issue.record("a request was filed into a store without a commands table")
        } catch let error as StoreError {
            #expect(error.isBadInput)
            #expect(error.description.contains("no eventscope runner serves this store"), "\(error)")
        }
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close() } }
        #expect(try await reader.commandRequests(projection: nil, limit: 10)?.isEmpty == true)
    }
}
