import Clocks
import DemoProjections
import EventStore
import Foundation
import GRDB
import ProjectionRunner
import ProjectionRunnerSQLite
import Testing
import TestSupport

/// The demo's `account_balances` on SQLite: a real read model, equal to a brute-force SQL sum over
/// the events, before and after a rebuild; amounts the store holds in any other shape are counted
/// as unreadable, never added and never a crash.
@Suite struct AccountBalancesTests {
    let wall = Timestamp(parsing: "2026-12-06T03:00:00Z")!

    @Test func theReadModelEqualsABruteForceSumOnTheDemoStoreAndAfterARebuild() async throws {
        let demo = try await DemoFixture.standardStore
        let store = try TestStore(copying: demo.path)
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [AccountBalances()], clock: clock, wallStart: .now())
        let lastAccountEvent = try #require(try await store.queue.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MAX(global_position) FROM es_events e WHERE event_type IN ('AccountOpened', 'MoneyDeposited', 'MoneyWithdrawn')
                AND EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
                """)
        })
        try await drive(&session, clock) { s in try store.checkpoint("account_balances") == lastAccountEvent && s.idleCycles(of: "account_balances")! > 0 }
        let expected = try await store.queue.read { db in try AccountBalancesBruteForce.expected(db, through: lastAccountEvent) }
        #expect(expected.count > 500)
        #expect(expected.contains { Int64($0[1])! < 0 } && expected.contains { Int64($0[1])! > 0 }, "overdrawn and positive accounts")
        #expect(try await store.queue.read(AccountBalancesBruteForce.actual) == expected)

        let id = try store.request("account_balances")
        try await drive(&session, clock) { _ in try store.command(id).status == "done" }
        try await drive(&session, clock) { s in s.idleCycles(of: "account_balances")! > 0 }
        #expect(try await store.queue.read(AccountBalancesBruteForce.actual) == expected)
    }

    @Test func amountsInAnyOtherShapeAreCountedAsUnreadable() async throws {
        let store = try TestStore()
        let events: [(String, String, String)] = [
            ("Account-1", "AccountOpened", #"{"account_id": "1"}"#),
            ("Account-1", "MoneyDeposited", #"{"amount": 12.5}"#),
            ("Account-1", "MoneyDeposited", #"{"amount": {"value": "3", "currency": "EUR"}}"#),
            ("Account-1", "MoneyWithdrawn", #"{"amount": "0.75"}"#),
            ("Account-1", "MoneyDeposited", #"{"amount": "NaN"}"#),
            ("Account-1", "MoneyDeposited", "not json"),
            ("Account-1", "MoneyDeposited", #"{"amount": true}"#),
            ("Account-1", "MoneyDeposited", #"{"amount": "1.234"}"#),
            ("Account-1", "MoneyDeposited", #"{"amount": 1e300}"#),
            ("Account-2", "MoneyWithdrawn", #"{"amount": {"value": null}}"#),
            ("Account-1", "MoneyDeposited", "[1, 2]"),
            ("Account-1", "MoneyDeposited", #"{"amount": " 5"}"#),
            ("Account-1", "MoneyDeposited", #"{"amount": "1e3"}"#),
            ("Account-2", "MoneyDeposited", #"{"amount": "-2.05"}"#),
        ]
        try await store.queue.write { db in
            for (position, (stream, type, data)) in events.enumerated() {
                try db.execute(sql: "INSERT OR IGNORE INTO es_streams VALUES (?, 'Account', -1, ?, ?, NULL)", arguments: [stream, wall.iso8601, wall.iso8601])
                try db.execute(sql: WakuSchema.insertEvent, arguments: [position, "ev-\(position)", stream, type, position, data, "{}",
                                                                        wall.iso8601, 1, "k-\(position)"])
            }
        }
        let clock = TestClock()
        var session = try await makeRunner(store, projections: [AccountBalances()], clock: clock, wallStart: wall)
        try await drive(&session, clock) { _ in try store.checkpoint("account_balances") == Int64(events.count - 1) }
        // By hand: 12.50 + 3.00 − 0.75 on Account-1, eight unreadable amounts; −2.05 deposited (a
        // readable, if odd, amount) and one unreadable withdrawal on Account-2.
        #expect(try await store.queue.read(AccountBalancesBruteForce.actual)
                == [["\"Account-1\"", "1475", "2", "1", "8", "12"], ["\"Account-2\"", "-205", "1", "0", "1", "13"]])
    }
}
