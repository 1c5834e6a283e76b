import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

extension LiveProcessTests {
    /// Cases a review found: each failed before its fix.
    @Suite struct ReviewRegressionTests {
        @Test func theDefaultWindowIsEmptyWhenEveryProjectionIsAtTheHead() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let builder = try WakuStoreBuilder(path: directory.file("s.db"))
            try builder.stream("A-1", version: 1)
            try builder.event(0, stream: "A-1", position: 0)
            try builder.event(5, stream: "A-1", position: 1)
            try builder.checkpoint("p", at: 5)
            try builder.close()
            let result = try await runEventscope(["gaps", directory.file("s.db"), "--json"])
            #expect(result.status == 0)
            #expect(result.stdout.contains(#""gaps": []"#), "\(result.stdout)")
            let all = try await runEventscope(["gaps", directory.file("s.db"), "--from", "0", "--json"])
            #expect(all.stdout.contains(#""from": 1"#) && all.stdout.contains(#""to": 4"#), "\(all.stdout)")
        }

        @Test func forceReplacesAStoreWhoseWriterWasKilledWithoutCorruptingIt() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.file("w.db")
            #expect(try await runEventscope(["demo", "--create-only", "--store", path, "--events", "2000"]).status == 0)
            let writer = try LiveWriter(store: path, rate: 5000)
            defer { writer.kill() }
            func walSize() -> Int { (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0 }
            try await wait(until: "the writer's WAL to pass 100 kB") { walSize() >= 100_000 } seen: { "\(walSize()) bytes" }
            writer.kill()
            #expect(try await writer.child.exitStatus() == 128 + SIGKILL)
            #expect(((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) > 0, "no WAL was left behind")
            let replaced = try await runEventscope(["demo", "--create-only", "--force", "--store", path, "--events", "100"])
            #expect(replaced.status == 0, "\(replaced.stderr)")
            let queue = try DatabaseQueue(path: path)
            #expect(try await queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
            #expect(try await queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM es_events") } == 100)
            try queue.close()
            #expect(try await runEventscope(["gaps", path, "--from", "0"]).status == 0)
        }

        @Test func tailWithATypeFilterStillPrintsALateCommit() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.file("late.db")
            let builder = try WakuStoreBuilder(path: path)
            try builder.stream("A-1", version: 9)
            try builder.event(19, stream: "A-1", position: 0)
            let output = directory.file("tail.jsonl")
            let tail = try startEventscope(["tail", path, "--type", "T1", "--json"], stdout: output, stderr: directory.file("tail.err"))
            defer { tail.signal(SIGKILL) }
            func waitForLine(about position: Int64) async throws {
                try await wait(for: "tail to print position \(position)") { () throws -> Poll<Void> in
                    let printed = try lines(of: output).map(globalPosition)
                    return printed.contains(position) ? .ready(()) : .pending(seen: "positions \(printed)")
                }
            }
            // Once it names the position it follows from, it has read the head (19).
            #expect(try await followedPosition(announcedIn: directory.file("tail.err")) == 19)
            // 20 and 22 commit first; 21 commits late into the hole, as a slower writer's would.
            try builder.event(20, stream: "A-1", position: 1, type: "T1")
            try builder.event(22, stream: "A-1", position: 2, type: "T1")
            try await waitForLine(about: 22)
            try builder.event(21, stream: "A-1", position: 3, type: "T1")
            try builder.event(23, stream: "A-1", position: 4, type: "Other")
            try await waitForLine(about: 21)
            // A last T1 event: once it is printed, tail has passed 23, and a wrongly printed 23 would show.
            try builder.event(24, stream: "A-1", position: 5, type: "T1")
            try await waitForLine(about: 24)
            tail.signal(SIGINT)
            #expect(try await tail.exitStatus() == 0)
            let printed = lines(of: output)
            #expect(try printed.map(globalPosition) == [20, 22, 21, 24], "\(printed)")
            #expect(printed.map { $0.contains(#""late":true"#) } == [false, false, true, false], "\(printed)")
        }
    }
}
