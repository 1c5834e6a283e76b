import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

extension LiveProcessTests {
    /// `eventscope runner` as real processes on one store: lease exclusion, SIGKILL of the holder,
    /// SIGTERM's graceful end. Time here is real (processes), so every step waits on a condition.
    @Suite struct RunnerProcessTests {
        static let counted = """
            SELECT e.stream_id, e.event_type, COUNT(*), MAX(e.global_position) FROM es_events e
            WHERE EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
            GROUP BY 1, 2 ORDER BY 1, 2
            """

        static func table(_ queue: DatabaseQueue, _ sql: String) throws -> [[String]] {
            try queue.read { db in try Row.fetchAll(db, sql: sql).map { $0.databaseValues.map { String(describing: $0) } } }
        }

        static func value<T: DatabaseValueConvertible>(_ queue: DatabaseQueue, _ sql: String) -> T? {
            try? queue.read { db in try T.fetchOne(db, sql: sql) }
        }

        @Test func sigkillOfTheHolderLetsTheOtherTakeOverWithoutLossOrDoubleApply() async throws {
            let demo = try await DemoFixture.standardStore
            let directory = TemporaryDirectory("eventscope-runners")
            defer { directory.remove() }
            let path = directory.file("store.db")
            try FileManager.default.copyItem(atPath: demo.path, toPath: path)
            let queue = try DatabaseQueue(path: path)
            let arguments = ["runner", path, "--projection", "event_counter", "--lease-ttl", "2", "--poll-max", "0.5"]
            let first = try startEventscope(arguments, stderr: directory.file("first.log"))
            defer { first.signal(SIGKILL) }
            let holderOf = { () -> String? in Self.value(queue, "SELECT holder_id FROM es_projection_leases WHERE projection_name = 'event_counter'") }
            let checkpoint = { () -> Int64? in Self.value(queue, "SELECT position FROM es_checkpoints WHERE projection_name = 'event_counter'") }
            let visibleHead: Int64 = Self.value(queue, """
                SELECT MAX(e.global_position) FROM es_events e
                WHERE EXISTS (SELECT 1 FROM es_streams s WHERE s.stream_id = e.stream_id AND s.deleted_at IS NULL)
                """) ?? -1
            try await wait(until: "the first runner holds the lease and is caught up", timeout: .seconds(120)) {
                holderOf()?.hasSuffix("-\(first.pid)") == true && checkpoint() == visibleHead
            } seen: { "holder \(holderOf() ?? "none"), checkpoint \(checkpoint() ?? -1): \(lines(of: directory.file("first.log")).suffix(3))" }

            let second = try startEventscope(arguments, stderr: directory.file("second.log"))
            defer { second.signal(SIGKILL) }
            // The second one starts, tries, and stays off while the first one renews.
            try await wait(until: "the second runner is serving", timeout: .seconds(60)) {
                lines(of: directory.file("second.log")).contains { $0.contains("serving event_counter") }
            }
            let start = ContinuousClock.now
            try await wait(until: "three lease periods pass with the first runner holding", timeout: .seconds(60)) {
                #expect(holderOf()?.hasSuffix("-\(first.pid)") == true, "only the first runner holds the lease while it lives")
                return ContinuousClock.now - start > .seconds(6)
            }
            #expect(!lines(of: directory.file("second.log")).contains { $0.contains("acquired") })

            // More events, then the holder dies without a word.
            let head: Int64 = Self.value(queue, "SELECT MAX(global_position) FROM es_events") ?? 0
            try await queue.write { db in
                let now = Timestamp.now().iso8601
                try db.execute(sql: "INSERT INTO es_streams VALUES ('Account-takeover', 'Account', 39, ?, ?, NULL)", arguments: [now, now])
                for i in 0..<40 {
                    try db.execute(sql: WakuSchema.insertEvent, arguments: [head + 1 + Int64(i), "ev-takeover-\(i)", "Account-takeover",
                                                                          i == 0 ? "AccountOpened" : "MoneyDeposited", i, "{}", "{}", now, 1, "k-\(i)"])
                }
            }
            first.signal(SIGKILL)
            #expect(try await first.exitStatus() == 128 + SIGKILL)
            try await wait(until: "the second runner takes over and reaches the new head", timeout: .seconds(120)) {
                holderOf()?.hasSuffix("-\(second.pid)") == true && checkpoint() == head + 40
            } seen: { "holder \(holderOf() ?? "none"), checkpoint \(checkpoint() ?? -1)" }
            #expect(try Self.table(queue, "SELECT stream_id, event_type, events, last_position FROM demo_event_counts ORDER BY 1, 2")
                    == Self.table(queue, Self.counted))

            // SIGTERM: a graceful end that releases the lease and says stopped.
            second.signal(SIGTERM)
            #expect(try await second.exitStatus() == 0)
            #expect(holderOf() == nil)
            let state: String? = Self.value(queue, "SELECT state FROM es_projection_status WHERE projection_name = 'event_counter'")
            #expect(state == "stopped")
        }

        @Test func badInputIsOneLineAndStatusTwo() async throws {
            let missing = try await runEventscope(["runner", "/nonexistent/store.db"])
            #expect(missing.status == 2)
            #expect(missing.stderr.split(separator: "\n").count == 1, "\(missing.stderr)")
            let unknown = try await runEventscope(["runner", "/tmp", "--projection", "nope"])
            #expect(unknown.status == 2)
            #expect(unknown.stderr.contains("no projection named nope"))
            let help = try await runEventscope(["runner", "--help"])
            #expect(help.status == 0)
            #expect(help.stdout.contains("--lease-ttl") && help.stdout.contains("--gap-timeout"))
        }
    }
}
