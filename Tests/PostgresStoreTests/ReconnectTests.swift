import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// The reader outlives its server: while the server is down a read fails as `unreachable` (which
/// `tail` and the explorer retry), and the first read after it is back connects again by itself.
@Suite struct ReconnectTests {
    @Test func aReaderReconnectsAfterTheServerRestarts() async throws {
        let server = try await PostgresServer.makePrivate()
        let database = try await server.makeDatabase("restart")
        try await database.load(dump: fixtures + "/waku-0.43.0-postgres.sql")
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close() } }
        #expect(try await reader.head() == 9)

        try await onDedicatedThread { try server.stopServer() }
        do {
            _ = try await reader.head()
            Issue.record("a read succeeded with the server stopped")
        } catch let error as StoreError {
            guard case .unreachable(let location, let reason) = error else { Issue.record("not unreachable: \(error)"); return }
            #expect(location == reader.info.location)
            #expect(reason.contains("cannot connect") || reason.contains("went away") || reason.contains("closed"), "\(reason)")
        }

        try await onDedicatedThread { try server.startServer() }
        #expect(try await reader.head() == 9)
        #expect(try await reader.checkpoints().count == 3)
    }
}
