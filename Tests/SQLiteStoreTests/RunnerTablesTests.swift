import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The runner's tables are written by other programs too (a foreign runner, a hand): every read of
/// them survives any value, keeps the row, and says what was wrong with it.
@Suite struct RunnerTablesTests {
    /// A store whose runner tables have no column types or constraints (any value fits), holding
    /// one well-formed row and rows with a hostile value in each column.
    static func hostileStore() throws -> (TemporaryDirectory, String) {
        let directory = TemporaryDirectory()
        let path = directory.file("hostile.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 1)
        try builder.event(0, stream: "Order-1", position: 0, type: "A")
        try builder.event(1, stream: "Order-1", position: 1, type: "B")
        for name in ["good", "textInts", "objectTypes", "garbageTypes"] { try builder.checkpoint(name, at: 0) }
        try builder.close()
        let runner = try RunnerStandIn(path: path, createTables: false)
        try runner.execute("""
            CREATE TABLE es_projection_status (projection_name, state, holder_id, heartbeat_at, checkpoint, event_types,
              events_per_second, last_error, last_error_position, skipped_batches, rebuild_target, rebuild_started_at, updated_at)
            """)
        try runner.execute("CREATE TABLE es_projection_commands (id, projection_name, command, requested_by, requested_at, status, started_at, finished_at, detail)")
        try runner.execute("""
            INSERT INTO es_projection_status VALUES
              ('good', 'running', 'r1', '2026-11-02T00:00:00.000000Z', 0, '["B"]', 12.5, NULL, NULL, 0, NULL, NULL, '2026-11-02T00:00:00.000000Z'),
              ('textInts', 'rebuilding', 'r1', 'not a time', 'abc', '["A"]', 'fast', 'err', 'pos', 'many', 'far', x'00ff', 'yesterday'),
              ('objectTypes', CAST(x'ff73' AS TEXT), x'6869', NULL, 1.5, '{"A": 1}', 1e999, CAST(x'c3' AS TEXT), 2.0, NULL, NULL, NULL, NULL),
              ('garbageTypes', 'sleeping', NULL, 12345, 0, 'garbage', -3, NULL, NULL, 7, 9, NULL, NULL),
              (CAST(x'6e616d65ff' AS TEXT), NULL, NULL, NULL, NULL, x'0001', NULL, NULL, NULL, 1.25, NULL, NULL, NULL),
              ('mixedTypes', 'running', NULL, NULL, 0, '[1, "A", null]', NULL, NULL, NULL, 0, NULL, NULL, NULL)
            """)
        try runner.execute("""
            INSERT INTO es_projection_commands VALUES
              (1, 'good', 'rebuild', 'ops@box', '2026-11-02T00:00:00.000000Z', 'done', '2026-11-02T00:00:01.000000Z', '2026-11-02T00:00:03.500000Z', 'replayed 2 events'),
              ('seven', 'textInts', 'rebuild', 'ops@box', 1795000000, 'queued', 'soon', NULL, x'ff00'),
              (2.5, CAST(x'6f72ff' AS TEXT), NULL, NULL, NULL, NULL, NULL, NULL, NULL),
              (9, 'objectTypes', 'rebuild', 'ops@box', '2026-13-45T00:00:00Z', CAST(x'ff' AS TEXT), NULL, NULL, 'detail')
            """)
        try runner.close()
        return (directory, path)
    }

    @Test func hostileStatusRowsAreReadWithTheirProblems() async throws {
        let (directory, path) = try Self.hostileStore()
        defer { directory.remove() }
        let reader = try SQLiteStoreReader.open(path: path)
        let rows = try #require(try await reader.runnerStatuses())
        #expect(rows.count == 6)
        func row(_ name: String) -> RunnerStatus? { rows.first { $0.projectionName == name } }
        func fields(_ name: String) -> Set<String> { Set(row(name)?.problems.map(\.field) ?? []) }

        let good = try #require(row("good"))
        #expect(good.problems.isEmpty && good.state == .running && good.eventTypes == ["B"] && good.eventsPerSecond == 12.5)
        #expect(fields("textInts") == ["checkpoint", "events_per_second", "last_error_position", "skipped_batches", "rebuild_target"])
        #expect(row("textInts")?.heartbeatAt == .unreadable("not a time") && row("textInts")?.skippedBatches == 0)
        #expect(row("textInts")?.checkpoint == nil && row("textInts")?.rebuildTarget == nil)
        // A rebuilding row with no readable target has no progress to show (rather than a wrong one).
        #expect(row("textInts").flatMap(RebuildProgress.init) == nil)

        let object = try #require(row("objectTypes"))
        #expect(object.eventTypes == nil && fields("objectTypes").isSuperset(of: ["event_types", "state", "checkpoint", "last_error"]))
        #expect(object.holderId == "hi" && object.lastErrorPosition == 2)
        #expect(row("garbageTypes")?.state == .other("sleeping") && row("garbageTypes")?.eventTypes == nil)
        #expect(fields("garbageTypes") == ["event_types"])
        #expect(row("garbageTypes")?.heartbeatAt?.timestamp != nil, "epoch seconds are a time")
        let invalidName = try #require(rows.first { $0.projectionName.hasPrefix("name") })
        #expect(invalidName.projectionName == "name\\xff")
        #expect(Set(invalidName.problems.map(\.field)).isSuperset(of: ["projection_name", "state", "event_types", "skipped_batches"]))
        #expect(row("mixedTypes")?.eventTypes == ["A"])
    }

    @Test func hostileRequestsAreReadWithTheirProblems() async throws {
        let (directory, path) = try Self.hostileStore()
        defer { directory.remove() }
        let reader = try SQLiteStoreReader.open(path: path)
        let all = try #require(try await reader.commandRequests(projection: nil, limit: 100))
        #expect(all.count == 4)
        let good = try #require(all.first { $0.projectionName == "good" })
        #expect(good.problems.isEmpty && good.status == .done && good.detail == "replayed 2 events")
        let seven = try #require(all.first { $0.projectionName == "textInts" })
        #expect(seven.status == .other("queued") && seven.requestedAt.timestamp != nil && seven.startedAt == .unreadable("soon"))
        #expect(Set(seven.problems.map(\.field)) == ["id", "detail"])
        let invalid = try #require(all.first { $0.projectionName.hasPrefix("or") })
        #expect(Set(invalid.problems.map(\.field)).isSuperset(of: ["id", "projection_name", "command", "requested_by", "status"]))
        #expect(invalid.requestedAt == .unreadable("NULL"))
        let nine = try #require(all.first { $0.id == 9 })
        #expect(nine.requestedAt == .unreadable("2026-13-45T00:00:00Z") && nine.problems.map(\.field) == ["status"])
        #expect(try await reader.commandRequests(projection: "good", limit: 5)?.map(\.id) == [1])
    }

    /// The folded view (progress, impact) over the same rows: no trap, the runner's readable types
    /// used for pending counts, unreadable ones ignored (every type counted).
    @Test func progressAndImpactSurviveHostileRows() async throws {
        let (directory, path) = try Self.hostileStore()
        defer { directory.remove() }
        let reader = try SQLiteStoreReader.open(path: path)
        let snapshot = try await reader.projectionProgress(ProgressRequest())
        func progress(_ name: String) -> ProjectionProgress? { snapshot.projections.first { $0.name == name } }
        #expect(progress("good")?.pending == PendingCount(count: 1, isCapped: false), "only B counts for good")
        #expect(progress("textInts")?.pending == PendingCount(count: 0, isCapped: false), "only A counts, and it is at 0")
        #expect(progress("garbageTypes")?.pending == PendingCount(count: 1, isCapped: false), "unreadable types: every type")
        #expect(progress("good")?.latestRequest?.id == 1)
        #expect(progress("garbageTypes")?.runner?.state == .other("sleeping"))
        for name in ["good", "textInts", "objectTypes", "garbageTypes"] {
            let impact = try await reader.rebuildImpact(of: name)
            #expect(impact != nil, "\(name)")
            #expect(impact?.eventsPerSecond.map { $0.isFinite && $0 > 0 } ?? true, "\(name): a rate that is not a rate is dropped")
        }
        #expect(try await reader.rebuildImpact(of: "no-such") == nil)
    }
}
