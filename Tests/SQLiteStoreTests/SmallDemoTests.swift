import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// The demo tells its whole story at any size: what its summary says it made is what the store holds.
@Suite struct SmallDemoTests {
    @Test(arguments: [50, 51, 60, 137, 1_000])
    func summaryMatchesTheStore(events: Int) async throws {
        let store = DemoFixture.make(events: events, seed: UInt64(events))
        defer { try? FileManager.default.removeItem(atPath: (store.path as NSString).deletingLastPathComponent) }
        let reader = try SQLiteStoreReader.open(path: store.path)
        let brute = try BruteForce(path: store.path)
        #expect(brute.events.count == events)
        #expect(try await reader.head() == store.summary.head)
        let window = try #require(try await reader.defaultGapWindow())
        #expect(try await reader.gaps(in: window, limit: 10_000) == store.summary.gaps)
        #expect(brute.gaps(in: window) == store.summary.gaps)
        #expect(!store.summary.deletedRuns.isEmpty && !store.summary.missingRuns.isEmpty)
        let states = try await reader.projectionStatuses(now: store.madeAt.adding(seconds: 1)).map(\.state)
        // Without a runner: customer_directory catching up, shipment_tracker held at a gap,
        // order_history's crashed worker's lease expired (account_balances has no checkpoint yet).
        #expect(Set(states) == [.catchingUp, .blockedByGap, .leaseExpired])
    }
}
