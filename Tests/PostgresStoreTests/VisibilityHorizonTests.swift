import EventStore
import Foundation
import PostgresNIO
@testable import PostgresStore
import TestSupport
import Testing

/// eventsource-py's readers only take rows with `txid < pg_snapshot_xmin(pg_current_snapshot())`
/// (SPEC §3.3): what the reader counts as not yet visible to them, with real transactions held
/// open on the test's own sessions, and with txids from another cluster. The horizon is the
/// whole cluster's: these tests run on a cluster of their own, where no other test's transaction
/// holds it back.
@Suite(.serialized) struct VisibilityHorizonTests {
    static let server = Task<PostgresServer, any Error> { try await PostgresServer.makePrivate() }

    @Test func aRowCommittedWhileAnOlderTransactionIsOpenIsHiddenUntilItEnds() async throws {
        let database = try await Self.server.value.makeDatabase("horizon")
        try await database.psql(LayoutStoreBuilder.eventsourcePyPostgresDDL + LayoutStoreBuilder.eventsourcePyPostgresInserts(1...3))
        let reader = try await PostgresStoreReader.open(test: database.url)
        let holder = try await database.connect()
        defer { Task { await reader.close(); try? await holder.close(); try? await database.drop() } }

        let before = try #require(try await reader.visibilityHorizon(cap: 100))
        #expect(before.hidden == PendingCount(count: 0, isCapped: false) && before.firstHidden == nil)

        // An older transaction holds a txid, then rows 4 and 5 commit after it started.
        try await holder.query("BEGIN", logger: quietLogger)
        try await holder.query("SELECT pg_current_xact_id()", logger: quietLogger)
        try await database.psql(LayoutStoreBuilder.eventsourcePyPostgresInserts(4...5))
        let held = try #require(try await reader.visibilityHorizon(cap: 100))
        #expect(held.hidden == PendingCount(count: 2, isCapped: false))
        #expect(held.firstHidden == 4)
        #expect(held.fromAnotherCluster.count == 0 && !held.isStalledByRestore)
        // The cap holds.
        #expect(try await reader.visibilityHorizon(cap: 1)?.hidden == PendingCount(count: 1, isCapped: true))
        // Everything is still there for eventscope: the head is max(global_position) as everywhere.
        #expect(try await reader.head() == 5)

        try await holder.query("COMMIT", logger: quietLogger)
        let after = try #require(try await reader.visibilityHorizon(cap: 100))
        #expect(after.hidden.count == 0 && after.firstHidden == nil)
    }

    @Test func rowsWithTxidsThisClusterNeverHandedOutAreFromAnotherCluster() async throws {
        let database = try await Self.server.value.makeDatabase("restored")
        try await database.psql(LayoutStoreBuilder.eventsourcePyPostgresDDL + LayoutStoreBuilder.eventsourcePyPostgresInserts(1...2) + LayoutStoreBuilder.eventsourcePyPostgresInserts(3...5, txid: "99999999"))
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let horizon = try #require(try await reader.visibilityHorizon(cap: 100))
        #expect(horizon.hidden == PendingCount(count: 3, isCapped: false))
        #expect(horizon.fromAnotherCluster == PendingCount(count: 3, isCapped: false))
        #expect(horizon.firstHidden == 3 && horizon.isStalledByRestore)
        #expect(!horizon.horizon.isEmpty)
    }

    @Test(arguments: [StoreLayout.lexigram, .minimal])
    func otherLayoutsHaveNoHorizon(_ layout: StoreLayout) async throws {
        let database = try await PostgresServer.shared.makeDatabase("nohorizon")
        try await database.psql(LayoutStoreBuilder.postgresDDL(layout))
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        #expect(try await reader.visibilityHorizon(cap: 100) == nil)
    }
}
