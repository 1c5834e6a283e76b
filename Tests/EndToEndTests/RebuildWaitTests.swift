import EventStore
import Foundation
import TestSupport
import Testing

extension LiveProcessTests {
    /// `rebuild --wait` without a terminal: the test stands in for the runner, moving the request
    /// and the status row on through the store, and waits on what the command prints.
    @Suite struct RebuildWaitTests {
        struct Waiting {
            let process: ChildProcess
            let stdout: String, stderr: String

            var out: [String] { lines(of: stdout) }
            var err: String { (try? String(contentsOfFile: stderr, encoding: .utf8)) ?? "" }

            func waitForLine(containing text: String) async throws {
                try await wait(for: "a line with \(text.debugDescription)") { () -> Poll<Void> in
                    let seen = out
                    return seen.contains { $0.contains(text) } ? .ready(()) : .pending(seen: seen.joined(separator: "\n") + "\nstderr: " + err)
                }
            }
        }

        static func start(_ path: String, _ projection: String, in directory: TemporaryDirectory) throws -> Waiting {
            let (out, err) = (directory.file("wait.out"), directory.file("wait.err"))
            let process = try startEventscope(["rebuild", path, projection, "--yes", "--wait", "--interval", "0.05", "--requested-by", "ops@ci"],
                                              stdout: out, stderr: err)
            return Waiting(process: process, stdout: out, stderr: err)
        }

        /// pending → running → rebuilding progress → done, exit 0; a live lease holder means no
        /// "no runner" line.
        @Test func waitFollowsARequestToDone() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = try servedStore(in: directory)
            let runner = try RunnerStandIn(path: path)
            defer { try? runner.close() }
            try runner.lease("orders", holder: "runner-1", expiresAt: Timestamp.now().adding(seconds: 600))
            let waiting = try Self.start(path, "orders", in: directory)
            defer { waiting.process.signal(SIGKILL) }
            try await waiting.waitForLine(containing: "request #1 (rebuild orders): pending")
            #expect(waiting.out.first?.contains("requested by ops@ci") == true)

            try runner.answer(1, status: "running")
            try await waiting.waitForLine(containing: "request #1 (rebuild orders): running, started ")
            try runner.setCheckpoint("orders", to: 2)
            try runner.status("orders", state: "rebuilding", checkpoint: 2, eventsPerSecond: 3, rebuildTarget: 9)
            // 3 of 10 positions; 7 left at 3 events/s.
            try await waiting.waitForLine(containing: "rebuilding orders:  30%  3 / 10 positions  3 events/s  ETA 2.3s")

            try runner.status("orders", state: "running", checkpoint: 9, eventsPerSecond: 3)
            try runner.answer(1, status: "done", detail: "replayed 10 events")
            #expect(try await waiting.process.exitStatus() == 0, "\(waiting.err)")
            #expect(waiting.out.last?.hasPrefix("request #1 (rebuild orders): done in ") == true, "\(waiting.out)")
            #expect(waiting.out.last?.hasSuffix(": replayed 10 events") == true)
            #expect(!waiting.out.contains { $0.contains("no runner") })
        }

        @Test(arguments: ["failed", "rejected"])
        func waitExitsOneWithTheDetail(_ outcome: String) async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = try servedStore(in: directory)
            let runner = try RunnerStandIn(path: path)
            defer { try? runner.close() }
            try runner.lease("all", holder: "runner-1", expiresAt: Timestamp.now().adding(seconds: 600))
            let waiting = try Self.start(path, "all", in: directory)
            defer { waiting.process.signal(SIGKILL) }
            try await waiting.waitForLine(containing: "pending")
            // The detail is another program's text: an escape sequence in it is shown, not obeyed.
            try runner.answer(1, status: outcome, detail: "apply failed at position 7: \u{1B}[2Jboom")
            #expect(try await waiting.process.exitStatus() == 1)
            #expect(waiting.out.last == #"request #1 (rebuild all): \#(outcome): apply failed at position 7: \u001b[2Jboom"#, "\(waiting.out)")
            #expect(waiting.err == #"eventscope: request #1 \#(outcome): apply failed at position 7: \u001b[2Jboom"# + "\n")
        }

        /// No live lease holder (an expired lease here): said once while the request stays pending,
        /// and the command keeps following; Ctrl-C stops waiting and says the request stays filed.
        @Test func waitSaysOnceThatNoRunnerServesAndCtrlCLeavesTheRequestFiled() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let path = try servedStore(in: directory)
            let runner = try RunnerStandIn(path: path)
            defer { try? runner.close() }
            try runner.lease("orders", holder: "worker-dead", expiresAt: Timestamp.now().adding(seconds: -60))
            let waiting = try Self.start(path, "orders", in: directory)
            defer { waiting.process.signal(SIGKILL) }
            try await waiting.waitForLine(containing: "no runner currently serves orders (no live lease holder)")
            // It keeps following: a runner that picks the request up later is seen.
            #expect(!waiting.process.hasExited)
            try runner.lease("orders", holder: "runner-2", expiresAt: Timestamp.now().adding(seconds: 600))
            try runner.answer(1, status: "running")
            try await waiting.waitForLine(containing: "request #1 (rebuild orders): running")
            waiting.process.signal(SIGINT)
            #expect(try await waiting.process.exitStatus() == 130)
            #expect(waiting.out.filter { $0.contains("no runner currently serves") }.count == 1, "\(waiting.out)")
            #expect(waiting.err.contains("stopped waiting: request #1 stays filed (running)"), "\(waiting.err)")
            #expect(try await requests(in: path).map(\.status) == [.running])
        }
    }
}
