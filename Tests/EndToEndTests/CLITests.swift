import DemoStore
import EventStore
import Foundation
import TestSupport
import Testing

/// Parses output with Foundation's JSON parser, independent of the code under test.
func parseJSON(_ text: String) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
}

@Suite struct ViewCommandTests {
    let store: DemoFixture.Store
    var path: String { store.path }

    init() async throws { store = try await DemoFixture.standardStore }

    /// The brute-force answers for the standard store, read on a thread of its own.
    var truth: BruteForce {
        get async throws {
            let path = path
            return try await onDedicatedThread { try BruteForce(path: path) }
        }
    }

    @Test func everyViewAnswersInTextAndJSON() async throws {
        let head = String(store.summary.head)
        let stream = try #require(try await truth.streamIds.first { $0.hasPrefix("Order-") })
        let views: [[String]] = [["head", path], ["streams", path, "--limit", "5"], ["streams", path, "--category", "Order"],
                                 ["events", path, "--limit", "5"], ["events", path, "--stream", stream], ["event", path, head],
                                 ["projections", path], ["gaps", path]]
        for view in views {
            let text = try await runEventscope(view)
            #expect(text.status == 0, "\(view): \(text.stderr)")
            #expect(!text.stdout.isEmpty, "\(view) printed nothing")
            let json = try await runEventscope(view + ["--json"])
            #expect(json.status == 0, "\(view) --json: \(json.stderr)")
            #expect((try? parseJSON(json.stdout)) != nil, "\(view) --json is not JSON: \(json.stdout.prefix(200))")
        }
    }

    @Test func eventsAfterReturnsExactlyTheNextFiftyVisible() async throws {
        let brute = try await truth
        for p in [GlobalPosition(0), 10_007, brute.head - 30] {
            let result = try await runEventscope(["events", path, "--after", String(p), "--limit", "50", "--json"])
            #expect(result.status == 0)
            let events = try #require((try parseJSON(result.stdout) as? [String: Any])?["events"] as? [[String: Any]])
            #expect(events.compactMap { $0["global_position"] as? Int64 } == brute.log(after: p, limit: 50))
            #expect(events.allSatisfy { $0["hidden"] as? Bool == false })
        }
        let back = try await runEventscope(["events", path, "--before", "10007", "--limit", "50", "--json"])
        let events = try #require((try parseJSON(back.stdout) as? [String: Any])?["events"] as? [[String: Any]])
        #expect(events.compactMap { $0["global_position"] as? Int64 } == brute.log(before: 10_007, limit: 50))
    }

    @Test func gapsJSONReportsTheDemosGaps() async throws {
        let result = try await runEventscope(["gaps", path, "--json"])
        #expect(result.status == 0)
        let object = try #require(try parseJSON(result.stdout) as? [String: Any])
        let gaps = try #require(object["gaps"] as? [[String: Any]])
        let reported = gaps.map { "\($0["from"]!)-\($0["to"]!) \($0["kind"]!)" }
        #expect(reported == store.summary.gaps.map { "\($0.from)-\($0.to) \($0.kind.rawValue)" })
        let stuck = store.summary.checkpoints["shipment_tracker"]!
        let blocked = gaps.first { ($0["from"] as? Int64) == stuck + 1 }
        #expect(blocked?["blocking"] as? [String] == ["shipment_tracker"])
    }

    @Test func projectionsJSONPendingMatchesBruteForce() async throws {
        let brute = try await truth
        let result = try await runEventscope(["projections", path, "--json", "--pending-cap", "10000000"])
        let list = try #require(try parseJSON(result.stdout) as? [[String: Any]])
        #expect(list.count == 3)
        for projection in list {
            let checkpoint = try #require(projection["checkpoint"] as? Int64)
            #expect(projection["pending"] as? Int == brute.pending(after: checkpoint), "\(projection["name"]!)")
        }
        let capped = try await runEventscope(["projections", path, "--json", "--pending-cap", "10"])
        let cappedList = try #require(try parseJSON(capped.stdout) as? [[String: Any]])
        #expect(cappedList.contains { $0["pending_capped"] as? Bool == true && $0["pending"] as? Int == 10 })
    }

    @Test func eventShowsPrettyDataAndMetadata() async throws {
        let result = try await runEventscope(["event", path, "0"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("correlation id"))
        #expect(result.stdout.contains("\ndata:\n  {\n"))
        #expect(result.stdout.contains("\nmetadata:\n  {\n    \"correlation_id\": "))
    }
}

@Suite struct BadInputTests {
    let store: DemoFixture.Store
    var path: String { store.path }

    init() async throws { store = try await DemoFixture.standardStore }

    @Test func badInputExitsWithStatusTwoAndSaysWhy() async throws {
        let text = TemporaryDirectory()
        defer { text.remove() }
        try "hello".write(toFile: text.file("notes.txt"), atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["head", "/nonexistent/store.db"], "no such file"),
            (["head", text.file("notes.txt")], "not a SQLite database"),
            (["event", path, "999999999"], "out of range"),
            (["event", path, String(store.summary.missingRuns[0].from)], "it is a gap"),
            (["events", path, "--after", "999999999"], "out of range"),
            (["events", path, "--stream", "Order-nope"], "no stream \"Order-nope\""),
            (["events", path, "--after", "1", "--before", "5"], "exclude each other"),
            (["streams", path, "--limit", "0"], "--limit"),
            (["gaps", path, "--from=-4"], "out of range"),
            (["head", "postgres://u:secret@127.0.0.1:1/db?sslmode=disable"], "connection refused"),
            (["head", path, "--layout", "lexigram"], "--layout"),
            (["frobnicate"], "no such file: frobnicate"),
            (["streams", path, "--bogus"], "Unknown option"),
            (["events", path, "--stream", "Order-1", "--after", "9223372036854775807"], "is not a position"),
            (["events", path, "--stream", "Order-1", "--before=-9223372036854775808"], "is not a position"),
            (["projections", path, "--pending-cap", "9223372036854775807"], "--pending-cap"),
        ]
        for (arguments, message) in cases {
            let result = try await runEventscope(arguments)
            #expect(result.status == 2, "\(arguments) exited \(result.status): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!result.stderr.contains("secret"))
        }
        #expect(!FileManager.default.fileExists(atPath: "/nonexistent/store.db"))
    }

    @Test func controlCharactersNeverReachTheTerminalRaw() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("evil.db"))
        let evil = "Order-\u{1B}]0;pwned\u{07}\u{1B}[2J"
        try builder.stream(evil, version: 1)
        try builder.event(0, stream: evil, position: 0, type: "Bad\u{1B}[31mType", data: "{\"x\":\"\u{1B}[5m\"}")
        try builder.event(1, stream: evil, position: 1, data: "{corrupt\u{1B}[0m")
        try builder.close()
        let store = directory.file("evil.db")
        for view in [["streams", store], ["events", store], ["event", store, "0"], ["event", store, "1"], ["events", store, "--stream", evil]] {
            let result = try await runEventscope(view)
            #expect(result.status == 0, "\(view): \(result.stderr)")
            #expect(!result.stdout.contains("\u{1B}") && !result.stdout.contains("\u{07}"), "\(view) wrote a raw escape")
            #expect(result.stdout.contains("\\u001b"))
        }
        let corrupt = try await runEventscope(["event", directory.file("evil.db"), "1"])
        #expect(corrupt.stdout.contains("not valid JSON"))
    }

    @Test func brokenThemeFileNamesFileAndLine() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("broken.toml")
        try "name = \"broken\"\n[colors]\nbackground = \"#000000\n".write(toFile: path, atomically: true, encoding: .utf8)
        // `swift test` sets NO_COLOR=1, which would skip loading the theme.
        let result = try await runEventscope([store.path, "--theme", path], environment: ["NO_COLOR": ""])
        #expect(result.status == 2)
        #expect(result.stderr.contains(path) && result.stderr.contains("line 3"), "\(result.stderr)")
    }
}

@Suite struct ReadOnlyCommandTests {
    @Test func readingNeverChangesTheStoresBytes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("copy.db")
        let standard = try await DemoFixture.standardStore
        try FileManager.default.copyItem(atPath: standard.path, toPath: path)
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        // SQLite's WAL sidecars may appear (a reader opens them), but the WAL must stay empty.
        let sidecar = { (name: String) in name.hasSuffix("-shm") || name.hasSuffix("-wal") }
        let filesBefore = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { !sidecar($0) }
        for view in [["head", path], ["streams", path], ["events", path], ["events", path, "--include-deleted", "--before", "500"],
                     ["event", path, "3"], ["projections", path], ["gaps", path], ["gaps", path, "--from", "0"]] {
            #expect(try await runEventscope(view).status == 0, "\(view)")
            #expect(try await runEventscope(view + ["--json"]).status == 0, "\(view) --json")
        }
        // tail too, until it has printed every visible event: it has read the whole log.
        let elsewhere = TemporaryDirectory()
        defer { elsewhere.remove() }
        let output = elsewhere.file("tail.txt")
        let tail = try startEventscope(["tail", path, "--from", "0"], stdout: output)
        defer { tail.signal(SIGKILL) }
        let visible = try await onDedicatedThread { try BruteForce(path: standard.path).log(after: -1, limit: .max).count }
        try await wait(for: "tail --from 0 to print the \(visible) visible events") { () -> Poll<Void> in
            let printed = lines(of: output).count
            return printed >= visible ? .ready(()) : .pending(seen: "\(printed) lines")
        }
        tail.signal(SIGINT)
        #expect(try await tail.exitStatus() == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        let filesAfter = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(Set(filesAfter.filter { !sidecar($0) }) == Set(filesBefore))
        for wal in filesAfter where wal.hasSuffix("-wal") {
            #expect(try Data(contentsOf: URL(fileURLWithPath: directory.file(wal))).isEmpty)
        }
    }
}
