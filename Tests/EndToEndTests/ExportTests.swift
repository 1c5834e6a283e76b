import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

/// `events --ndjson` is `events --json` a line per event: over the same range, each line is the
/// array element re-serialised compactly, byte for byte, for demo payloads and hostile ones.
@Suite struct ExportTests {
    /// Payloads a store may hold: escapes, pretty-printed text, number forms, deep nesting, controls, invalid text.
    static let payloads = [
        #"{"a":"\u00e9","b":"\/","c":"Zo\u00eb \ud83c\udf89"}"#, "{\n  \"amount\": 12.50,\n  \"n\": [1e5, -0.0, 1E+2]\n}\n",
        #"{"nul":"\u0000","ctl":"\u001b[2J\u007f","ls":"\u2028"}"#, "{\"raw\":\"\u{7F}\u{85}\u{2028}\u{2029}\"}",
        #"["\ud800","\ud800\u0041"]"#, String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        String(repeating: "[", count: 600) + String(repeating: "]", count: 600), "not json \u{1B}[2J \u{07}", "\"a\u{01}b\"", "",
        "{\"a\":1,}", "  true ", "null", "{\"a\":1} trailing",
    ]

    static func hostileStore(at path: String) throws -> String {
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("Hostile-1", version: Int64(payloads.count * 2))
        try builder.stream("Gone-1", version: 0, deleted: true)
        for (i, data) in payloads.enumerated() {
            try builder.event(Int64(2 * i + 1), stream: "Hostile-1", position: Int64(2 * i), type: i % 2 == 0 ? "Even" : "Odd",
                              data: data, metadata: payloads[(i + 3) % payloads.count])
        }
        try builder.event(1_000, stream: "Gone-1", position: 0, data: #"{"hidden": 1}"#)
        try builder.close()
        // Columns that are not of their type take the general path: `<field>_error` members.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO es_events VALUES (2, 'ev-2', 'Hostile-1', 'Odd', 'abc', '{}', '{}', 'yesterday', 1, 'k2')")
            try db.execute(sql: "INSERT INTO es_events VALUES (4, 'ev-4', 'Hostile-1', 'Odd', 3.5, x'ff00', '[1]', 1700000000, 'v2', 'k4')")
        }
        try queue.close()
        return path
    }

    /// The `--json` pages over the range, each element compact, by following the `more:` notes.
    static func pagedJSON(_ arguments: [String], page: Int) async throws -> [String] {
        var lines: [String] = []
        var cursor: [String] = []
        while true {
            let result = try await runEventscope(arguments + ["--json", "--limit", String(page)] + cursor)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            guard case .array(let items)? = try JSONValue.parse(result.stdout)["events"] else {
                Issue.record("no events array: \(result.stdout.prefix(200))")
                return lines
            }
            lines += items.map(\.compact)
            guard let more = result.stderr.split(separator: "\n").first(where: { $0.hasPrefix("more: ") }) else { return lines }
            // The cursor comes last: it overrides the range's own --after/--before.
            cursor = more.dropFirst("more: ".count).split(separator: " ").map(String.init)
            if items.isEmpty { return lines }
        }
    }

    static func ndjson(_ arguments: [String]) async throws -> [String] {
        let result = try await runEventscope(arguments + ["--ndjson"])
        #expect(result.status == 0, "\(arguments) --ndjson: \(result.stderr)")
        #expect(result.stdout.isEmpty || result.stdout.hasSuffix("\n"))
        return result.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    }

    @Test func demoStoreExportsTheWholeLogAsTheJSONPagesDo() async throws {
        let path = DemoFixture.standard.path
        let lines = try await Self.ndjson(["events", path, "--include-deleted"])
        let expected = try await Self.pagedJSON(["events", path, "--include-deleted"], page: 7_000)
        #expect(lines.count == DemoFixture.standard.summary.events)
        #expect(lines.count == expected.count)
        for (i, (line, want)) in zip(lines, expected).enumerated() where line != want {
            Issue.record("event \(i) differs:\n\(line)\n\(want)")
            break
        }
        // One --json page larger than the old cap of 10,000 is the same list.
        let big = try await runEventscope(["events", path, "--include-deleted", "--json", "--limit", "50000"])
        guard case .array(let items)? = try JSONValue.parse(big.stdout)["events"] else { Issue.record("no events array"); return }
        #expect(items.map(\.compact) == lines)
    }

    @Test(arguments: [
        ["--after", "5000", "--limit", "1234"], ["--before", "15000"], ["--type", "MoneyDeposited", "--type", "OrderPlaced"],
        ["--after", "19990"],
    ])
    func demoRangesMatch(range: [String]) async throws {
        let path = DemoFixture.standard.path
        let lines = try await Self.ndjson(["events", path] + range)
        let limit = range.firstIndex(of: "--limit").map { Int(range[$0 + 1])! }
        let plain = range.firstIndex(of: "--limit").map { Array(range[..<$0] + range[($0 + 2)...]) } ?? range
        var expected = try await Self.pagedJSON(["events", path] + plain, page: 3_000)
        if let limit { expected = Array(expected.prefix(limit)) }
        #expect(!lines.isEmpty)
        #expect(lines == expected)
    }

    @Test func oneStreamsEventsMatch() async throws {
        let path = DemoFixture.standard.path
        let stream = try #require(try BruteForce(path: path).streamIds.first { $0.hasPrefix("Account-") })
        for direction in [[], ["--before", "100000"]] {
            let lines = try await Self.ndjson(["events", path, "--stream", stream] + direction)
            #expect(!lines.isEmpty)
            #expect(lines == (try await Self.pagedJSON(["events", path, "--stream", stream] + direction, page: 2)))
        }
    }

    @Test func hostilePayloadsMatchByteForByte() async throws {
        let directory = TemporaryDirectory("eventscope-export")
        defer { directory.remove() }
        let path = try Self.hostileStore(at: directory.file("hostile.db"))
        for range in [["--include-deleted"], [], ["--before", "1001", "--include-deleted"], ["--type", "Even"]] {
            let lines = try await Self.ndjson(["events", path] + range)
            #expect(lines == (try await Self.pagedJSON(["events", path] + range, page: 3)), "\(range)")
        }
        let all = try await Self.ndjson(["events", path, "--include-deleted"])
        #expect(all.count == Self.payloads.count + 3)
        #expect(all.contains { $0.contains(#""data_error":"#) } && all.contains { $0.contains(#""metadata_error":"#) })
        #expect(all.contains { $0.contains(#""position_error":"#) } && all.contains { $0.contains(#""timestamp_error":"#) })
        #expect(all.contains { $0.contains(#""data":{"a":"é","b":"/","c":"Zoë 🎉"}"#) })
        #expect(all.contains { $0.contains(#""data":{"amount":12.50,"n":[1e5,-0.0,1E+2]}"#) })
    }
}
