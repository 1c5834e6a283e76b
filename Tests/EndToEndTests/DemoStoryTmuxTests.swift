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
            screen.split(separator: "\n").filter { $0.hasPrefix("│ \(projection) ") || $0.hasPrefix("│>\(projection) ") }
        }

        /// A row's CHECKPOINT, the column after the name.
        static func checkpoint(_ row: Substring) -> Int64? {
            row.dropFirst(2).split(separator: " ").dropFirst().first.flatMap { Int64($0) }
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
            // 30k events: shipment_tracker starts some 1,100 shipment events behind, so its paced
            // catch-up lasts some 17 s; 50 events/s: the poison event and burnt positions come soon.
            let created = try await runEventscope(["demo", "--create-only", "--store", store, "--events", "30000"])
            #expect(created.status == 0)
            let queue = try DatabaseQueue(path: store)
            let createdHead = try #require(try await queue.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(global_position) FROM es_events") })
            let tmux = try await TmuxSession("\(shellQuote(eventscopeBinary)) demo --store \(shellQuote(store)) --rate 50",
                                             width: 200, height: 30)
            defer {
                tmux.kill()
                for pid in LiveWriter.pids(store: store) + DemoRunnerTmuxTests.runnerPids(store: store) { kill(pid, SIGKILL) }
            }
            try await tmux.waitUntilContains("[2 Events]", timeout: .seconds(120))
            try await tmux.send("4")

            // Each projection's word, seen at some refresh, where the story puts it: the keeping-up
            // ones past the created store's head; shipment_tracker still below it, after the others
            // caught up; type_hours held at a position the live writer burnt (not at one of the
            // created store's old gaps, which it passes at once).
            let story: [(projection: String, word: String, where: (Int64) -> Bool)] = [
                ("account_balances", "caught-up", { $0 > createdHead }), ("event_counter", "caught-up", { $0 > createdHead }),
                ("shipment_tracker", "catching-up", { $0 < createdHead }), ("type_hours", "blocked-by-gap", { $0 > createdHead }),
                ("order_history", "lease-expired", { _ in true }),
            ]
            var seen: Set<String> = []
            do {
                try await tmux.waitFor("every status word of the story", timeout: .seconds(300)) { screen in
                    // shipment_tracker's catching-up counts on a screen where event_counter is past the created head.
                    let counterPast = Self.rows(of: "event_counter", in: screen).contains { Self.checkpoint($0).map { $0 > createdHead } == true }
                    for (projection, word, place) in story where projection != "shipment_tracker" || counterPast {
                        if Self.rows(of: projection, in: screen).contains(where: { $0.contains(" \(word) ") && Self.checkpoint($0).map(place) == true }) {
                            seen.insert(projection)
                        }
                    }
                    return seen.count == story.count
                }
            } catch {
                Issue.record("seen only \(seen.sorted())")
                throw error
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
