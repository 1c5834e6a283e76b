import Clocks
import DemoProjections
import EventStore
import Foundation
import PostgresNIO
import ProjectionRunner
import ProjectionRunnerPostgres
import Testing
import TestSupport

extension PostgresTestStore {
    /// Appends one event of `type` with `data` to `stream` (created when missing).
    func append(_ type: String, stream: String, data: String) async throws {
        try await execute("INSERT INTO es_streams (stream_id, stream_type, version) VALUES (\(stream), 'T', 0) ON CONFLICT DO NOTHING")
        try await execute("""
            INSERT INTO es_events (event_id, stream_id, event_type, position, data, metadata, timestamp, idempotency_key)
            SELECT gen_random_uuid(), \(stream), \(type), COALESCE(max(position), -1) + 1, \(data)::jsonb, '{}', now(), gen_random_uuid()::text
            FROM es_events WHERE stream_id = \(stream)
            """)
    }

    func head() async throws -> Int64 {
        Int64(try await texts("SELECT max(global_position)::text FROM es_events")[0][0])!
    }
}

/// The demo's account_balances, order_summary and type_hours on PostgreSQL: the same read models
/// as on SQLite, checked against facts known by hand or computed by SQL.
@Suite(.serialized) struct PostgresDemoProjectionTests {
    let wall = Timestamp(parsing: "2026-12-06T02:00:00Z")!

    @Test func accountBalancesAddUpTheMoneyEventsAndARebuildGivesTheSame() async throws {
        let store = try await PostgresTestStore.make("balances")
        defer { Task { await store.close() } }
        try await store.append("AccountOpened", stream: "Account-1", data: #"{"account_id": "1"}"#)
        try await store.append("MoneyDeposited", stream: "Account-1", data: #"{"amount": 10.00, "reference": "r"}"#)
        try await store.append("AccountOpened", stream: "Account-2", data: #"{"account_id": "2"}"#)
        try await store.burnPosition()
        try await store.append("MoneyDeposited", stream: "Account-1", data: #"{"amount": {"value": "2.50", "currency": "EUR"}}"#)
        try await store.append("MoneyWithdrawn", stream: "Account-2", data: #"{"amount": 5}"#)
        try await store.append("OrderPlaced", stream: "Order-1", data: #"{"amount": 99}"#)
        try await store.append("MoneyDeposited", stream: "Account-2", data: #"{"amount": "NaN"}"#)
        try await store.append("MoneyDeposited", stream: "Account-3", data: #"{"amount": 7}"#)
        try await store.execute("UPDATE es_streams SET deleted_at = now() WHERE stream_id = 'Account-3'")
        try await store.append("MoneyWithdrawn", stream: "Account-1", data: #"{"amount": "1.25"}"#)
        let head = try await store.head()
        // balance, deposits, withdrawals, unreadable: by hand. Account-3 is deleted, Order-1 not an account event.
        let expected = [["Account-1", "1125", "2", "1", "0", String(head)], ["Account-2", "-500", "0", "1", "1", String(head - 2)]]
        let balances = { try await store.texts("SELECT stream_id, balance_cents::text, deposits::text, withdrawals::text, unreadable::text, last_position::text FROM demo_account_balances ORDER BY 1") }

        let clock = TestClock()
        var session = try await store.session(clock: clock, wall: wall, projections: [PostgresAccountBalances()])
        try await closing(session) {
            try await drive(&session, clock) { s in try await store.checkpoint("account_balances") == head && s.idleCycles(of: "account_balances")! > 0 }
            #expect(try await balances() == expected)
            let id = try await store.request("account_balances")
            try await drive(&session, clock) { _ in try await store.commandStatus(id).first == "done" }
            try await drive(&session, clock) { s in s.idleCycles(of: "account_balances")! > 0 }
            #expect(try await balances() == expected)
        }
    }

    @Test func orderSummarySkipsThePoisonEventAndGoesOn() async throws {
        let store = try await PostgresTestStore.make("orders")
        defer { Task { await store.close() } }
        try await store.append("OrderPlaced", stream: "Order-1", data: #"{"order_id": "1"}"#)
        try await store.append("ItemAdded", stream: "Order-1", data: #"{"sku": "x"}"#)
        try await store.append("OrderPaid", stream: "Order-1", data: #"{"poison": "unreadable"}"#)
        let poison = try await store.head()
        try await store.append("OrderShipped", stream: "Order-2", data: #"{"id": "2"}"#)
        let head = try await store.head()
        let clock = TestClock()
        // One event per batch, no retries (a retry's backoff would sleep inside step()).
        var session = try await store.session(clock: clock, wall: wall,
                                              projections: [PostgresOrderSummary(options: ProjectionOptions(batchSize: 1, maxRetries: 0))])
        try await closing(session) {
            try await drive(&session, clock) { _ in try await store.checkpoint("order_summary") == head }
            #expect(try await store.texts("SELECT stream_id, status, events::text FROM demo_order_summary ORDER BY 1")
                    == [["Order-1", "placed", "1"], ["Order-2", "shipped", "1"]])
            #expect(try await store.texts("SELECT first_position::text, last_position::text FROM demo_order_summary_skips")
                    == [[String(poison), String(poison)]])
            let status = try await store.texts("SELECT skipped_batches::text, last_error_position::text FROM es_projection_status WHERE projection_name = 'order_summary'")
            #expect(status == [["1", String(poison)]])
        }
    }

    /// A batch holding several events of one stream writes one row per stream (one statement per
    /// batch): the directory and the order summary end as brute-force SQL over the log says.
    @Test func aBatchWithManyEventsPerStreamEndsAsTheLogSays() async throws {
        let store = try await PostgresTestStore.make("batched")
        defer { Task { await store.close() } }
        for n in 0..<12 {
            let customer = "Customer-\(n % 3)", order = "Order-\(n % 4)"
            try await store.append(n % 2 == 0 ? "CustomerRegistered" : "AddressChanged", stream: customer, data: #"{"n": \#(n)}"#)
            try await store.append(["OrderPlaced", "OrderPaid", "OrderShipped"][n % 3], stream: order, data: #"{"n": \#(n)}"#)
            try await store.append("ItemAdded", stream: order, data: "{}")
        }
        try await store.execute("UPDATE es_streams SET deleted_at = now() WHERE stream_id = 'Customer-2'")
        let directory = try #require(DemoProjections.directories.first { $0.name == "customer_directory" })
        let clock = TestClock()
        var session = try await store.session(clock: clock, wall: wall, projections: [
            PostgresStreamDirectory(name: directory.name, eventTypes: directory.eventTypes), PostgresOrderSummary(),
        ])
        try await closing(session) {
            // Caught up: each has been idle once with every event of its types behind it.
            try await drive(&session, clock) { s in s.idleCycles(of: "customer_directory")! > 0 && s.idleCycles(of: "order_summary")! > 0 }
        }
        let visible = "EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)"
        func last(_ types: Set<String>) -> String {
            let list = types.sorted().map { "'\($0)'" }.joined(separator: ", ")
            return """
                SELECT e.stream_id, e.event_type, count(*) OVER w, e.global_position, e.data FROM es_events e
                WHERE e.event_type IN (\(list)) AND \(visible)
                WINDOW w AS (PARTITION BY e.stream_id)
                """
        }
        let directoryTruth = try await store.texts(PostgresQuery(unsafeSQL: """
            SELECT DISTINCT ON (t.stream_id) t.stream_id, t.event_type, t.count::text, t.global_position::text, t.data::text
            FROM (\(last(directory.eventTypes))) t ORDER BY t.stream_id, t.global_position DESC
            """))
        #expect(directoryTruth.count == 2, "Customer-0 and Customer-1; Customer-2 is deleted")
        #expect(try await store.texts(
            "SELECT stream_id, last_event, events::text, last_position::text, last_data FROM demo_customer_directory ORDER BY 1") == directoryTruth)
        let ordersTruth = try await store.texts(PostgresQuery(unsafeSQL: """
            SELECT DISTINCT ON (t.stream_id) t.stream_id, lower(substr(t.event_type, 6)), t.count::text, t.global_position::text
            FROM (\(last(OrderSummary.eventTypes))) t ORDER BY t.stream_id, t.global_position DESC
            """))
        #expect(ordersTruth.count == 4)
        #expect(try await store.texts("SELECT stream_id, status, events::text, last_position::text FROM demo_order_summary ORDER BY 1") == ordersTruth)
    }

    @Test func typeHoursWaitsItsLongerGapTimeoutThenCountsEveryEvent() async throws {
        let store = try await PostgresTestStore.make("hours")
        defer { Task { await store.close() } }
        try await store.append(2, type: "AccountOpened", stream: "Account-1")
        try await store.burnPosition()
        try await store.append(3, type: "MoneyDeposited", stream: "Account-1")
        let head = try await store.head()
        let clock = TestClock()
        var session = try await store.session(clock: clock, wall: .now(), projections: [PostgresTypeHours()])
        try await closing(session) {
            await drive(&session, clock, for: .seconds(20))
            #expect(try await store.checkpoint("type_hours") == 1, "still held at the burnt position after 20 s")
            try await drive(&session, clock) { _ in try await store.checkpoint("type_hours") == head }
            let expected = try await store.texts("""
                SELECT to_char(timestamp AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24'), event_type, count(*)::text FROM es_events GROUP BY 1, 2 ORDER BY 1, 2
                """)
            #expect(expected.count >= 2)
            #expect(try await store.texts("SELECT hour, event_type, events::text FROM demo_type_hours ORDER BY 1, 2") == expected)
        }
    }
}

/// Steps the session until the clock has moved by `duration` (never past it).
func drive(_ session: inout PGSession, _ clock: TestClock<Duration>, for duration: Duration) async {
    let end = clock.now.advanced(by: duration)
    while clock.now < end {
        let wait = await session.step()
        await clock.advance(by: min(max(wait, .milliseconds(1)), clock.now.duration(to: end)))
    }
}
