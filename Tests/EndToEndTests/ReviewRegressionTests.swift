import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

/// Cases a review found: each failed before its fix.
@Suite struct ReviewRegressionTests {
    @Test func theDefaultWindowIsEmptyWhenEveryProjectionIsAtTheHead() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let builder = try WakuStoreBuilder(path: directory.file("s.db"))
        try builder.stream("A-1", version: 1)
        try builder.event(0, stream: "A-1", position: 0)
        try builder.event(5, stream: "A-1", position: 1)
        try builder.checkpoint("p", at: 5)
        try builder.close()
        let result = try runEventscope(["gaps", directory.file("s.db"), "--json"])
        #expect(result.status == 0)
        #expect(result.stdout.contains(#""gaps": []"#), "\(result.stdout)")
        let all = try runEventscope(["gaps", directory.file("s.db"), "--from", "0", "--json"])
        #expect(all.stdout.contains(#""from": 1"#) && all.stdout.contains(#""to": 4"#), "\(all.stdout)")
    }

    @Test func forceReplacesAStoreWhoseWriterWasKilledWithoutCorruptingIt() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("w.db")
        #expect(try runEventscope(["demo", "--create-only", "--store", path, "--events", "2000"]).status == 0)
        let writer = try startEventscope(["demo", "--live", "--store", path, "--rate", "5000"])
        let deadline = Date().addingTimeInterval(10)
        while ((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) < 100_000, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        kill(writer.processIdentifier, SIGKILL)
        writer.waitUntilExit()
        #expect(((try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0) > 0, "no WAL was left behind")
        let replaced = try runEventscope(["demo", "--create-only", "--force", "--store", path, "--events", "100"])
        #expect(replaced.status == 0, "\(replaced.stderr)")
        let queue = try DatabaseQueue(path: path)
        #expect(try queue.read { try String.fetchAll($0, sql: "PRAGMA integrity_check") } == ["ok"])
        #expect(try queue.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM es_events") } == 100)
        try queue.close()
        #expect(try runEventscope(["gaps", path, "--from", "0"]).status == 0)
    }

    @Test func tailWithATypeFilterStillPrintsALateCommit() throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("late.db")
        let builder = try WakuStoreBuilder(path: path)
        try builder.stream("A-1", version: 9)
        try builder.event(19, stream: "A-1", position: 0)
        let output = directory.file("tail.jsonl")
        let tail = try startEventscope(["tail", path, "--type", "T1", "--json"], standardOutput: try outputFile(output))
        defer { tail.interrupt(); tail.waitUntilExit() }
        func lines() -> [String] {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        func wait(for count: Int) {
            let deadline = Date().addingTimeInterval(10)
            while lines().count < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        }
        Thread.sleep(forTimeInterval: 0.5)
        // 20 and 22 commit first; 21 commits late into the hole, as a slower writer's would.
        try builder.event(20, stream: "A-1", position: 1, type: "T1")
        try builder.event(22, stream: "A-1", position: 2, type: "T1")
        wait(for: 2)
        try builder.event(21, stream: "A-1", position: 3, type: "T1")
        try builder.event(23, stream: "A-1", position: 4, type: "Other")
        wait(for: 3)
        Thread.sleep(forTimeInterval: 0.5)
        let printed = lines()
        #expect(printed.count == 3, "\(printed)")
        #expect(printed.map { $0.contains(#""global_position":21"#) } == [false, false, true])
        #expect(printed.last?.contains(#""late":true"#) == true)
    }
}
