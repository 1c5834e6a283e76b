import EventStore
import Foundation
import SQLiteStore
import TestSupport
import Testing

/// A small store an eventscope runner serves: events 0…9 of two types, checkpoints `orders` (at 4)
/// and `all` (at 9), the runner's tables (unless `runnerTables` is false) and a status row for each.
func servedStore(in directory: TemporaryDirectory, runnerTables: Bool = true) throws -> String {
    let path = directory.file("served.db")
    let builder = try WakuStoreBuilder(path: path)
    try builder.stream("Order-1", version: 9)
    for p in 0...9 { try builder.event(GlobalPosition(p), stream: "Order-1", position: Int64(p), type: p % 2 == 0 ? "OrderPlaced" : "OrderPaid") }
    try builder.checkpoint("orders", at: 4)
    try builder.checkpoint("all", at: 9)
    try builder.close()
    if runnerTables {
        let runner = try RunnerStandIn(path: path)
        try runner.status("orders", state: "running", checkpoint: 4, eventTypes: ["OrderPlaced"], eventsPerSecond: 250)
        try runner.status("all", state: "running", checkpoint: 9, eventsPerSecond: 1_000)
        try runner.close()
    }
    return path
}

/// The requests in a store, newest first, as the read-only adapter reads them.
func requests(in path: String, projection: String? = nil) async throws -> [CommandRequest] {
    try await SQLiteStoreReader.open(path: path).commandRequests(projection: projection, limit: 1_000) ?? []
}

/// A table line's cells: the text between runs of two or more spaces.
func cells(_ line: String) -> [String] {
    line.split(separator: "  ", omittingEmptySubsequences: true).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// The one line a refusal prints on standard error.
func oneLine(_ text: String) -> Bool { text.hasSuffix("\n") && text.dropLast().split(separator: "\n").count == 1 }

@Suite struct RebuildRequestCLITests {
    @Test func aConfirmedRequestIsFiledAndItsIdPrinted() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory)
        let plain = try await runEventscope(["rebuild", path, "orders", "--yes", "--requested-by", "ops@ci"])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.hasPrefix("filed request #1: rebuild orders (pending)"), "\(plain.stdout)")
        // Taken either side of the run, so the check holds however long a loaded machine takes.
        let before = Timestamp.now()
        let json = try await runEventscope(["rebuild", path, "orders", "--yes", "--requested-by", "ops@ci", "--json"])
        let after = Timestamp.now()
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try parseJSON(json.stdout) as? [String: Any])
        #expect(object["id"] as? Int == 2 && object["status"] as? String == "pending" && object["projection_name"] as? String == "orders")
        #expect(object["requested_by"] as? String == "ops@ci" && object["command"] as? String == "rebuild")
        let filed = try await requests(in: path)
        #expect(filed.map(\.id) == [2, 1] && filed.allSatisfy { $0.status == .pending && $0.requestedBy == "ops@ci" })
        // Dated now, in UTC: between the moments taken before and after the command (the stored
        // text may be cut to whole seconds, so the lower bound is the second `before` falls in).
        let filedAt = try #require(filed.first?.requestedAt.timestamp)
        let second = before.microseconds - before.microseconds % 1_000_000
        #expect(filedAt.microseconds >= second && filedAt <= after, "filed at \(filedAt.iso8601), run between \(before.iso8601) and \(after.iso8601)")
    }

    @Test func withoutATerminalItRefusesUnlessYes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory)
        let result = try await runEventscope(["rebuild", path, "orders"])
        #expect(result.status == 2)
        #expect(oneLine(result.stderr) && result.stderr.contains("pass --yes") && result.stderr.contains("nothing was filed"), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        #expect(try await requests(in: path).isEmpty)
    }

    @Test func anUnknownProjectionIsOneLineAndWritesNothing() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory)
        let result = try await runEventscope(["rebuild", path, "ordres", "--yes"])
        #expect(result.status == 2)
        #expect(oneLine(result.stderr) && result.stderr.contains(#"no projection "ordres""#) && result.stderr.contains("projections: all, orders"),
                "\(result.stderr)")
        #expect(try await requests(in: path).isEmpty)
    }

    /// No runner table: `rebuild` says no runner serves the store and writes nothing (the file's
    /// bytes stay the same, no table appears); `commands` says no request has been filed, status 0.
    @Test func aStoreNoRunnerServesIsRefusedAndLeftUntouched() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory, runnerTables: false)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let result = try await runEventscope(["rebuild", path, "orders", "--yes"])
        #expect(result.status == 2)
        #expect(oneLine(result.stderr) && result.stderr.contains("no eventscope runner serves this store")
            && result.stderr.contains("eventscope runner \(path)"), "\(result.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
        // (The read-only adapter, run as the owner, may leave its empty -wal/-shm, as every read
        // command does; the request connection itself leaves nothing: `RequestConnectionTests`.)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") } == ["served.db"])
        #expect(try await SQLiteStoreReader.open(path: path).commandRequests(projection: nil, limit: 1) == nil, "no table was created")

        let commands = try await runEventscope(["commands", path])
        #expect(commands.status == 0 && commands.stdout.isEmpty)
        #expect(commands.stderr.contains("no requests have been filed"), "\(commands.stderr)")
        let json = try await runEventscope(["commands", path, "--json"])
        let object = try #require(try parseJSON(json.stdout) as? [String: Any])
        #expect(json.status == 0 && (object["requests"] as? [Any])?.isEmpty == true && object["commands_table"] as? Bool == false)
    }

    @Test func requestedByDefaultsToUserAtHost() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory)
        let result = try await runEventscope(["rebuild", path, "all", "--yes"], environment: ["USER": "alice"])
        #expect(result.status == 0, "\(result.stderr)")
        var host = [CChar](repeating: 0, count: 256)
        try #require(gethostname(&host, host.count) == 0)
        let name = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        #expect(try await requests(in: path).first?.requestedBy == "alice@\(name)")
    }

    /// The audit trail: newest first, who, when, how it ended, how long it took, and the detail.
    @Test func commandsListsTheRequestsNewestFirstWithTheirOutcome() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory)
        let runner = try RunnerStandIn(path: path)
        let t0 = Timestamp(parsing: "2026-11-20T10:00:00.000000Z")!
        let done = try runner.request("orders", by: "ann@box", at: t0)
        try runner.answer(done, status: "running", at: t0.adding(seconds: 2))
        try runner.answer(done, status: "done", detail: "replayed 5 events", at: t0.adding(seconds: 14.5))
        let failed = try runner.request("all", by: "bob@box", at: t0.adding(seconds: 60))
        try runner.answer(failed, status: "running", at: t0.adding(seconds: 61))
        try runner.answer(failed, status: "failed", detail: "apply failed at 7: boom", at: t0.adding(seconds: 62))
        let rejected = try runner.request("ghost", by: "eve@box", at: t0.adding(seconds: 120))
        try runner.answer(rejected, status: "rejected", detail: "no projection named ghost", at: t0.adding(seconds: 121))
        let pending = try runner.request("orders", by: "ann@box", at: t0.adding(seconds: 180))
        try runner.close()

        let table = try await runEventscope(["commands", path])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(cells(lines[0]) == ["ID", "PROJECTION", "COMMAND", "REQUESTED BY", "REQUESTED (UTC)", "STATUS", "STARTED", "FINISHED",
                                    "TOOK", "DETAIL"], "\(table.stdout)")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix(" \(pending)  orders") && lines[1].contains("pending"))
        #expect(lines[2].contains("ghost") && lines[2].contains("rejected") && lines[2].hasSuffix("no projection named ghost"))
        #expect(lines[3].contains("bob@box") && lines[3].contains("2026-11-20 10:01:00") && lines[3].contains("1.0s")
            && lines[3].hasSuffix("apply failed at 7: boom"))
        #expect(lines[4].contains("ann@box") && lines[4].contains("2026-11-20 10:00:02") && lines[4].contains("2026-11-20 10:00:14")
            && lines[4].contains("12s") && lines[4].hasSuffix("replayed 5 events"))

        let json = try await runEventscope(["commands", path, "--json", "--projection", "orders"])
        #expect(json.status == 0, "\(json.stderr)")
        let object = try #require(try parseJSON(json.stdout) as? [String: Any])
        let items = try #require(object["requests"] as? [[String: Any]])
        #expect(items.map { $0["id"] as? Int } == [Int(pending), Int(done)])
        #expect(object["truncated"] as? Bool == false && object["commands_table"] as? Bool == true)
        let first = try #require(items.last)
        #expect(first["status"] as? String == "done" && first["requested_by"] as? String == "ann@box")
        #expect(first["requested_at"] as? String == "2026-11-20T10:00:00.000000Z" && first["finished_at"] as? String == "2026-11-20T10:00:14.500000Z")
        #expect(first["duration_seconds"] as? Double == 12.5 && first["detail"] as? String == "replayed 5 events")
        #expect(items.first?["started_at"] is NSNull && items.first?["duration_seconds"] is NSNull)

        let limited = try await runEventscope(["commands", path, "--json", "--limit", "2"])
        let page = try #require(try parseJSON(limited.stdout) as? [String: Any])
        #expect((page["requests"] as? [Any])?.count == 2 && page["truncated"] as? Bool == true)
        #expect(limited.stderr.contains("more: --limit 4"))
    }

    /// `projections` adds the runner's view where a runner serves the store, and keeps every
    /// existing column and key; on a store no runner serves, the table is as it always was.
    @Test func projectionsShowsTheRunnersView() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory)
        let runner = try RunnerStandIn(path: path)
        try runner.status("all", state: "rebuilding", checkpoint: 4, eventsPerSecond: 2.5, rebuildTarget: 9)
        try runner.status("orders", state: "failed", checkpoint: 4, eventTypes: ["OrderPlaced"], lastError: "division by zero",
                          lastErrorPosition: 6, skippedBatches: 3)
        let id = try runner.request("orders")
        try runner.answer(id, status: "running")
        try runner.close()

        let table = try await runEventscope(["projections", path])
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("PROJECTION  STATUS") == true)
        #expect(cells(lines[0]) == ["PROJECTION", "STATUS", "CHECKPOINT", "HEAD", "PENDING", "UPDATED", "LEASE HOLDER", "LEASE",
                                    "RUNNER", "EV/S", "REBUILD", "REQUEST", "SKIPPED", "LAST ERROR"], "\(table.stdout)")
        let all = try #require(lines.first { $0.hasPrefix("all ") })
        // Checkpoint 4 of target 9: 5 of 10 positions, 5 left at 2.5 events/s.
        #expect(all.contains("rebuilding") && all.contains("50% ETA 2.0s"), "\(all)")
        let orders = try #require(lines.first { $0.hasPrefix("orders ") })
        #expect(orders.contains("failed") && orders.contains("#1 running") && orders.contains("@6 division by zero"), "\(orders)")
        // Pending counts the runner's types: OrderPlaced after 4 is 6 and 8.
        #expect(orders.split(separator: " ", omittingEmptySubsequences: true)[4] == "2", "\(orders)")

        let json = try await runEventscope(["projections", path, "--json"])
        let items = try #require(try parseJSON(json.stdout) as? [[String: Any]])
        let allJSON = try #require(items.first { $0["name"] as? String == "all" })
        for key in ["name", "status", "checkpoint", "head", "pending", "pending_capped", "lag_positions", "next_visible", "updated_at",
                    "updated_age_seconds", "lease", "runner", "rebuild", "latest_request"] {
            #expect(allJSON.keys.contains(key), "missing \(key)")
        }
        let rebuild = try #require(allJSON["rebuild"] as? [String: Any])
        #expect(rebuild["target"] as? Int == 9 && rebuild["checkpoint"] as? Int == 4 && rebuild["fraction"] as? Double == 0.5)
        #expect(rebuild["eta_seconds"] as? Double == 2.0)
        let ordersJSON = try #require(items.first { $0["name"] as? String == "orders" })
        let runnerJSON = try #require(ordersJSON["runner"] as? [String: Any])
        #expect(runnerJSON["state"] as? String == "failed" && runnerJSON["last_error"] as? String == "division by zero")
        #expect(runnerJSON["last_error_position"] as? Int == 6 && runnerJSON["skipped_batches"] as? Int == 3)
        #expect(runnerJSON["event_types"] as? [String] == ["OrderPlaced"] && ordersJSON["pending"] as? Int == 2)
        #expect((ordersJSON["latest_request"] as? [String: Any])?["status"] as? String == "running")
        #expect(ordersJSON["rebuild"] is NSNull)

        let bare = TemporaryDirectory()
        defer { bare.remove() }
        let wakuPath = try servedStore(in: bare, runnerTables: false)
        let wakuTable = try await runEventscope(["projections", wakuPath])
        #expect(cells(String(wakuTable.stdout.split(separator: "\n")[0]))
            == ["PROJECTION", "STATUS", "CHECKPOINT", "HEAD", "PENDING", "UPDATED", "LEASE HOLDER", "LEASE"])
        let wakuJSON = try #require(try parseJSON(try await runEventscope(["projections", wakuPath, "--json"]).stdout) as? [[String: Any]])
        #expect(wakuJSON.allSatisfy { $0["runner"] is NSNull && $0["latest_request"] is NSNull && $0["rebuild"] is NSNull })
    }

    /// Runner tables another program filled with values of the wrong type: every command that
    /// reads them answers, with the broken values marked (`⚠`, `<field>_error`).
    @Test func hostileRunnerTablesNeverBreakTheCommands() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try servedStore(in: directory, runnerTables: false)
        let runner = try RunnerStandIn(path: path, createTables: false)
        try runner.execute("CREATE TABLE es_projection_status (projection_name, state, holder_id, heartbeat_at, checkpoint, event_types, events_per_second, last_error, last_error_position, skipped_batches, rebuild_target, rebuild_started_at, updated_at)")
        try runner.execute("CREATE TABLE es_projection_commands (id INTEGER PRIMARY KEY AUTOINCREMENT, projection_name, command, requested_by, requested_at, status, started_at, finished_at, detail)")
        try runner.execute("""
            INSERT INTO es_projection_status VALUES
              ('orders', CAST(x'ff72' AS TEXT), x'00', 'never', 'abc', '{"not": "an array"}', 1e999, CAST(x'c3' AS TEXT), 'x', 'y', 'z', 1, 2),
              ('all', 'rebuilding', NULL, NULL, 4.5, 'garbage', 'fast', NULL, NULL, NULL, 9, NULL, NULL)
            """)
        try runner.execute("""
            INSERT INTO es_projection_commands (projection_name, command, requested_by, requested_at, status, started_at, finished_at, detail) VALUES
              ('orders', 'rebuild', NULL, 'soon', 'queued', x'ff', 'later', CAST(x'ff00' AS TEXT)),
              (CAST(x'ff' AS TEXT), 7, 'x', 1795000000, NULL, NULL, NULL, NULL)
            """)
        try runner.close()
        for command in [["projections", path], ["commands", path]] {
            let text = try await runEventscope(command)
            #expect(text.status == 0, "\(command): \(text.stderr)")
            #expect(text.stdout.contains(ValueProblem.marker), "\(command): \(text.stdout)")
            let json = try await runEventscope(command + ["--json"])
            #expect(json.status == 0, "\(command) --json: \(json.stderr)")
            #expect((try? parseJSON(json.stdout)) != nil, "\(command) --json is not JSON: \(json.stdout)")
            #expect(json.stdout.contains("_error"), "\(command) --json marks no broken value: \(json.stdout)")
        }
        let json = try #require(try parseJSON(try await runEventscope(["commands", path, "--json"]).stdout) as? [String: Any])
        let items = try #require(json["requests"] as? [[String: Any]])
        let orders = try #require(items.first { $0["projection_name"] as? String == "orders" })
        #expect(orders["requested_by_error"] != nil && orders["requested_at_error"] != nil && orders["detail_error"] != nil)
        #expect(orders["status"] as? String == "queued")
        let rebuild = try await runEventscope(["rebuild", path, "orders", "--yes"])
        #expect(rebuild.status == 0, "\(rebuild.stderr)")
    }
}
