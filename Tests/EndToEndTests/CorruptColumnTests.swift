import EventStore
import Foundation
import GRDB
@testable import SQLiteStore
import TestSupport
import Testing

/// The corrupted-column sweep: every column of every waku table holds, in turn, each value a
/// store written by hand or by another program may hold, and every read command and every
/// explorer pane runs on it. None may crash; a broken value is shown broken.
@Suite struct CorruptColumnTests {
    /// Values SQLite lets any column hold (its type affinity converts some: a real in a TEXT
    /// column is stored as its text, an integer too large for INTEGER becomes a REAL).
    enum Hostile: String, CaseIterable, Sendable {
        case null, text, blob, real, outOfRange, impossibleDate, extremeInteger

        var sql: String {
            switch self {
            case .null: "NULL"
            case .text: "'abc'"
            case .blob: "x'00ff'"
            case .real: "1.5"
            case .outOfRange: "'99999999999999999999'"
            case .impossibleDate: "'2026-02-31T00:00:00Z'"
            case .extremeInteger: "-9223372036854775808"
            }
        }
    }

    /// What a column is meant to hold, which decides whether a hostile value is broken there.
    enum Kind: Sendable {
        case integer, text, json, time(nullable: Bool)
        var isJSON: Bool { if case .json = self { true } else { false } }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let table: String
        let column: String
        let value: Hostile
        var testDescription: String { "\(table).\(column) = \(value.sql)" }

        var kind: Kind {
            switch column {
            case "version", "global_position", "position", "schema_version": .integer
            case "data", "metadata", "state": .json
            case "timestamp", "expires_at": .time(nullable: false)
            case "updated_at": .time(nullable: table != WakuSchema.checkpoints)
            case "created_at", "deleted_at", "acquired_at", "renewed_at": .time(nullable: true)
            default: .text
            }
        }

        /// Whether the model must report the value as broken (a problem, an unreadable time, or
        /// for a payload, not JSON).
        var isBroken: Bool {
            switch (kind, value) {
            case (.integer, .extremeInteger): false
            case (.integer, _): true
            case (.text, .null), (.text, .blob): true
            case (.text, _): false
            case (.json, .null), (.json, .blob): true
            // A snapshot's state is kept as text; only the payloads are parsed.
            case (.json, .text), (.json, .impossibleDate): column != "state"
            case (.json, _): false
            case (.time(let nullable), .null): !nullable
            case (.time, .real): false
            case (.time, _): true
            }
        }
    }

    static let tables = [WakuSchema.streams, WakuSchema.events, WakuSchema.checkpoints, WakuSchema.leases, WakuSchema.snapshots]

    /// Every column of every table, read from waku's own DDL, with every hostile value.
    static let cases: [Case] = {
        let queue = try! DatabaseQueue()
        return try! queue.write { db in
            for statement in WakuSchema.sqliteDDL { try db.execute(sql: statement) }
            return try tables.flatMap { table in
                try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?) ORDER BY cid", arguments: [table]).flatMap { column in
                    Hostile.allCases.map { Case(table: table, column: column, value: $0) }
                }
            }
        }
    }()

    /// A small store holding the case's value: two streams (one deleted), four events with a gap,
    /// two checkpoints, a lease and a snapshot. NOT NULL is left out of the DDL so NULL can be
    /// stored; `global_position`, a rowid alias that holds only integers, is declared `INT` when
    /// it is the column under test, so it can hold anything.
    static func makeStore(_ c: Case, in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("corrupt.db")
        var ddl = WakuSchema.sqliteDDL.map { $0.replacing(" NOT NULL", with: "") }
        if c.column == "global_position" { ddl = ddl.map { $0.replacing("global_position INTEGER PRIMARY KEY", with: "global_position INT PRIMARY KEY") } }
        let builder = try WakuStoreBuilder(path: path, ddl: ddl)
        try builder.stream("Order-1", version: 2)
        try builder.stream("Order-2", version: 0, deleted: true)
        try builder.event(1, stream: "Order-1", position: 0, type: "OrderPlaced")
        try builder.event(2, stream: "Order-1", position: 1)
        try builder.event(3, stream: "Order-2", position: 0)
        try builder.event(5, stream: "Order-1", position: 2)
        try builder.checkpoint("orders", at: 1)
        try builder.checkpoint("totals", at: 5)
        try builder.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "UPDATE es_streams SET stream_type = 'OrderType' WHERE stream_id = 'Order-1'")
            try db.execute(sql: """
                INSERT INTO es_projection_leases VALUES ('orders', 'runner-1', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z', '2999-01-01T00:00:00Z');
                INSERT INTO es_snapshots VALUES ('Order-1', '{"total":1}', 2, 'Order', 1, '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');
                """)
            let key = switch c.table {
            case WakuSchema.streams, WakuSchema.snapshots: "stream_id = 'Order-1'"
            case WakuSchema.events: "event_id = 'ev-1'"
            default: "projection_name = 'orders'"
            }
            try db.execute(sql: "UPDATE \(c.table) SET \(c.column) = \(c.value.sql) WHERE \(key)")
            #expect(db.changesCount == 1, "the value was not stored")
        }
        try queue.close()
        return path
    }

    /// No signal, no trap: status 0, or 2 with one line saying why.
    static func expectNoCrash(_ result: CommandResult, _ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect([0, 2].contains(result.status), "\(arguments) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        if result.status == 2 {
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(arguments): not one clear line: \(result.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// The JSON objects a command printed (an array, or one object, or a projection's lease).
    static func objects(_ output: String) -> [[String: Any]] {
        guard let value = try? JSONSerialization.jsonObject(with: Data(output.utf8)) else { return [] }
        if let array = value as? [[String: Any]] { return array }
        if let object = value as? [String: Any] { return [object] }
        return []
    }

    /// Where a record of the corrupted row shows in `--json`, and the field its column is.
    static func brokenField(_ c: Case, in outputs: [String: String]) -> (found: Bool, flagged: Bool)? {
        func check(_ records: [[String: Any]], field: String, identify: ([String: Any]) -> Bool) -> (Bool, Bool) {
            let matching = records.filter(identify)
            return (!matching.isEmpty, matching.contains { $0[field + "_error"] != nil })
        }
        switch c.table {
        case WakuSchema.streams:
            let records = objects(outputs["streams"] ?? "")
            return check(records, field: c.column) { c.column == "stream_id" ? $0["stream_type"] as? String == "OrderType" : $0["stream_id"] as? String == "Order-1" }
        case WakuSchema.events:
            let records = objects(outputs["events --include-deleted"] ?? "") + objects(outputs["event 1"] ?? "")
            return check(records, field: c.column) { c.column == "event_id" ? $0["idempotency_key"] as? String == "idem-1" : $0["event_id"] as? String == "ev-1" }
        case WakuSchema.checkpoints:
            guard c.column != "created_at" else { return nil }
            let field = c.column == "projection_name" ? "name" : c.column == "position" ? "checkpoint" : c.column
            let records = objects(outputs["projections"] ?? "")
            return check(records, field: field) { c.column == "projection_name" ? $0["name"] as? String != "totals" : $0["name"] as? String == "orders" }
        case WakuSchema.leases:
            guard c.column != "projection_name" else { return nil }
            let leases = objects(outputs["projections"] ?? "").compactMap { $0["lease"] as? [String: Any] }
            return check(leases, field: c.column) { _ in true }
        default:
            return nil
        }
    }

    /// The command whose text table lists the table's rows.
    static func table(_ table: String) -> String {
        switch table {
        case WakuSchema.streams: "streams"
        case WakuSchema.events: "events --include-deleted"
        default: "projections"
        }
    }

    /// The columns a table (and the explorer's list pane) shows for the case's table; a NULL
    /// stream id is never listed (ids are paged from '').
    static func shown(_ c: Case) -> Set<String> {
        switch c.table {
        case WakuSchema.streams: c.value == .null && c.column == "stream_id" ? [] : ["stream_id", "version", "updated_at", "deleted_at"]
        // A NULL global position is in no page of the log.
        case WakuSchema.events: c.value == .null && c.column == "global_position" ? [] : ["global_position", "position", "event_type", "timestamp", "stream_id"]
        case WakuSchema.checkpoints: ["projection_name", "position", "updated_at"]
        case WakuSchema.leases: ["holder_id", "expires_at"]
        default: []
        }
    }

    /// The commands that read the case's table. `head`, `streams`, `events`, `event` and `tail`
    /// never read checkpoints, leases or snapshots; snapshots are read by the adapter only.
    static func commands(_ c: Case, store: String) -> [(name: String, arguments: [String])] {
        guard [WakuSchema.streams, WakuSchema.events].contains(c.table) else {
            return [("projections", ["projections", store]), ("gaps", ["gaps", store])]
        }
        return [
            ("head", ["head", store]), ("streams", ["streams", store]),
            ("events --include-deleted", ["events", store, "--include-deleted"]),
            ("events --stream", ["events", store, "--stream", "Order-1"]), ("event 1", ["event", store, "1"]),
            ("projections", ["projections", store]), ("gaps --from 0 --orphans", ["gaps", store, "--from", "0", "--orphans"]),
        ]
    }

    @Test(arguments: cases)
    func sweep(_ c: Case) async throws {
        let directory = TemporaryDirectory("eventscope-corrupt")
        defer { directory.remove() }
        let store = try Self.makeStore(c, in: directory)
        var jsonOutputs: [String: String] = [:]
        for (name, arguments) in Self.commands(c, store: store) {
            let text = try await runEventscope(arguments)
            Self.expectNoCrash(text, arguments)
            let json = try await runEventscope(arguments + ["--json"])
            Self.expectNoCrash(json, arguments + ["--json"])
            jsonOutputs[name] = json.stdout
            if c.isBroken, name == Self.table(c.table), text.status == 0, Self.shown(c).contains(c.column) {
                // The table shows the stored text marked broken, not a fallback.
                #expect(text.stdout.contains(ValueProblem.marker), "\(arguments) shows no broken value:\n\(text.stdout)")
            }
        }
        if c.isBroken, let (found, flagged) = Self.brokenField(c, in: jsonOutputs), found {
            #expect(flagged, "--json shows \(c.column) without \(c.column)_error: \(jsonOutputs)")
        }
        if [WakuSchema.streams, WakuSchema.events].contains(c.table) {
            // An event whose global position is not an integer cannot be followed.
            let followable = Self.objects(jsonOutputs["events --include-deleted"] ?? "")
                .filter { $0["global_position_error"] == nil && $0["hidden"] as? Bool == false }
            try await Self.tail(store: store, json: true, expected: followable.count, in: directory)
        }
        try await Self.explorer(c, store: store)
        if c.table == WakuSchema.snapshots {
            let reader = try SQLiteStoreReader.open(path: store)
            let snapshots = try await reader.snapshots(after: nil, limit: 10)
            let times = snapshots.flatMap { [$0.createdAt, $0.updatedAt] }.compactMap { $0 }
            if c.isBroken, c.column != "state" || c.value == .null || c.value == .blob {
                #expect(snapshots.contains { !$0.problems.isEmpty } || times.contains(where: \.isUnreadable) || c.column == "stream_id")
            }
        }
    }

    /// Every pane, drilling into a stream, an event and its detail, ending on the pane that shows
    /// the corrupted table.
    static func explorer(_ c: Case, store: String) async throws {
        let last = switch c.table {
        case WakuSchema.streams: "1"
        case WakuSchema.events: ": text:pos Space text:1 Enter Enter"
        default: "4"
        }
        let arguments = ["snapshot", store, "--size", "120x40", "--keys", "1 Enter Enter 2 Enter 3 4 5 " + last]
        let result = try await runEventscope(arguments)
        expectNoCrash(result, arguments)
        // Detail shows every column of the event (a payload that is not JSON says so in words).
        // `:pos 1` finds event 1 only while its position is an integer and its stream row exists.
        let detail = c.table == WakuSchema.events && c.column != "global_position" && !(c.kind.isJSON && [.text, .impossibleDate].contains(c.value))
            && !(c.column == "stream_id" && [.null, .blob].contains(c.value))
        let list = c.table != WakuSchema.events && shown(c).contains(c.column)
        if c.isBroken, result.status == 0, list || detail {
            #expect(result.stdout.contains(ValueProblem.marker), "\(arguments) shows no broken value:\n\(result.stdout)")
        }
    }

    /// `tail --from 0` prints what `events` lists, then is stopped: no crash on the way.
    static func tail(store: String, json: Bool, expected: Int, in directory: TemporaryDirectory) async throws {
        let (out, err) = (directory.file("tail.out"), directory.file("tail.err"))
        let arguments = ["tail", store, "--from", "0"] + (json ? ["--json"] : [])
        let process = try startEventscope(arguments, stdout: out, stderr: err)
        defer { process.signal(SIGKILL) }
        // Every followable event printed (or, with none, the line that says it follows), or an early end.
        try await wait(for: "\(arguments) to print \(expected) events") { () -> Poll<Void> in
            let printed = lines(of: out).count
            let announced = ((try? String(contentsOfFile: err, encoding: .utf8)) ?? "").contains("following")
            return printed >= expected && (expected > 0 || announced) || process.hasExited ? .ready(()) : .pending(seen: "\(printed) lines")
        }
        process.signal(SIGTERM)
        let status = try await process.exitStatus(within: .seconds(30))
        let stderr = (try? String(contentsOfFile: err, encoding: .utf8)) ?? ""
        #expect([0, 2].contains(status), "\(arguments) ended with \(status): \(stderr)")
        #expect(lines(of: out).count >= expected, "\(arguments) printed \(lines(of: out).count) of \(expected) events: \(stderr)")
    }
}
