import EventStore
@testable import PostgresStore
import TestSupport
import Testing

/// Operator requests come newest first by their numeric id, also past nine of them.
@Suite struct CommandRequestOrderTests {
    @Test func requestsPastNineAreNewestFirst() async throws {
        let database = try await TestDatabase.emptyWaku("commands")
        try await database.psql(RunnerSchema.postgresCommandsDDL + ";" + """
            INSERT INTO es_projection_commands (projection_name, command, requested_by)
            SELECT 'orders', 'rebuild', 'op-' || i FROM generate_series(1, 12) i;
            """)
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        #expect(try await reader.commandRequests(projection: nil, limit: 3)?.map(\.id) == [12, 11, 10])
        #expect(try await reader.commandRequests(projection: "orders", limit: 20)?.map(\.id) == Array((1...12).reversed()))
    }
}
