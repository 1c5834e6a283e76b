import EventStore
import Foundation
import TestSupport
import Testing

extension LiveProcessTests {
    /// `tail` against a real concurrent writer process: every visible event, in order, once.
    @Suite struct TailTests {
        @Test func tailPrintsWhatAConcurrentLiveWriterAppends() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.file("live.db")
            let create = try await runEventscope(["demo", "--create-only", "--store", path, "--events", "2000"])
            #expect(create.status == 0, "\(create.stderr)")

            let output = directory.file("tail.jsonl")
            let tail = try startEventscope(["tail", path, "--json"], stdout: output, stderr: directory.file("tail.err"))
            defer { tail.signal(SIGKILL) }
            let start = try await followedPosition(announcedIn: directory.file("tail.err"))

            // A high rate, with a skipped position now and then, so gaps occur during the follow.
            let live = try LiveWriter(store: path, rate: 400)
            defer { live.kill() }
            try await wait(for: "tail to print 1,000 events the writer appended") { () -> Poll<Void> in
                let printed = lines(of: output).count
                return printed >= 1_000 ? .ready(()) : .pending(seen: "\(printed) lines")
            }
            #expect(try await live.stop() == 0)

            // Everything the writer committed, up to its last event, and nothing more.
            let expected = try await onDedicatedThread { try BruteForce(path: path).log(after: start, limit: 1_000_000) }
            try await wait(for: "tail to print the \(expected.count) events up to \(expected.last ?? start)") { () -> Poll<Void> in
                let printed = lines(of: output).count
                return printed >= expected.count ? .ready(()) : .pending(seen: "\(printed) lines")
            }
            tail.signal(SIGINT)
            #expect(try await tail.exitStatus() == 0)
            #expect(try lines(of: output).map(globalPosition) == expected)
        }

        @Test func tailEndsCleanlyWhenThePipeCloses() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let fifo = try Fifo(in: directory)
            let process = try startEventscope(["tail", try await DemoFixture.standardStore.path, "--from", "0", "--json"], stdout: fifo.path)
            defer { process.signal(SIGKILL) }
            try await fifo.readFirstLineAndLeave(from: "tail")
            let status = try await process.exitStatus()
            #expect(status == 0, "tail exited \(status) after its reader went away")
        }
    }
}

/// The position `tail` names in its first line on standard error: "following … after position N".
func followedPosition(announcedIn path: String) async throws -> Int64 {
    try await wait(for: "tail to announce the position it follows from") { () -> Poll<Int64> in
        guard let line = lines(of: path).first else { return .pending(seen: "nothing on its standard error") }
        guard let position = line.split(separator: " ").last(where: { Int64($0) != nil }).flatMap({ Int64($0) }) else {
            return .pending(seen: line)
        }
        return .ready(position)
    }
}

/// The `global_position` of one line of `tail --json`.
func globalPosition(_ line: String) throws -> Int64 {
    let object = try #require(try parseJSON(line) as? [String: Any], "not a JSON object: \(line)")
    return try #require(object["global_position"] as? Int64, "no global_position in \(line)")
}
