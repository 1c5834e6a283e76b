import EventStore
import Foundation
import GRDB
import TestSupport
import Testing

extension LiveProcessTests {
    /// Plain `eventscope demo` tells the operator's story of issue 8: every status word, each on the
    /// projection that should show it, on the real runner's real read models.
    @Suite struct DemoStoryTmuxTests {
        /// The rows of the Projections pane that name `projection` (with its cursor mark or not).
        static func rows(of projection: String, in screen: String) -> [Substring] {
            screen.split(separator: "\n").filter { $0.contains(" \(projection) ") || $0.contains(">\(projection) ") }
        }

        /// The projection under the Projections pane's cursor (its row reads `│>name `).
        static func selected(in screen: String) -> String? {
            screen.split(separator: "\n").lazy.compactMap { line -> String? in
                guard line.hasPrefix("│>") else { return nil }
                return line.dropFirst(2).split(separator: " ").first.map(String.init)
            }.first
        }

        /// Moves the Projections pane's cursor to `projection`, a row at a time (the list is in name order).
        static func select(_ projection: String, in tmux: TmuxSession) async throws {
            for _ in 0..<20 {
                let screen = try await tmux.waitFor("a projection under the cursor") { Self.selected(in: $0) != nil }
                let current = Self.selected(in: screen)!
                if current == projection { return }
                try await tmux.send(current < projection ? "j" : "k")
                try await tmux.waitFor("the cursor to leave \(current)") { Self.selected(in: $0) != current }
            }
            Issue.record("the cursor never reached \(projection)")
        }

        @Test(.tmux) func everyStatusWordShowsOnItsProjectionAndTheBalancesAreReal() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let store = directory.file("demo.db")
            // 20k events: shipment_tracker starts a few hundred shipment events behind, so its paced
            // catch-up lasts seconds; 50 events/s: the poison event and burnt positions come soon.
            let tmux = try await TmuxSession("\(shellQuote(eventscopeBinary)) demo --store \(shellQuote(store)) --events 20000 --rate 50",
                                             width: 200, height: 30)
            defer {
                tmux.kill()
                for pid in LiveWriter.pids(store: store) + DemoRunnerTmuxTests.runnerPids(store: store) { kill(pid, SIGKILL) }
            }
            try await tmux.waitUntilContains("[2 Events]", timeout: .seconds(120))
            try await tmux.send("4")

            // Each projection's word, seen at some refresh (a keeping-up projection reads
            // catching-up between polls, so each pair only has to show once).
            let story: [(projection: String, word: String)] = [
                ("account_balances", "caught-up"), ("event_counter", "caught-up"), ("shipment_tracker", "catching-up"),
                ("type_hours", "blocked-by-gap"), ("order_history", "lease-expired"),
            ]
            var seen: Set<String> = []
            try await tmux.waitFor("every status word of the story", timeout: .seconds(240)) { screen in
                for (projection, word) in story where Self.rows(of: projection, in: screen).contains(where: { $0.contains(word) }) {
                    seen.insert(projection)
                }
                return seen.count == story.count
            }
            // The crashed worker's row is order_history's, and no runner takes it over.
            try await tmux.waitFor("the crashed worker's lease on order_history") { screen in
                Self.rows(of: "order_history", in: screen).contains { $0.contains("worker-dead-") && $0.contains("lease-expired") }
            }

            // order_summary skipped the poison event's batch, and its detail line says so.
            try await Self.select("order_summary", in: tmux)
            try await tmux.waitUntilContains("1 batches skipped", "poison", timeout: .seconds(120))

            // order_history: no runner serves it; a rebuild request stays pending and the explorer says why.
            try await Self.select("order_history", in: tmux)
            try await tmux.send("R")
            try await tmux.waitUntilContains("Type the projection's name")
            try await tmux.type("order_history")
            try await tmux.send("Enter")
            try await tmux.waitUntilContains("no runner serves order_history: request #1 stays pending", timeout: .seconds(60))

            try await tmux.send("q")
            try await tmux.waitUntilEnded()
            try await wait(until: "the runner to end with the explorer") { DemoRunnerTmuxTests.runnerPids(store: store).isEmpty }

            // The read model is real: account_balances equals a brute-force sum up to its checkpoint.
            let queue = try DatabaseQueue(path: store)
            try await queue.read { db in
                let status = try String.fetchOne(db, sql: "SELECT status FROM es_projection_commands WHERE id = 1")
                #expect(status == "pending")
                let checkpoint = try #require(try Int64.fetchOne(db, sql: "SELECT position FROM es_checkpoints WHERE projection_name = 'account_balances'"))
                let expected = try AccountBalancesBruteForce.expected(db, through: checkpoint)
                #expect(expected.count > 100)
                #expect(try AccountBalancesBruteForce.actual(db) == expected)
                #expect(try Int64.fetchOne(db, sql: "SELECT skipped_batches FROM es_projection_status WHERE projection_name = 'order_summary'") == 1)
            }
        }
    }
}
