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
}
