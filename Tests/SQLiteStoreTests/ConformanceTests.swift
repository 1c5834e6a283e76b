import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The waku layout on SQLite against the in-memory oracle: every read of `StoreReader`.
/// (PostgreSQL and the other layouts add their own entries here: a store, its oracle, `mismatches()`.)
@Suite struct SQLiteWakuConformanceTests {
    @Test func theDemoStoreConforms() async throws {
        let store = DemoFixture.standard
        let mismatches = try await StoreConformance(subject: try SQLiteStoreReader.open(path: store.path),
                                                    oracle: try InMemoryStore.load(sqlitePath: store.path)).mismatches()
        #expect(mismatches == [])
    }

    /// Row-less streams, a deleted stream at the head, control characters and non-ASCII ids,
    /// leading and trailing gaps: the edges the demo never makes.
    @Test func aStoreOfEdgeCasesConforms() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("edges.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 2)
        try builder.stream("Order-é東京", version: 0)
        try builder.stream("Evil-\u{1B}[2J", version: 0)
        try builder.stream("Gone-1", version: 1, deleted: true)
        try builder.event(2, stream: "Order-1", position: 0, type: "OrderPlaced")
        try builder.event(3, stream: "Gone-1", position: 0)
        try builder.event(4, stream: "Order-é東京", position: 0, type: "OrderPlaced", data: #"{"city":"東京 🚚"}"#)
        try builder.event(7, stream: "Ghost-1", position: 0)
        try builder.event(8, stream: "Order-1", position: 1, type: "OrderShipped")
        try builder.event(9, stream: "Evil-\u{1B}[2J", position: 0, data: "not json")
        try builder.event(12, stream: "Order-1", position: 2, type: "OrderShipped")
        try builder.event(13, stream: "Gone-1", position: 1)
        try builder.checkpoint("orders", at: 2)
        try builder.checkpoint("all", at: -1)
        try builder.close()
        let mismatches = try await StoreConformance(subject: try SQLiteStoreReader.open(path: path),
                                                    oracle: try InMemoryStore.load(sqlitePath: path)).mismatches()
        #expect(mismatches == [])
    }

    /// A store a runner serves: status rows (one filtered by type, one rebuilding, one failed, one
    /// for a projection with no checkpoint) and requests in every status, for several projections.
    @Test func aStoreServedByARunnerConforms() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("served.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Order-1", version: 3)
        try builder.stream("Gone-1", version: 0, deleted: true)
        for (global, position, type) in [(0, 0, "OrderPlaced"), (1, 1, "OrderShipped"), (3, 2, "OrderPlaced"), (4, 3, "OrderPaid")] {
            try builder.event(GlobalPosition(global), stream: "Order-1", position: Int64(position), type: type)
        }
        try builder.event(5, stream: "Gone-1", position: 0, type: "OrderPlaced")
        try builder.checkpoint("orders", at: 1)
        try builder.checkpoint("all", at: -1)
        try builder.checkpoint("broken", at: 4)
        try builder.close()
        let runner = try RunnerStandIn(path: path)
        let at = Timestamp(microseconds: 1_795_000_000_000_000)
        try runner.status("orders", state: "running", checkpoint: 1, eventTypes: ["OrderPlaced", "OrderPaid"], eventsPerSecond: 812.5, at: at)
        try runner.status("all", state: "rebuilding", checkpoint: -1, eventsPerSecond: 40, rebuildTarget: 5, at: at)
        try runner.status("broken", state: "failed", checkpoint: 4, lastError: "boom", lastErrorPosition: 4, skippedBatches: 2, at: at)
        try runner.status("statusOnly", state: "stopped", holder: nil, at: at)
        for (name, status) in [("orders", "done"), ("all", "running"), ("orders", "failed"), ("ghost", "rejected"), ("all", "pending"), ("orders", "pending")] {
            let id = try runner.request(name, status: "pending", at: at)
            if status != "pending" { try runner.answer(id, status: status, detail: "said \(status)", at: at) }
        }
        try runner.close()
        let mismatches = try await StoreConformance(subject: try SQLiteStoreReader.open(path: path),
                                                    oracle: try InMemoryStore.load(sqlitePath: path)).mismatches()
        #expect(mismatches == [])
        // The oracle is not vacuous: it holds what was written.
        let oracle = try InMemoryStore.load(sqlitePath: path)
        #expect(oracle.runnerStatusRows?.count == 4 && oracle.commandRows?.count == 6)
        #expect(oracle.runnerStatusRows?.first { $0.projectionName == "orders" }?.eventTypes == ["OrderPlaced", "OrderPaid"])
    }
}
