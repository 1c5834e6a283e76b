import EventStore
import Foundation
import TestSupport
import Testing

/// The scriptable views on the other libraries' layouts on PostgreSQL, through the real binary:
/// each `--json` answer equals the one the SQLite adapter gives over the same rows (the PostgreSQL
/// tables copied back into the layout's SQLite DDL, which `LayoutConformanceTests` checks against
/// brute-force reads), apart from the store's location and ages measured at each run.
@Suite struct PostgresLayoutCLITests {
    /// Every view of the layout, as `--json` arguments after the store.
    static func views(_ layout: StoreLayout, eventId: String) -> [[String]] {
        var views: [[String]] = [
            ["head", "--json"], ["streams", "--json"], ["streams", "--json", "--category", "Order"], ["events", "--json"],
            ["events", "--json", "--stream", "Order-1"], ["events", "--json", "--type", "OrderShipped"],
            ["event", "--json", "--id", eventId], ["projections", "--json"], ["gaps", "--json", "--from", "0"],
            ["dead-letters", "--json"], ["outbox", "--json"],
        ]
        if layout != .minimal { views += [["event", "--json", "7"], ["events", "--json", "--after", "4", "--limit", "3"]] }
        if layout == .eventsourcePy { views += [["dead-letters", "--json", "--status", "failed"], ["dead-letters", "--json", "--projection", "LegacyById"]] }
        return views
    }

    func expectSameAnswers(postgres url: String, sqlite path: String, views: [[String]], ignoringNext: Bool = false) async throws {
        for view in views {
            let sqlite = try await runEventscope([view[0], path] + view.dropFirst())
            let postgres = try await runEventscope([view[0], url] + view.dropFirst())
            #expect(sqlite.status == 0 && postgres.status == 0, "\(view): \(sqlite.stderr) \(postgres.stderr)")
            var a = try PostgresCLITests().comparable(sqlite.stdout, ndjson: false)
            var b = try PostgresCLITests().comparable(postgres.stdout, ndjson: false)
            if view[0] == "head" { b = withoutHorizon(b) }
            if ignoringNext { (a, b) = (withoutNext(a), withoutNext(b)) }
            #expect(a == b, "\(view) differs between SQLite and PostgreSQL:\n\(sqlite.stdout)\n\(postgres.stdout)")
            #expect(!postgres.stdout.isEmpty)
        }
    }

    /// PostgreSQL's `head --json` adds eventsource-py's visibility horizon, which SQLite has not
    /// (no txid): present there with its counts (their values are the whole cluster's, which other
    /// tests' open transactions move), then set aside for the comparison. `PostgresHorizonCLITests`
    /// checks the values on a cluster of its own.
    func withoutHorizon(_ value: NSArray) -> NSArray {
        guard var object = value.firstObject as? [String: Any] else { return value }
        if let horizon = object["visibility_horizon"] as? [String: Any] {
            #expect(horizon["hidden_rows"] is NSNumber && horizon["explanation"] is String, "\(horizon)")
        }
        object["visibility_horizon"] = nil
        return NSArray(array: [object])
    }

    /// The minimal layout's page cursor is the engine's own ordinal (a rowid, a time): not a fact of the rows.
    func withoutNext(_ value: NSArray) -> NSArray {
        NSArray(array: value.map { document -> Any in
            guard var object = document as? [String: Any] else { return document }
            object["next"] = nil
            return object
        })
    }

    /// Acceptance 2 (PostgreSQL, scriptable): the sample rows in each layout's PostgreSQL DDL.
    @Test(arguments: [StoreLayout.eventsourcePy, .lexigram, .minimal])
    func everyViewAnswersAsOverTheSameRowsOnSQLite(_ layout: StoreLayout) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let sample = directory.file("sample.db")
        let builder = try LayoutStoreBuilder(path: sample, layout: layout, wal: false)
        try builder.writeSample()
        try builder.close()
        let database = try await PostgresServer.shared.makeDatabase("cli\(layout)")
        defer { Task { try? await database.drop() } }
        try await PostgresLayoutCopy.copy(sqlitePath: sample, layout: layout, into: database)
        let copy = directory.file("copy.db")
        try await PostgresLayoutCopy.sqliteCopy(of: database, layout: layout, to: copy)
        let eventId = layout == .lexigram ? "ev-4" : LayoutStoreBuilder.postgresUUID(for: "ev-4")
        try await expectSameAnswers(postgres: database.url, sqlite: copy, views: Self.views(layout, eventId: eventId),
                                    ignoringNext: layout == .minimal)

        // And facts stated by hand, so agreement is not all there is.
        let head = try LayoutCLITests.json(try await runEventscope(["head", database.url, "--json"]))
        #expect(head["layout"] == .string(layout.rawValue))
        #expect(head["head"] == (layout == .minimal ? .null : .int(13)))
        #expect(head["head_event"]?["event_type"] == "OrderCancelled")
        let event = try LayoutCLITests.json(try await runEventscope(["event", database.url, "--json", "--id", eventId]))
        #expect(event["stream_id"] == "Order-é東京" && event["data"]?["city"] == "東京 🚚", "\(event)")
        if layout == .minimal {
            for (command, capability) in [("projections", "checkpoints"), ("gaps", "global positions, so no gaps"),
                                          ("dead-letters", "dead letters"), ("outbox", "outbox")] {
                let json = try LayoutCLITests.json(try await runEventscope([command, database.url, "--json"]))
                #expect(json["supported"] == .bool(false) && json["layout"] == "minimal", "\(command): \(json)")
                let text = try await runEventscope([command, database.url])
                #expect(text.status == 0 && text.stderr.contains("this store's layout (minimal) has no \(capability)"), "\(command): \(text.stderr)")
            }
            // The log pages on by the printed cursor, in (timestamp, id) order.
            let page = try await runEventscope(["events", database.url, "--limit", "3"])
            let after = try #require(page.stderr.split(separator: " ").last.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) })
            let rest = try LayoutCLITests.json(try await runEventscope(["events", database.url, "--after", after, "--json"]))
            guard case .array(let events)? = rest["events"] else { Issue.record("\(rest)"); return }
            #expect(events.map { $0["stream_id"] } == ["Order-1", "Evil-\u{1B}[2J", "Account-a-b-c", "Order-1", "Order-é東京"])
        }
        if layout == .eventsourcePy {
            let outbox = try LayoutCLITests.json(try await runEventscope(["outbox", database.url, "--json"]))
            #expect(outbox["pending"] == .int(2) && outbox["published"] == .int(1) && outbox["failed"] == .int(1))
            let projections = try LayoutCLITests.json(try await runEventscope(["projections", database.url, "--json"]))
            guard case .array(let rows) = projections else { Issue.record("\(projections)"); return }
            #expect(rows.map { $0["name"] } == ["Frozen", "LegacyById", "TokenProjection"])
            #expect(rows.map { $0["checkpoint"] } == [.int(3), .int(8), .int(4)])
        }
    }

    /// Acceptance 1 on PostgreSQL: the rows eventsource-py wrote, in its PostgreSQL DDL, answer
    /// every view as the fixture itself does on SQLite.
    @Test func theEventsourcePyFixtureAnswersAsOnSQLite() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = try LayoutCLITests.copyOfFixture(in: directory)
        let database = try await PostgresServer.shared.makeDatabase("clifixture")
        defer { Task { try? await database.drop() } }
        try await PostgresLayoutCopy.copy(sqlitePath: path, layout: .eventsourcePy, into: database,
                                         ddl: LayoutStoreBuilder.eventsourcePyPostgresDDL(aggregateIds: "UUID"))
        let order = LayoutCLITests.order
        try await expectSameAnswers(postgres: database.url, sqlite: path, views: [
            ["head", "--json"], ["streams", "--json"], ["events", "--json"], ["events", "--json", "--stream", order], ["event", "--json", "2"],
            ["projections", "--json"], ["gaps", "--json"], ["dead-letters", "--json"], ["dead-letters", "--json", "--status", "resolved"],
            ["outbox", "--json"],
        ])
        let projections = try LayoutCLITests.json(try await runEventscope(["projections", database.url, "--json"]))
        guard case .array(let statuses) = projections else { Issue.record("\(projections)"); return }
        #expect(statuses.map { $0["checkpoint"] } == [.int(2), .int(4)])
        let outbox = try LayoutCLITests.json(try await runEventscope(["outbox", database.url, "--json"]))
        #expect(outbox["pending"] == .int(4))
    }

    /// Acceptance 3 on PostgreSQL: a database of none of the layouts is one line naming what was
    /// looked for on the search path, status 2; `--layout` forces one and says what is missing for it.
    @Test func detectionOnTheSearchPath() async throws {
        let database = try await PostgresServer.shared.makeDatabase("nolayout")
        defer { Task { try? await database.drop() } }
        try await database.psql("CREATE TABLE invoices (id BIGINT PRIMARY KEY, total TEXT)")
        for command in [["head", database.url], ["streams", database.url, "--json"]] {
            let result = try await runEventscope(command)
            #expect(result.status == 2 && result.stderr.split(separator: "\n").count == 1, "\(command): \(result.stderr)")
            for looked in ["waku (es_events, es_streams)", "eventsource-py (events)", "lexigram (events)", "minimal (events)",
                           "found tables: invoices", "(on the search path)"] {
                #expect(result.stderr.contains(looked), "\(command): \(result.stderr)")
            }
        }
        try await database.psql(LayoutStoreBuilder.lexigramPostgresDDL)
        let detected = try LayoutCLITests.json(try await runEventscope(["head", database.url, "--json"]))
        #expect(detected["layout"] == "lexigram" && detected["head"] == .int(-1))
        let forced = try await runEventscope(["head", database.url, "--layout", "eventsource-py"])
        #expect(forced.status == 2 && forced.stderr.contains("--layout eventsource-py: events lacks"), "\(forced.stderr)")
    }
}
