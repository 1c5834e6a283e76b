import Clocks
import DemoProjections
import EventStore
import Foundation
import GRDB
import ProjectionRunner
import ProjectionRunnerSQLite
import Testing
import TestSupport

/// The demo's story projections: `order_summary` meets the live writer's poison event and skips
/// it (policy `skip`), `type_hours` holds at a gap for its longer timeout, `shipment_tracker`
/// paces itself so it is seen catching up.
@Suite struct DemoStoryTests {
    let wall = Timestamp(parsing: "2026-12-06T03:00:00Z")!

    @Test func orderSummarySkipsThePoisonBatchCountsItAndGoesOn() async throws {
        let store = try TestStore()
        try store.append([0, 1], type: "OrderPlaced", stream: "Order-1", at: wall)
        try store.append([2], type: "ItemAdded", stream: "Order-1", at: wall)
        try await store.queue.write { db in
            try db.execute(sql: WakuSchema.insertEvent, arguments: [3, "poison-3", "Order-1", "OrderPaid", 3,
                                                                    #"{"poison": "unreadable"}"#, "{}", wall.iso8601, 1, "k-poison"])
        }
        let clock = TestClock()
        let options = ProjectionOptions(batchSize: 2, maxRetries: 0)  // no backoff: its retries sleep inside step()
        var session = try await makeRunner(store, projections: [OrderSummary(options: options)], clock: clock, wallStart: wall)
        try await drive(&session, clock) { _ in try store.checkpoint("order_summary") == 3 }
        try store.append([4], type: "OrderShipped", stream: "Order-2", at: wall)
        try await drive(&session, clock) { _ in try store.checkpoint("order_summary") == 4 }
        let status = try #require(try store.status("order_summary"))
        #expect(status["skipped_batches"] as Int64 == 1)
        #expect(status["last_error_position"] as Int64 == 3)
        #expect((status["last_error"] as String).contains("poison"))
        #expect(try store.rows("SELECT first_position, last_position FROM demo_order_summary_skips") == [["3", "3"]])
        // ItemAdded is not an order status: the filter keeps it out; the poison never lands.
        #expect(try store.rows("SELECT stream_id, status, events FROM demo_order_summary ORDER BY 1") == [[#""Order-1""#, #""placed""#, "2"], [#""Order-2""#, #""shipped""#, "1"]])
    }

    @Test func typeHoursHoldsAtAGapForItsLongerTimeout() async throws {
        let store = try TestStore()
        try store.append([0, 1], type: "AccountOpened", stream: "Account-1", at: wall)
        try store.append([3], type: "MoneyDeposited", stream: "Account-1", at: wall)
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [TypeHours()], clock: clock, wallStart: wall)
        await drive(&session, clock, for: .seconds(20))
        #expect(try store.checkpoint("type_hours") == 1, "still held at the missing position 2 after 20 s")
        try await drive(&session, clock) { _ in try store.checkpoint("type_hours") == 3 }
        #expect(try store.rows("SELECT hour, event_type, events FROM demo_type_hours ORDER BY 2")
                == [[#""2026-12-06T03""#, #""AccountOpened""#, "2"], [#""2026-12-06T03""#, #""MoneyDeposited""#, "1"]])
    }

    @Test func shipmentTrackerPausesAfterEachBatchWhereTheCounterGoesOnAtOnce() async throws {
        let store = try TestStore()
        try store.append(Array(0..<30), type: "ShipmentCreated", stream: "Shipment-1", at: wall)
        let all = DemoProjections.all(options: ProjectionOptions(batchSize: 10))
        let tracker = try #require(all.first { $0.name == "shipment_tracker" })
        let counter = try #require(all.first { $0.name == "event_counter" })
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [tracker, counter], clock: clock, wallStart: wall)
        try await drive(&session, clock) { _ in try store.checkpoint("shipment_tracker") == 9 }
        #expect(try store.checkpoint("event_counter") == 9)
        let counterDone = try await drive(&session, clock) { _ in try store.checkpoint("event_counter") == 29 }
        #expect(counterDone == 0, "full batches follow each other at once")
        #expect(try store.checkpoint("shipment_tracker") == 9)
        let second = try await drive(&session, clock) { _ in try store.checkpoint("shipment_tracker") == 19 }
        #expect(second == DemoProjections.shipmentTrackerPause.seconds)
        let third = try await drive(&session, clock) { _ in try store.checkpoint("shipment_tracker") == 29 }
        #expect(third == DemoProjections.shipmentTrackerPause.seconds)
    }
}
