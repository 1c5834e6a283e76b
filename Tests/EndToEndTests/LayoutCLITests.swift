import EventStore
import Foundation
import TestSupport
import Testing

/// The scriptable views on stores of the other libraries' layouts, through the real binary.
@Suite struct LayoutCLITests {
    static let order = "Order-11111111-1111-4111-8111-111111111111"

    static func copyOfFixture(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("esp.sqlite")
        try FileManager.default.copyItem(atPath: eventsourcePyFixture, toPath: path)
        return path
    }

    static func json(_ result: CommandResult) throws -> JSONValue {
        #expect(result.status == 0, "\(result.stderr)")
        return try JSONValue.parse(result.stdout)
    }

    /// Acceptance 1: every view answers on the fixture eventsource-py wrote, with its README's facts.
    @Test func everyViewAnswersOnTheEventsourcePyFixture() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.copyOfFixture(in: directory)

        let head = try Self.json(try await runEventscope(["head", path, "--json"]))
        #expect(head["layout"] == "eventsource-py" && head["head"] == .int(4))
        #expect(head["head_event"]?["stream_id"] == .string(Self.order))
        #expect(head["outbox"]?["pending"] == .int(4))

        let streams = try Self.json(try await runEventscope(["streams", path, "--json"]))
        guard case .array(let rows)? = streams["streams"] else { Issue.record("no streams: \(streams)"); return }
        #expect(rows.map { $0["stream_id"] } == [.string("Account-22222222-2222-4222-8222-222222222222"), .string(Self.order)])
        #expect(rows.map { $0["version"] } == [.int(1), .int(3)])

        let events = try Self.json(try await runEventscope(["events", path, "--stream", Self.order, "--json"]))
        guard case .array(let list)? = events["events"] else { Issue.record("no events: \(events)"); return }
        #expect(list.map { $0["global_position"] } == [.int(1), .int(2), .int(4)])
        #expect(list.map { $0["position"] } == [.int(1), .int(2), .int(3)])
        #expect(list.first?["data"] == .object([.init("total", .string("42.00"))]))
        #expect(list.first?["actor_id"] == "alice")

        let event = try await runEventscope(["event", path, "2"])
        #expect(event.status == 0 && event.stdout.contains("tenant id") && event.stdout.contains("33333333-3333-4333-8333-333333333333"))
        #expect(event.stdout.contains("\"carrier\": \"UPS\"") && event.stdout.contains("3b6b0fad-695a-4977-b1b7-63dc8d0a1259"))

        let projections = try Self.json(try await runEventscope(["projections", path, "--json"]))
        guard case .array(let statuses) = projections else { Issue.record("\(projections)"); return }
        #expect(statuses.map { $0["name"] } == ["LegacyProjection", "OrderSummarySubscription"])
        #expect(statuses.map { $0["checkpoint"] } == [.int(2), .int(4)])
        #expect(statuses.map { $0["pending"] } == [.int(2), .int(0)])

        let gaps = try Self.json(try await runEventscope(["gaps", path, "--json"]))
        #expect(gaps["head"] == .int(4) && gaps["gaps"] == .array([]))

        let letters = try Self.json(try await runEventscope(["dead-letters", path, "--json"]))
        #expect(letters["supported"] == .bool(true))
        guard case .array(let dead)? = letters["dead_letters"], let letter = dead.first else { Issue.record("\(letters)"); return }
        #expect(dead.count == 1)
        #expect(letter["projection"] == "OrderSummarySubscription" && letter["event_type"] == "AccountOpened")
        #expect(letter["status"] == "failed" && letter["error_message"] == "boom: carrier unknown" && letter["global_position"] == .int(3))
        let none = try Self.json(try await runEventscope(["dead-letters", path, "--status", "resolved", "--json"]))
        #expect(none["dead_letters"] == .array([]))

        let outbox = try Self.json(try await runEventscope(["outbox", path, "--json"]))
        #expect(outbox["supported"] == .bool(true) && outbox["pending"] == .int(4) && outbox["published"] == .int(0) && outbox["failed"] == .int(0))
        #expect(outbox["oldest_pending_at"] == "2026-11-22T11:12:51.822519Z")
    }

    /// Where a layout lacks a concept the view says so, in words and as `"supported": false`.
    @Test func aMinimalStoreSaysWhatItLacks() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("minimal.db")
        let builder = try LayoutStoreBuilder(path: path, layout: .minimal)
        try builder.writeSample()
        try builder.close()
        for (command, capability) in [("projections", "checkpoints"), ("gaps", "global positions, so no gaps"), ("dead-letters", "dead letters"), ("outbox", "outbox")] {
            let json = try Self.json(try await runEventscope([command, path, "--json"]))
            #expect(json["supported"] == .bool(false), "\(command): \(json)")
            #expect(json["layout"] == "minimal")
            let text = try await runEventscope([command, path])
            #expect(text.status == 0 && text.stderr.contains("this store's layout (minimal) has no \(capability)"), "\(command): \(text.stderr)")
        }
        let head = try Self.json(try await runEventscope(["head", path, "--json"]))
        #expect(head["layout"] == "minimal" && head["head"] == .null)
        #expect(head["head_event"]?["global_position"] == .null && head["head_event"]?["event_type"] == "OrderCancelled")
        // The log has no position column; its order is the table's, and paging goes on by the printed cursor.
        let page = try await runEventscope(["events", path, "--limit", "3"])
        #expect(page.status == 0 && !page.stdout.contains("GLOBAL") && page.stderr.contains("more: --after 4"), "\(page.stdout)\(page.stderr)")
        let next = try Self.json(try await runEventscope(["events", path, "--after", "4", "--json"]))
        guard case .array(let rest)? = next["events"] else { Issue.record("\(next)"); return }
        #expect(rest.map { $0["event_id"] } == ["ev-7", "ev-8", "ev-9", "ev-12", "ev-13"])
        #expect(rest.allSatisfy { $0["global_position"] == .null })
        #expect(rest.first?["metadata"]?["causation_id"] == "cause-7")
        // One event is found by its id; a position is refused with the reason.
        let byId = try await runEventscope(["event", path, "--id", "ev-4"])
        #expect(byId.status == 0 && byId.stdout.contains("東京 🚚") && !byId.stdout.contains("global position"), "\(byId.stdout)")
        let byPosition = try await runEventscope(["event", path, "4"])
        #expect(byPosition.status == 2 && byPosition.stderr.contains("no global positions"), "\(byPosition.stderr)")
    }

    /// Acceptance 3: a database with none of the layouts is one line naming what was looked for, status 2.
    @Test func aDatabaseOfNoKnownLayoutIsRefusedOnOneLine() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("other.db")
        let builder = try LayoutStoreBuilder(path: path, layout: .minimal, wal: false)
        try builder.execute("DROP TABLE events")
        try builder.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total TEXT)")
        try builder.close()
        for command in [["head", path], ["streams", path, "--json"], [path]] {
            let result = try await runEventscope(command)
            #expect(result.status == 2, "\(command): \(result.stderr)")
            let lines = result.stderr.split(separator: "\n")
            #expect(lines.count == 1, "\(command): \(result.stderr)")
            for looked in ["waku (es_events, es_streams)", "eventsource-py (events)", "lexigram (events)", "minimal (events)", "found tables: invoices"] {
                #expect(result.stderr.contains(looked), "\(command): \(result.stderr)")
            }
        }
        // --layout forces one, and says what the database lacks for it.
        let forced = try await runEventscope(["head", path, "--layout", "lexigram"])
        #expect(forced.status == 2 && forced.stderr.contains("--layout lexigram: no events table"), "\(forced.stderr)")
    }

    /// `--layout` picks a layout by name; the detected one and the forced one agree on the fixture.
    @Test func layoutCanBeForced() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try Self.copyOfFixture(in: directory)
        let forced = try Self.json(try await runEventscope(["head", path, "--layout", "eventsource-py", "--json"]))
        #expect(forced["layout"] == "eventsource-py" && forced["head"] == .int(4))
        let wrong = try await runEventscope(["head", path, "--layout", "waku"])
        #expect(wrong.status == 2 && wrong.stderr.contains("no es_events table"), "\(wrong.stderr)")
    }
}
