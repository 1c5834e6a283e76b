import EventStore
import Foundation
import PostgresNIO
import TestSupport
import Testing

/// eventsource-py's visibility horizon through the real binary, on a cluster of the test's own
/// (the horizon is cluster-wide): `head --json`, `head`, `projections` and the explorer's status
/// line and Projections pane say how many committed rows the library's readers cannot see, and
/// call a restored dump's foreign txids a stall.
@Suite(.serialized) struct PostgresHorizonCLITests {
    static let server = Task<PostgresServer, any Error> { try await PostgresServer.makePrivate() }

    static func horizon(_ url: String) async throws -> [String: Any] {
        let result = try await runEventscope(["head", url, "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let head = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(head["visibility_horizon"] as? [String: Any], "\(result.stdout)")
    }

    @Test func aRestoredDumpsForeignTxidsAreCalledAStallEverywhere() async throws {
        let database = try await Self.server.value.makeDatabase("restored")
        defer { Task { try? await database.drop() } }
        // Rows 1-2 written here, 3-5 carrying txids of the cluster a dump came from.
        try await database.psql(LayoutStoreBuilder.eventsourcePyPostgresDDL + LayoutStoreBuilder.eventsourcePyPostgresInserts(1...2) + LayoutStoreBuilder.eventsourcePyPostgresInserts(3...5, txid: "99999999"))

        let horizon = try await Self.horizon(database.url)
        #expect(horizon["hidden_rows"] as? Int == 3 && horizon["from_another_cluster"] as? Int == 3, "\(horizon)")
        #expect(horizon["first_hidden_position"] as? Int == 3 && horizon["stalled_by_restore"] as? Bool == true, "\(horizon)")
        #expect(horizon["hidden_rows_capped"] as? Bool == false)

        let text = try await runEventscope(["head", database.url])
        #expect(text.stdout.contains("3 rows from position 3 carry txids this cluster has not reached (a restored dump?)"), "\(text.stdout)")

        let screen = try await runEventscope(["snapshot", database.url, "--size", "200x20", "--keys", "4"])
        #expect(screen.status == 0, "\(screen.stderr)")
        let lines = screen.stdout.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.contains("head 5 │ 3 rows from another cluster: invisible to the library │") },
                "\(screen.stdout)")
        #expect(lines.contains { $0.contains("horizon  3 rows from position 3 carry txids") }, "\(screen.stdout)")
    }

    @Test func rowsBehindAnOpenTransactionAreCountedThenVisible() async throws {
        let database = try await Self.server.value.makeDatabase("inflight")
        defer { Task { try? await database.drop() } }
        try await database.psql(LayoutStoreBuilder.eventsourcePyPostgresDDL + LayoutStoreBuilder.eventsourcePyPostgresInserts(1...3))
        #expect(try await Self.horizon(database.url)["hidden_rows"] as? Int == 0)

        // An older transaction takes a txid and stays open; rows 4 and 5 commit after it began.
        let holder = try await database.connect()
        defer { Task { try? await holder.close() } }
        try await holder.query("BEGIN", logger: quietLogger)
        try await holder.query("SELECT pg_current_xact_id()", logger: quietLogger)
        try await database.psql(LayoutStoreBuilder.eventsourcePyPostgresInserts(4...5))
        let held = try await Self.horizon(database.url)
        #expect(held["hidden_rows"] as? Int == 2 && held["first_hidden_position"] as? Int == 4, "\(held)")
        #expect(held["from_another_cluster"] as? Int == 0 && held["stalled_by_restore"] as? Bool == false)
        let screen = try await runEventscope(["snapshot", database.url, "--size", "200x20", "--keys", "4"])
        #expect(screen.stdout.contains("head 5 │ 2 rows not yet visible to the library │"), "\(screen.stdout)")

        try await holder.query("COMMIT", logger: quietLogger)
        #expect(try await Self.horizon(database.url)["hidden_rows"] as? Int == 0)
    }
}
