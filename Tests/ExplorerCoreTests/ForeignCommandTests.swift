import Clocks
import EventStore
import ExplorerCore
import Synchronization
import Testing
import TestSupport

/// A projection with a configured rebuild command: the same confirmation, then the command's
/// log view (through a scripted launcher: the real process runner is tested in ExplorerConfigTests).
@Suite struct ForeignCommandTests {
    static let hostile = "x; rm -rf /"

    /// The fixture with a projection named `x; rm -rf /`, rebuilt by `waku-app rebuild {projection}`.
    static var store: FakeStore {
        var store = Fixture.store
        store.checkpointRows.append(Checkpoint(projectionName: hostile, position: 5, updatedAt: StoreTime(text: "2026-11-22T11:59:00Z"), createdAt: nil))
        return store
    }

    static let setup = RebuildSetup(foreignCommands: [hostile: ForeignCommand(["waku-app", "rebuild", "--name={projection}", "{projection}"])])

    static func explorer(_ launcher: ScriptedLauncher) async -> HeadlessExplorer {
        var explorer = await Fixture.rebuildExplorer(store: store, setup: setup, launcher: launcher)
        // Rows in name order: balances, orders, then the hostile name.
        await explorer.press([.char("4"), .char("j"), .char("j"), .char("R")])
        return explorer
    }

    static var launcher: ScriptedLauncher { ScriptedLauncher(output: [CommandOutput(.stdout, "rebuilding x; rm -rf /"), CommandOutput(.stderr, "warning: slow"),
                                                    CommandOutput(.stdout, "done: 3 events")], exit: .exited(0)) }

    @Test func theConfirmationShowsTheCommandWithTheNameAsOneWord() async {
        let launcher = ScriptedLauncher(output: [], exit: .exited(0))
        let explorer = await Self.explorer(launcher)
        let text = explorer.screen.plainText().joined(separator: "\n")
        #expect(text.contains("Rebuild x; rm -rf /?"), "\(text)")
        #expect(text.contains("runs           waku-app rebuild '--name=x; rm -rf /' 'x; rm -rf /'"), "\(text)")
        #expect(launcher.runs.isEmpty)
    }

    @Test func confirmingRunsTheArgumentListAndShowsItsOutputInTheLogView() async {
        let launcher = Self.launcher
        var explorer = await Self.explorer(launcher)
        await explorer.press(Array(Self.hostile).map(Key.char) + [.enter])
        #expect(launcher.runs == [["waku-app", "rebuild", "--name=x; rm -rf /", "x; rm -rf /"]])
        let text = explorer.screen.plainText()
        #expect(explorer.state.showLog)
        #expect(text[2].contains("Rebuild x; rm -rf / · exited with status 0 · Esc closes"), "\(text[2])")
        #expect(Array(text[3...7].map { String($0.dropFirst(4).prefix(60)).trimmingSuffixSpaces }) == [
            "$ waku-app rebuild '--name=x; rm -rf /' 'x; rm -rf /'",
            "rebuilding x; rm -rf /",
            "warning: slow",
            "done: 3 events",
            "exited with status 0",
        ], "\(text.joined(separator: "\n"))")
        // Esc closes the view; L opens it again.
        await explorer.press([.escape])
        #expect(!explorer.state.showLog && explorer.state.focus == .projections)
        await explorer.press([.char("L")])
        #expect(explorer.state.showLog)
    }

    @Test func escOnTheConfirmationRunsNothing() async {
        let launcher = Self.launcher
        var explorer = await Self.explorer(launcher)
        await explorer.press(Array(Self.hostile).map(Key.char) + [.escape])
        #expect(launcher.runs.isEmpty)
        #expect(explorer.state.commandLog == nil)
    }

    @Test func aFailedCommandSaysSoOnTheStatusLine() async {
        let launcher = ScriptedLauncher(output: [CommandOutput(.stderr, "no such projection")], exit: .exited(3))
        var explorer = await Self.explorer(launcher)
        await explorer.press(Array(Self.hostile).map(Key.char) + [.enter, .escape])
        #expect(explorer.state.message == Message(text: "the rebuild command for x; rm -rf / exited with status 3", isError: true))
    }

    @Test func theLogViewScrollsAndFollowsTheEnd() {
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        state.rebuildSetup = Self.setup
        state.commandLog = CommandLog(run: 1, projection: "p", arguments: ["cmd"], startedAt: Fixture.now)
        state.showLog = true
        _ = state.apply(.commandOutput(run: 1, (1...30).map { CommandOutput(.stdout, "line \($0)") }))
        // 12 rows: the view shows 5 lines, the newest at the bottom.
        var text = Screen.render(state).plainText()
        #expect(text[7].contains("line 30"), "\(text.joined(separator: "\n"))")
        _ = state.apply(.key(.char("g")))
        text = Screen.render(state).plainText()
        #expect(text[3].contains("$ cmd") && text[4].contains("line 1 "), "\(text.joined(separator: "\n"))")
        // Scrolled back, new output does not move the view; G follows again.
        _ = state.apply(.commandOutput(run: 1, [CommandOutput(.stdout, "line 31")]))
        #expect(Screen.render(state).plainText()[3].contains("$ cmd"))
        _ = state.apply(.key(.char("G")))
        #expect(Screen.render(state).plainText()[7].contains("line 31"))
        // Output of another run is not this log's.
        _ = state.apply(.commandOutput(run: 2, [CommandOutput(.stdout, "stray")]))
        #expect(state.commandLog?.lines.count == 31)
    }

    @Test func xStopsARunningCommandAndEscLeavesItRunning() {
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        state.commandLog = CommandLog(run: 4, projection: "p", arguments: ["cmd"], startedAt: Fixture.now)
        state.showLog = true
        #expect(state.apply(.key(.escape)) == [])
        #expect(!state.showLog && state.message?.text == "the rebuild command for p keeps running: L shows its log")
        _ = state.apply(.key(.char("L")))
        #expect(state.apply(.key(.char("x"))) == [.stopCommand(run: 4)])
        _ = state.apply(.commandEnded(run: 4, .signalled(15)))
        #expect(Screen.render(state).plainText()[2].contains("killed by signal 15"))
        #expect(state.apply(.key(.char("x"))) == [])
    }

    @Test func aSecondCommandWaitsForTheFirst() {
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        state.rebuildSetup = Self.setup
        state.focus = .projections
        let progress = ProjectionProgress(checkpoint: Checkpoint(projectionName: Self.hostile, position: 5, updatedAt: StoreTime(text: "2026-11-22T11:59:00Z"),
                                                                 createdAt: nil),
                                          lease: nil, pending: .zero, nextVisible: nil, nextVisibleTime: nil)
        state.projections.rows = [ProjectionStatus(progress, head: 7, databaseNow: Fixture.now, gaps: GapTracker(timeout: 10), now: Fixture.now)]
        state.commandLog = CommandLog(run: 4, projection: "p", arguments: ["cmd"], startedAt: Fixture.now)
        #expect(state.apply(.key(.char("R"))) == [])
        #expect(state.confirmation == nil)
        #expect(state.message?.text == "the rebuild command for p is still running: L shows its log, x there stops it")
        // Once it has ended, R opens the confirmation (and asks for the impact).
        _ = state.apply(.commandEnded(run: 4, .exited(0)))
        #expect(state.apply(.key(.char("R"))).count == 1)
        #expect(state.confirmation?.projection == Self.hostile)
    }
}

/// The effect runner files requests and runs commands off the loop, and stops them when asked.
@Suite struct EffectRunnerRebuildTests {
    /// A launcher whose command runs until it is cancelled, after one line.
    struct EndlessLauncher: CommandLauncher {
        func run(_ arguments: [String], output: @escaping @Sendable ([CommandOutput]) -> Void) async -> CommandExit {
            output([CommandOutput(.stdout, "started")])
            // Runs until its task is cancelled, as a real launcher's process would.
            let stopped = Gate()
            await withTaskCancellationHandler { await stopped.wait() } onCancel: { stopped.open() }
            return .signalled(15)
        }
    }

    static func collect(_ body: (EffectRunner) async -> Void, requester: (any CommandRequester)? = nil,
                        launcher: (any CommandLauncher)? = nil) async -> [Action] {
        let actions = Mutex<[Action]>([])
        let runner = EffectRunner(reader: Fixture.store, clock: TestClock(), requester: requester, requestedBy: "ada@ops (eventscope explore)",
                                  launcher: launcher) { action in actions.withLock { $0.append(action) } }
        await body(runner)
        await runner.finish()
        return actions.withLock { $0 }
    }

    @Test func aRequestIsFiledWithWhoAsked() async {
        let requester = RecordingRequester()
        let actions = await Self.collect({ $0.perform(.requestRebuild(projection: "orders")) }, requester: requester)
        #expect(requester.calls == [RecordingRequester.Call(command: "rebuild", projection: "orders", requestedBy: "ada@ops (eventscope explore)")])
        guard case .rebuildRequested("orders", 41) = actions.first else { Issue.record("\(actions)"); return }
    }

    @Test func withoutARequesterTheRequestFailsWithAReason() async {
        let actions = await Self.collect { $0.perform(.requestRebuild(projection: "orders")) }
        guard case .rebuildRequestFailed("orders", let message) = actions.first else { Issue.record("\(actions)"); return }
        #expect(message == "this explorer has no request connection to the store")
    }

    @Test func stopCommandEndsARunningCommand() async {
        let seen = Mutex<[Action]>([])
        let runner = EffectRunner(reader: Fixture.store, clock: TestClock(), launcher: EndlessLauncher()) { action in seen.withLock { $0.append(action) } }
        runner.perform(.runCommand(run: 9, arguments: ["sleepy"]))
        try? await wait(until: "the command's first line") {
            seen.withLock { $0.contains { if case .commandOutput(9, _) = $0 { true } else { false } } }
        }
        runner.perform(.stopCommand(run: 9))
        await runner.finish()
        let ended = seen.withLock { $0.compactMap { if case .commandEnded(9, let exit) = $0 { exit } else { nil } } }
        #expect(ended == [.signalled(15)])
    }
}

extension String {
    var trimmingSuffixSpaces: String {
        var s = self
        while s.hasSuffix(" ") || s.hasSuffix("│") { s.removeLast() }
        return s
    }
}
