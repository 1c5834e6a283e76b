import EventStore
import Foundation
import TestSupport
import Testing

/// What a newcomer trips over on the command line (issue 7): `--version`, a pasted checkpoint of -1,
/// the next page's cursor in `--json`, and help text that wraps.
@Suite struct CLIBehaviourTests {
    let store = DemoFixture.standard
    var path: String { store.path }

    @Test func versionPrintsOneVersionLine() async throws {
        let result = try await runEventscope(["--version"])
        #expect(result.status == 0, "\(result.stderr)")
        let parts = result.stdout.split(separator: ".", maxSplits: 2)
        #expect(result.stdout.hasSuffix("\n") && result.stdout.split(separator: "\n").count == 1, "\(result.stdout)")
        #expect(parts.count == 3 && parts.prefix(2).allSatisfy { Int($0) != nil }, "not a version: \(result.stdout)")
    }

    @Test func aCheckpointOfMinusOneIsAValue() async throws {
        let fromStart = try await runEventscope(["events", path, "--limit", "5", "--json"])
        let pasted = try await runEventscope(["events", path, "--after", "-1", "--limit", "5", "--json"])
        #expect(pasted.status == 0, "\(pasted.stderr)")
        #expect(pasted.stdout == fromStart.stdout)
        let stream = try #require(try BruteForce(path: path).streamIds.first { $0.hasPrefix("Order-") })
        let streamFromStart = try await runEventscope(["events", path, "--stream", stream])
        let streamPasted = try await runEventscope(["events", path, "--stream", stream, "--after", "-1"])
        #expect(streamPasted.status == 0, "\(streamPasted.stderr)")
        #expect(streamPasted.stdout == streamFromStart.stdout)
    }

    /// A write that fails for another reason than a reader that left (here a full disk) is an
    /// error: status 1 and the reason, never a truncated output reported as a success.
    @Test(arguments: [["events", "--ndjson"], ["events", "--json", "--limit", "5000"], ["streams", "--json"], ["head"]])
    func aFullDiskIsAnErrorNotASuccess(_ arguments: [String]) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let process = try startEventscope([arguments[0], path] + arguments.dropFirst(), stdout: "/dev/full", stderr: directory.file("stderr"))
        let status = try await process.exitStatus(within: .seconds(120))
        let stderr = lines(of: directory.file("stderr"))
        #expect(status == 1, "\(arguments): \(stderr)")
        #expect(stderr == ["eventscope: cannot write to standard output: No space left on device"], "\(arguments)")
    }

    @Test(arguments: [["events", "--after", "-2"], ["events", "--before", "-1"], ["gaps", "--from", "-1"],
                      ["gaps", "--to", "-3"], ["tail", "--from", "-5"]])
    func aNegativePositionIsRefusedForWhatItIs(_ arguments: [String]) async throws {
        let result = try await runEventscope([arguments[0], path] + arguments.dropFirst())
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.contains("Missing value"), "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains(arguments[2]), "\(arguments): the reason names the value: \(result.stderr)")
    }

    @Test func eventsJSONCarriesTheNextCursorPageAfterPage() async throws {
        let brute = try BruteForce(path: path)
        var seen: [Int64] = []
        var arguments = ["events", path, "--limit", "7", "--json"]
        for _ in 0..<3 {
            let result = try await runEventscope(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let page = try Page(result.stdout, items: "events")
            let last = try #require(page.items.last?["global_position"] as? Int64)
            #expect(page.next?["after"] as? Int64 == last)
            #expect(result.stderr.contains("more: --after \(last)\n"), "\(result.stderr)")
            seen += page.items.compactMap { $0["global_position"] as? Int64 }
            arguments = ["events", path, "--limit", "7", "--json", "--after", String(last)]
        }
        #expect(seen == brute.log(after: -1, limit: 21))

        let end = try await runEventscope(["events", path, "--after", String(brute.head - 3), "--json"])
        let lastPage = try Page(end.stdout, items: "events")
        #expect(!lastPage.items.isEmpty && lastPage.hasNext && lastPage.next == nil, "a short page ends with \"next\": null")
        #expect(!end.stderr.contains("more:"))

        let back = try await runEventscope(["events", path, "--before", "10007", "--limit", "4", "--json"])
        let backPage = try Page(back.stdout, items: "events")
        #expect(backPage.next?["before"] as? Int64 == backPage.items.last?["global_position"] as? Int64)
        #expect(backPage.next?["after"] == nil)
    }

    @Test func streamEventsJSONCursorIsAStreamPosition() async throws {
        let stream = try #require(try BruteForce(path: path).streamIds.first { $0.hasPrefix("Order-") })
        let result = try await runEventscope(["events", path, "--stream", stream, "--limit", "2", "--json"])
        let page = try Page(result.stdout, items: "events")
        #expect(page.next?["after"] as? Int64 == 1)
        #expect(result.stderr.contains("more: --after 1\n"), "\(result.stderr)")
    }

    @Test func streamsJSONCarriesTheNextCursor() async throws {
        let ids = try BruteForce(path: path).streamIds
        let first = try await runEventscope(["streams", path, "--limit", "3", "--json"])
        let page = try Page(first.stdout, items: "streams")
        #expect(page.items.compactMap { $0["stream_id"] as? String } == Array(ids.prefix(3)))
        let after = try #require(page.next?["after"] as? String)
        #expect(after == ids[2])
        #expect(first.stderr.contains("more: --after \(after.debugDescription)\n"), "\(first.stderr)")
        let second = try await runEventscope(["streams", path, "--limit", "3", "--json", "--after", after])
        #expect(try Page(second.stdout, items: "streams").items.compactMap { $0["stream_id"] as? String } == Array(ids[3..<6]))

        let all = try await runEventscope(["streams", path, "--limit", "10000", "--json"])
        let whole = try Page(all.stdout, items: "streams")
        #expect(whole.items.count == ids.count && whole.hasNext && whole.next == nil)
    }

    @Test func gapsJSONCarriesTheNextCursorWhenTruncated() async throws {
        let result = try await runEventscope(["gaps", path, "--from", "0", "--limit", "1", "--json"])
        let object = try #require(try parseJSON(result.stdout) as? [String: Any])
        let gap = try #require((object["gaps"] as? [[String: Any]])?.first)
        #expect((object["next"] as? [String: Any])?["from"] as? Int64 == (gap["to"] as? Int64).map { $0 + 1 })
        #expect(result.stderr.contains("more gaps: --from"), "\(result.stderr)")
    }

    /// ArgumentParser wraps each paragraph to the terminal, in lines shorter than its width: a hard line
    /// break inside a paragraph leaves a short line and a fragment. No line may end where the next word fits.
    @Test(arguments: [[], ["demo"], ["events"], ["gaps"], ["projections"], ["tail"], ["snapshot"], ["streams"]])
    func helpWrapsWholeParagraphs(_ command: [String]) async throws {
        for width in [80, 100] {
            let result = try await runEventscope(command + ["--help"], environment: ["COLUMNS": String(width)])
            #expect(result.status == 0, "\(command) --help: \(result.stderr)")
            let overview = try #require(result.stdout.components(separatedBy: "\nUSAGE:").first)
            let lines = overview.split(separator: "\n", omittingEmptySubsequences: false)
            for (line, next) in zip(lines, lines.dropFirst()) where !line.isEmpty && !next.isEmpty {
                let word = next.split(separator: " ").first ?? ""
                #expect(line.count + 1 + word.count >= width,
                        "\(command) --help at \(width) columns breaks early: \"\(line)\" then \"\(next)\"")
            }
            #expect(lines.allSatisfy { $0.count < width }, "\(command) --help at \(width) columns: a line is too long")
        }
    }
}

/// A paged command's `--json`: `{"<items>": [...], "next": {...} or null}`.
private struct Page {
    let items: [[String: Any]]
    let next: [String: Any]?
    /// Whether the object has a `next` member at all (null on the last page).
    let hasNext: Bool

    init(_ text: String, items key: String) throws {
        let object = try #require(try parseJSON(text) as? [String: Any], "not a JSON object: \(text.prefix(200))")
        items = try #require(object[key] as? [[String: Any]], "no \(key) array")
        next = object["next"] as? [String: Any]
        hasNext = object.keys.contains("next")
    }
}
