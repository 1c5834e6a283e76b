import EventStore
import Foundation
@testable import PostgresStore
import TestSupport
import Testing

/// The store waku 0.43.0 itself wrote (acceptance 2): everything its README says it holds, read
/// through the adapter.
@Suite struct WakuFixtureTests {
    @Test func gapsAreAMissingPermanentRunAndADeletedRun() async throws {
        let database = try await TestDatabase.wakuFixture()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        #expect(try await reader.head() == 9)
        let gaps = try await reader.gaps(in: 0...9, limit: 100)
        #expect(gaps == [Gap(from: 3, to: 3, kind: .missing), Gap(from: 5, to: 6, kind: .deleted)])
        // No transaction is open on the store: the burnt position 3 can never fill.
        let writers = try await reader.openWriters()
        #expect(writers.oldestAge == nil)
        let now = Timestamp.now()
        #expect(gaps.map { Gap.fillability(of: $0, firstSeen: now, now: now, writers: writers) } == [.permanent, .permanent])
        #expect(try await reader.softDeletedStreams() == ["Account-acc3"])
    }

    @Test func checkpointsLeasesAndStatuses() async throws {
        let database = try await TestDatabase.wakuFixture()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let checkpoints = try await reader.checkpoints()
        #expect(checkpoints.map(\.projectionName) == ["account_balances", "lagging_counter", "order_summary"])
        #expect(checkpoints.map(\.position) == [9, 1, 8])
        #expect(checkpoints.first?.updatedAt == StoreTime(text: "2026-11-22T11:36:03.590510Z"))

        let leases = try await reader.leases()
        #expect(leases.map(\.projectionName) == ["lagging_counter", "order_summary"])
        #expect(leases.map(\.holderId) == ["worker-dead", "worker-7f3a"])
        #expect(leases.last?.expiresAt == StoreTime(text: "2099-10-10T20:29:23.626471Z"))

        // order_summary takes two types: nothing pending for it, though head - checkpoint = 1.
        let request = ProgressRequest(eventTypes: ["order_summary": ["OrderPlaced", "OrderShipped"]])
        let statuses = try await reader.projectionStatuses(now: .now(), request: request)
        let byName = Dictionary(uniqueKeysWithValues: statuses.map { ($0.name, $0) })
        let orders = try #require(byName["order_summary"])
        #expect(orders.head - orders.checkpoint.position == 1)
        #expect(orders.pending == PendingCount(count: 0, isCapped: false))
        #expect(orders.state == .caughtUp)
        #expect(orders.leaseExpired == false)
        // Without the types, the event at 9 (MoneyDeposited) counts.
        let untyped = try await reader.projectionStatuses(now: .now())
        #expect(untyped.first { $0.name == "order_summary" }?.pending.count == 1)

        let lagging = try #require(byName["lagging_counter"])
        #expect(lagging.pending.count == 5)  // 2, 4, 7, 8, 9: the deleted stream's 5 and 6 are not pending
        #expect(lagging.leaseExpired == true)
        #expect(lagging.state == .leaseExpired)
        #expect(byName["account_balances"]?.state == .caughtUp)
        #expect(byName["account_balances"]?.lease == nil)
        // The runner's tables are absent from a waku app's store.
        #expect(try await reader.runnerStatuses() == nil)
        #expect(try await reader.commandRequests(projection: nil, limit: 10) == nil)
    }

    @Test func theSnapshotAndTheStreams() async throws {
        let database = try await TestDatabase.wakuFixture()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let snapshots = try await reader.snapshots(after: nil, limit: 10)
        #expect(snapshots.count == 1)
        let snapshot = try #require(snapshots.first)
        #expect((snapshot.streamId, snapshot.version, snapshot.stateType, snapshot.schemaVersion) == ("Account-acc1", 2, "BankAccount", 1))
        // jsonb comes back re-serialised by the server: same members, PostgreSQL's order and spacing.
        #expect(try JSONValue.parse(snapshot.state) == JSONValue.object(["owner": .string("alice"), "balance": .int(150)]))

        let streams = try await reader.streams(StreamQuery(limit: 10))
        #expect(streams.map(\.id) == ["Account-acc1", "Account-acc2", "Account-acc3", "Order-o1"])
        #expect(streams.map(\.version) == [2, 1, 1, 1])
        #expect(streams.map(\.isDeleted) == [false, false, true, false])
        #expect(try await reader.stream(id: "Account-ghost") == nil)
        #expect(try await reader.streams(StreamQuery(filter: .category("Order"))).map(\.id) == ["Order-o1"])
        #expect(try await reader.countStreams(.category("Account"), cap: 100) == PendingCount(count: 3, isCapped: false))
        #expect(try await reader.eventTypes(prefix: "Order", limit: 10) == ["OrderPlaced", "OrderShipped"])
    }

    @Test func eventsDecodeIntact() async throws {
        let database = try await TestDatabase.wakuFixture()
        let reader = try await PostgresStoreReader.open(test: database.url)
        defer { Task { await reader.close(); try? await database.drop() } }
        let visible = try await reader.log(LogQuery(limit: 50))
        #expect(visible.map(\.globalPosition) == [0, 1, 2, 4, 7, 8, 9])
        let all = try await reader.log(LogQuery(limit: 50, includeHidden: true))
        #expect(all.filter(\.isHidden).map(\.globalPosition) == [5, 6])

        let first = try #require(visible.first)
        #expect(first.eventId == "c200d57e-4ed1-4cbf-9059-dee362db0488")
        #expect(first.envelope?.correlationId == "corr-1")
        #expect(first.envelope?.causationId == "cmd-1")
        #expect(first.timestamp == StoreTime(text: "2026-11-22T11:36:03.504422Z"))
        #expect(first.problems.isEmpty)
        #expect(visible[1].schemaVersion == 2)
        #expect(visible[1].idempotencyKey == "dep-acc1-1")

        let order = try #require(try await reader.event(at: 7))
        #expect(order.problems.isEmpty)
        guard case .object(let members) = try JSONValue.parse(order.data) else { Issue.record("not an object: \(order.data)"); return }
        let data = Dictionary(uniqueKeysWithValues: members.map { ($0.key, $0.value) })
        #expect(data["customer"] == .string("Zoë Ångström"))
        #expect(data["city"] == .string("東京"))
        #expect(order.data.contains("gift 🎁"))
        #expect(try await reader.event(at: 3) == nil)
        let acc1 = try await reader.streamEvents(StreamEventsQuery(streamId: "Account-acc1", direction: .backwards, limit: 2))
        #expect(acc1.map(\.position) == [2, 1])
    }
}
