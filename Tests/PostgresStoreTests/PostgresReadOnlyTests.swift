import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// The adapter cannot write: its sessions start read-only, and the server refuses a write sent
/// through them, whatever the role may do (these tests connect as the superuser).
@Suite struct PostgresReadOnlyTests {
    @Test func theSessionIsReadOnlyFromItsStart() async throws {
        let database = try await TestDatabase.wakuFixture()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        #expect(try await reader.executeForTesting("SHOW default_transaction_read_only") == ["on"])
        #expect(try await reader.executeForTesting("SHOW transaction_read_only") == ["on"])
        #expect(try await reader.executeForTesting("SHOW application_name") == ["eventscope"])
    }

    @Test func aWriteThroughTheReadersConnectionIsRefusedByTheServer() async throws {
        let database = try await TestDatabase.wakuFixture()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        for write in ["INSERT INTO es_checkpoints VALUES ('intruder', 1, now(), now())",
                      "UPDATE es_checkpoints SET position = 0", "DELETE FROM es_projection_leases",
                      "CREATE TABLE intruder (i int)"] {
            do {
                _ = try await reader.executeForTesting(write)
                Issue.record("the server accepted \(write)")
            } catch {
                #expect("\(error)".contains("cannot execute") && "\(error)".contains("read-only transaction"), "\(write): \(error)")
            }
        }
        // Nothing changed: the checkpoints are the dump's, read again through the same reader.
        #expect(try await reader.checkpoints().map(\.position) == [9, 1, 8])
        #expect(try await reader.leases().count == 2)
    }
}
