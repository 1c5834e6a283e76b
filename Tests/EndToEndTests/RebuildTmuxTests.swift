import EventStore
import Foundation
import TestSupport
import Testing

extension LiveProcessTests {
    /// `rebuild` at a real terminal: the impact, the typed confirmation, the progress bar.
    @Suite struct RebuildTmuxTests {
        static let binary = shellQuote(eventscopeBinary)

        /// The pane runs the command, then prints its status and waits, so the last screen stays.
        static func session(_ arguments: String) async throws -> TmuxSession {
            try await TmuxSession("\(binary) \(arguments); echo \"exit $?\"; read done", width: 120, height: 30)
        }

        @Test(.tmux) func theImpactThenTheTypedNameThenAProgressBarToDone() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = try servedStore(in: directory)
            let runner = try RunnerStandIn(path: path)
            defer { try? runner.close() }
            try runner.lease("orders", holder: "runner-7", expiresAt: Timestamp.now().adding(seconds: 600))
            let tmux = try await Self.session("rebuild \(shellQuote(path)) orders --wait --interval 0.1 --requested-by ops@tty")
            defer { tmux.kill() }
            let impact = try await tmux.waitUntilContains("Type the projection's name")
            // Checkpoint 4 of head 9; OrderPlaced events 0, 2, 4, 6, 8 replayed; 5 at 250 events/s.
            #expect(impact.contains("Rebuild orders in \(path)"), "\(impact)")
            #expect(impact.contains("checkpoint        4 (head 9)") && impact.contains("events to replay  5"), "\(impact)")
            #expect(impact.contains("lease             held by runner-7") && impact.contains("estimate          ~0.0s at 250 events/s"), "\(impact)")
            #expect(try await requests(in: path).isEmpty, "nothing is filed before the name is typed")

            try await tmux.type("orders")
            try await tmux.send("Enter")
            try await tmux.waitUntilContains("request #1 (rebuild orders): pending")
            try runner.answer(1, status: "running")
            try runner.setCheckpoint("orders", to: 4)
            try runner.status("orders", state: "rebuilding", checkpoint: 4, eventsPerSecond: 2, rebuildTarget: 9)
            let bar = try await tmux.waitUntilContains("[############------------]   50%  5 / 10 positions  2 events/s  ETA 2.5s")
            #expect(bar.contains("request #1 (rebuild orders): running"))
            try runner.status("orders", state: "rebuilding", checkpoint: 8, eventsPerSecond: 2, rebuildTarget: 9)
            try await tmux.waitUntilContains("[#####################---]   90%")
            try runner.status("orders", state: "running", checkpoint: 9, eventsPerSecond: 2)
            try runner.answer(1, status: "done", detail: "replayed 5 events")
            let end = try await tmux.waitUntilContains("exit 0")
            #expect(end.contains("request #1 (rebuild orders): done in ") && end.contains(": replayed 5 events"), "\(end)")
            // The bar was cleared, not left among the lines.
            #expect(!end.contains("positions  2 events/s"), "\(end)")
            #expect(try await requests(in: path).map(\.requestedBy) == ["ops@tty"])
        }

        @Test(.tmux, arguments: ["wrong name", "end of input"])
        func anythingButTheNameCancelsWithNothingFiled(_ answer: String) async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = try servedStore(in: directory)
            let tmux = try await Self.session("rebuild \(shellQuote(path)) orders")
            defer { tmux.kill() }
            try await tmux.waitUntilContains("Type the projection's name")
            if answer == "wrong name" {
                try await tmux.type("order")
                try await tmux.send("Enter")
                try await tmux.waitUntilContains(#"cancelled: "order" is not "orders"; nothing was filed"#, "exit 1")
            } else {
                try await tmux.send("C-d")
                try await tmux.waitUntilContains("cancelled (no answer): nothing was filed", "exit 1")
            }
            #expect(try await requests(in: path).isEmpty)
        }
    }
}
