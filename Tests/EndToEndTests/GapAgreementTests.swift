import EventStore
import Foundation
import TestSupport
import Testing

extension LiveProcessTests {
    /// One gap, three views at the same moment: the explorer's Gaps and Projections panes (in a
    /// real terminal), `gaps` and `projections`, and `tail` all age it with the same `GapTracker`.
    @Suite struct GapAgreementTests {
        @Test(.tmux) func theGapsPaneTheProjectionsPaneAndTailAgree() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = directory.file("gap.db")
            // Events of 2026-11-02 with position 5 missing: a gap far older than the 10 s timeout.
            let builder = try WakuStoreBuilder(path: path)
            try builder.stream("Order-1", version: 6)
            for p: GlobalPosition in [0, 1, 2, 3, 4, 6, 7] { try builder.event(p, stream: "Order-1", position: p > 5 ? p - 1 : p) }
            try builder.checkpoint("orders", at: 4)
            try builder.checkpoint("all", at: 7)

            // The scriptable views: stale, and the projection below it blocked.
            let gaps = try await runEventscope(["gaps", path, "--json"])
            #expect(gaps.status == 0, "\(gaps.stderr)")
            #expect(gaps.stdout.contains(#""state" : "stale""#) || gaps.stdout.contains(#""state": "stale""#), "\(gaps.stdout)")
            let projections = try await runEventscope(["projections", path, "--json"])
            #expect(projections.stdout.contains("blocked-by-gap"), "\(projections.stdout)")

            // The explorer, in tmux: the same words.
            let tmux = try await TmuxSession(shellQuote(eventscopeBinary) + " " + shellQuote(path), width: 100, height: 20)
            defer { tmux.kill() }
            try await tmux.send("5")
            let gapsPane = try await tmux.waitFor("the Gaps pane to list gap 5 as stale") { screen in
                screen.split(separator: "\n").contains { $0.contains("│>5 ") && $0.contains("stale") && $0.contains("orders") }
            }
            #expect(gapsPane.contains("missing"))
            try await tmux.send("4")
            _ = try await tmux.waitFor("the Projections pane to say orders is blocked by the gap") { screen in
                screen.split(separator: "\n").contains { $0.contains("orders") && $0.contains("blocked-by-gap") }
            }

            // tail treats the gap as stale too: a commit into it now is not printed as late, as a
            // runner with gap detection has skipped it; a commit after the head is printed.
            let output = directory.file("tail.jsonl")
            let tail = try startEventscope(["tail", path, "--from", "0", "--json", "--gap-timeout", "10"],
                                           stdout: output, stderr: directory.file("tail.err"))
            defer { tail.signal(SIGKILL) }
            try await wait(for: "tail to print the seven events") { () -> Poll<Void> in
                lines(of: output).count >= 7 ? .ready(()) : .pending(seen: "\(lines(of: output).count) lines")
            }
            try builder.stream("Late-1", version: 0)
            try builder.event(5, stream: "Late-1", position: 0)
            try builder.event(8, stream: "Order-1", position: 7)
            try await wait(for: "tail to print the event after the head") { () -> Poll<Void> in
                lines(of: output).count >= 8 ? .ready(()) : .pending(seen: "\(lines(of: output).count) lines")
            }
            // The explorer sees the gap filled at its next refresh, and tail has not printed 5.
            _ = try await tmux.waitFor("the Gaps pane to drop the filled gap") { screen in
                !screen.split(separator: "\n").contains { $0.contains("│>5 ") || $0.contains("│ 5 ") }
            }
            tail.signal(SIGINT)
            #expect(try await tail.exitStatus() == 0)
            let printed = try lines(of: output).map(globalPosition)
            #expect(printed == [0, 1, 2, 3, 4, 6, 7, 8], "\(printed)")
            try builder.close()
        }
    }
}
