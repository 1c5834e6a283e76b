import EventStore
import ExplorerConfig
import ExplorerCore
import Foundation
import Synchronization
import Testing
import TestSupport

/// Acceptance 7 of issue 8: a configured rebuild command runs, without a shell, with a hostile
/// projection name as one argument, and its output shows in the explorer's log view. A real
/// script prints its arguments one per line; the explorer runs it through `SubprocessLauncher`.
@Suite struct ForeignRebuildTests {
    /// A script that prints each argument on a line of its own, a line on stderr, and exits 3.
    static func script(in dir: TemporaryDirectory) async throws -> String {
        let path = dir.file("rebuild.sh")
        try await writeExecutable("""
            #!/bin/sh
            for a in "$@"; do printf 'arg:%s\\n' "$a"; done
            echo "replaying events" >&2
            echo "rebuild finished"
            exit 3
            """, to: path)
        return path
    }

    static let now = Timestamp(parsing: "2026-11-22T12:00:00Z")!

    static func store(projection: String) -> InMemoryStore {
        let time = StoreTime(text: "2026-11-22T11:59:00Z")
        return InMemoryStore(
            info: StoreInfo(location: "shop.db", layout: .waku),
            streams: [StreamSummary(id: "Order-o1", type: "Order", version: 0, createdAt: nil, updatedAt: time, deletedAt: nil)],
            events: [RecordedEvent(globalPosition: 0, eventId: "e0", streamId: "Order-o1", eventType: "OrderPlaced", position: 0, data: "{}",
                                   metadata: "{}", timestamp: time, schemaVersion: 1, idempotencyKey: "k0")],
            checkpoints: [Checkpoint(projectionName: projection, position: 0, updatedAt: time, createdAt: nil)],
            databaseNow: now)
    }

    @Test func aHostileNameReachesTheProgramAsOneArgumentAndItsOutputShowsInTheLogView() async throws {
        let dir = TemporaryDirectory("f")
        defer { dir.remove() }
        let marker = dir.file("m")
        // Had a shell seen the name, each of these would have created the marker.
        let hostile = "x; touch \(marker); $(touch \(marker)) `touch \(marker)`"
        let script = try await Self.script(in: dir)
        let config = try ConfigParser.parse("""
            [[store]]
            match = "shop.db"
            [store.projections."\(hostile.replacingOccurrences(of: "\\", with: "\\\\"))"]
            rebuild = ["\(script)", "rebuild", "{projection}", "--name={projection}"]
            """, file: "config.toml")
        let setup = config.rebuildSetup(for: ["shop.db"])
        #expect(setup.foreignCommands[hostile] != nil)

        var explorer = HeadlessExplorer(reader: Self.store(projection: hostile), width: 200, height: 20, now: Self.now,
                                        rebuildSetup: setup, launcher: SubprocessLauncher())
        await explorer.start()
        await explorer.press([.char("4"), .char("R")] + hostile.map(Key.char) + [.enter])

        let log = try #require(explorer.state.commandLog)
        #expect(log.arguments == [script, "rebuild", hostile, "--name=" + hostile])
        // Exactly three arguments arrived, the name whole in each.
        #expect(log.lines.filter { $0.stream == .stdout }.map(\.text) == [
            "arg:rebuild", "arg:" + hostile, "arg:--name=" + hostile, "rebuild finished",
        ])
        #expect(log.lines.filter { $0.stream == .stderr }.map(\.text) == ["replaying events"])
        #expect(log.exit == .exited(3))
        #expect(!FileManager.default.fileExists(atPath: marker))

        // The log view shows them, and how the command ended.
        let screen = explorer.screen.plainText()
        #expect(explorer.state.showLog)
        #expect(screen[2].contains("· exited with status 3 · Esc closes"), "\(screen[2])")
        let body = screen.joined(separator: "\n")
        for line in ["arg:rebuild", "arg:" + hostile, "arg:--name=" + hostile, "replaying events", "rebuild finished", "exited with status 3"] {
            #expect(body.contains(line), "\(line) not in the log view:\n\(body)")
        }
    }

    @Test func aProgramThatDoesNotExistIsOneClearLine() async {
        let exit = await SubprocessLauncher().run(["/nonexistent/waku-app", "rebuild", "p"]) { _ in }
        #expect(exit == .failedToStart("no program \"/nonexistent/waku-app\" can be run (check the rebuild command in the config, and PATH)"))
    }

    /// No deadline is guessed here: each wait ends on a condition (the script's child is known,
    /// or the command ended first, which fails at once), so a loaded machine only makes it slower.
    @Test(.timeLimit(.minutes(10))) func cancellingStopsTheCommandAndWhatItStarted() async throws {
        let dir = TemporaryDirectory("foreign")
        defer { dir.remove() }
        let path = dir.file("long.sh")
        let pidFile = dir.file("child.pid")
        // The script starts a child of its own, then waits: stopping must reach both. The child's
        // pid goes to a file (written whole by a rename), so seeing it does not depend on how soon
        // the launcher hands on output lines.
        try await writeExecutable("""
            #!/bin/sh
            sleep 300 &
            echo "$!" > '\(pidFile).tmp' && mv '\(pidFile).tmp' '\(pidFile)'
            echo "child $!"
            wait
            """, to: path)
        let lines = Mutex<[String]>([])
        let ended = Mutex<CommandExit?>(nil)
        let task = Task {
            let exit = await SubprocessLauncher(graceSeconds: 2).run([path]) { out in lines.withLock { $0 += out.map(\.text) } }
            ended.withLock { $0 = exit }
            return exit
        }
        // Whatever happens below, the script and its child do not outlive the test.
        defer { task.cancel() }
        let child = try await wait(for: "the script to start its child", timeout: .seconds(3600)) { () -> Poll<Int32> in
            if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) { return .ready(pid) }
            if let exit = ended.withLock({ $0 }) { throw ScriptEnded(exit: exit) }
            return .pending(seen: "\(lines.withLock { $0 })")
        }
        task.cancel()
        let exit = await task.value
        #expect(exit == .signalled(15) || exit == .signalled(9), "\(exit)")
        try await wait(until: "the script's child to be gone", timeout: .seconds(3600)) { kill(child, 0) != 0 || Self.isZombie(child) }
    }

    struct ScriptEnded: Error { let exit: CommandExit }

    static func isZombie(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        return stat.split(separator: ")").last?.split(separator: " ").first == "Z"
    }
}
