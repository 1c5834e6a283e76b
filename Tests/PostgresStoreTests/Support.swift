import EventStore
import PostgresStore
import TestSupport

extension PostgresStoreReader {
    /// Opens a test database's URL with nothing from this process's environment (no PGPASSWORD,
    /// no ~/.pgpass): the tests say everything the connection needs.
    static func open(test url: String) async throws -> PostgresStoreReader {
        try await open(target: try PostgresTarget.resolve(url: url, environment: [:], osUser: "postgres", passFile: nil))
    }
}

extension TestDatabase {
    /// A new database holding the real waku 0.43.0 dump (`Tests/Fixtures/waku-0.43.0-postgres.sql`).
    static func wakuFixture() async throws -> TestDatabase {
        let database = try await PostgresServer.shared.makeDatabase("waku")
        try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        return database
    }

    /// A new database with waku's tables and no rows.
    static func emptyWaku(_ label: String = "empty") async throws -> TestDatabase {
        let database = try await PostgresServer.shared.makeDatabase(label)
        try await database.psql(WakuSchema.postgresDDL)
        return database
    }
}
