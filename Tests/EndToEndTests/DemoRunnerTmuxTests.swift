import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

extension LiveProcessTests {
    /// Plain `eventscope demo` with its runner: R in the explorer reaches a real runner.
    @Suite struct DemoRunnerTmuxTests {
        /// The demo's runner children for a store (they end with the explorer; a failed test kills them).
        static func runnerPids(store: String) -> [pid_t] {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return entries.compactMap { entry in
                guard let pid = pid_t(entry), let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
                let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
                return arguments.contains("runner") && arguments.contains(store) ? pid : nil
            }
        }

        static func commands(_ queue: DatabaseQueue) throws -> [[String]] {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM es_projection_commands ORDER BY id").map { $0.databaseValues.map { String(describing: $0) } }
            }
        }

        @Test(.tmux) func rebuildFromTheExplorerReachesDoneAndAnUnservedRequestStaysPending() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let store = directory.file("demo.db")
            let tmux = try await TmuxSession("\(shellQuote(eventscopeBinary)) demo --store \(shellQuote(store)) --events 5000 --rate 5",
                                             width: 170, height: 30)
            defer {
                tmux.kill()
                for pid in LiveWriter.pids(store: store) + Self.runnerPids(store: store) { kill(pid, SIGKILL) }
            }
            try await tmux.waitUntilContains("[2 Events]", timeout: .seconds(120))
            try await tmux.send("4")
            // The runner serves event_counter: its lease shows in the list.
            try await tmux.waitFor("the runner holding event_counter", timeout: .seconds(60)) { screen in
                screen.split(separator: "\n").contains { $0.contains("event_counter") && $0.contains("eventscope-") }
            }
            try await tmux.send("j")
            try await tmux.send("j")
            try await tmux.waitUntilContains(">event_counter")
            let queue = try DatabaseQueue(path: store)

            // Esc on the confirmation files nothing.
            let before = try Self.commands(queue)
            try await tmux.send("R")
            try await tmux.waitUntilContains("Type the projection's name")
            try await tmux.type("event_c")
            try await tmux.send("Escape")
            try await tmux.waitFor("the confirmation to close") { !$0.contains("Rebuild event_counter?") }
            #expect(try Self.commands(queue) == before)
            #expect(before.isEmpty)

            // R, the name, Enter: the runner rebuilds it to done and the checkpoint returns to the head.
            let headAtRequest: Int64 = try await queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(global_position) FROM es_events") } ?? 0
            try await tmux.send("R")
            try await tmux.waitUntilContains("Type the projection's name")
            try await tmux.type("event_counter")
            try await tmux.send("Enter")
            try await tmux.waitUntilContains("rebuild #1 done", timeout: .seconds(120))
            let done = try await queue.read { db in try String.fetchOne(db, sql: "SELECT status FROM es_projection_commands WHERE id = 1") }
            #expect(done == "done")
            try await wait(until: "the checkpoint back at the head as of the request", timeout: .seconds(60)) {
                (try await queue.read { db in try Int64.fetchOne(db, sql: "SELECT position FROM es_checkpoints WHERE projection_name = 'event_counter'") } ?? -1) >= headAtRequest - 3
            }

            // order_history: no runner serves it; the request stays pending and the explorer says why.
            try await tmux.send("j")
            try await tmux.waitUntilContains(">order_history")
            try await tmux.send("R")
            try await tmux.waitUntilContains("Type the projection's name")
            try await tmux.type("order_history")
            try await tmux.send("Enter")
            try await tmux.waitUntilContains("no runner serves order_history: request #2 stays pending", timeout: .seconds(60))
            let pending = try await queue.read { db in try String.fetchOne(db, sql: "SELECT status FROM es_projection_commands WHERE id = 2") }
            #expect(pending == "pending")
            try await tmux.send("q")
            try await tmux.waitUntilEnded()
            try await wait(until: "the runner to end with the explorer") { Self.runnerPids(store: store).isEmpty }
        }
    }
}
