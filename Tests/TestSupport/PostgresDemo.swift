import DemoStore
import EventStore
import PostgresStore

extension TestDatabase {
    /// The database as eventscope resolves its URL, with nothing from this process's environment
    /// (no PGPASSWORD, no ~/.pgpass).
    public var target: PostgresTarget {
        get throws { try PostgresTarget.resolve(url: url, environment: [:], osUser: "postgres", passFile: nil) }
    }
}

extension DemoFixture.Store {
    /// The same demo (seed, size, time) created by the demo generator itself in `database`, through COPY.
    public func create(in database: TestDatabase) async throws -> DemoStoreGenerator.Summary {
        try await DemoStoreGenerator(events: summary.events, seed: seed, now: madeAt).create(postgres: try database.target, replacing: false)
    }
}
