import EventStore
import ExplorerCore
import Testing

/// `R` on a projection: the confirmation and what it files, through a recording requester.
@Suite struct RebuildConfirmationTests {
    /// Projections pane, `orders` selected, `R`.
    static func confirming(_ requester: RecordingRequester, store: FakeStore = Fixture.runnerStore) async -> HeadlessExplorer {
        var explorer = await Fixture.rebuildExplorer(store: store, requester: requester)
        await explorer.press([.char("4"), .char("j"), .char("R")])
        return explorer
    }

    @Test func rOpensTheConfirmationWithCheckpointReplayETAAndHolder() async {
        let requester = RecordingRequester()
        let explorer = await Self.confirming(requester)
        let text = explorer.screen.plainText()
        // orders: checkpoint 2, head 7; it takes OrderPlaced and OrderShipped, of which 5 and 6 are
        // visible (4 belongs to a deleted stream): 2 events to replay, at the runner's 2 events/s, 1 s.
        let box = text[2...].prefix { !$0.contains("└") }.joined(separator: "\n")
        #expect(text[2].contains("Rebuild orders?"), "\(text[2])")
        #expect(box.contains("checkpoint     2  (head 7)"), "\(box)")
        #expect(box.contains("replays        2 events"), "\(box)")
        #expect(box.contains("ETA            about 1s  at 2 events/s recently"), "\(box)")
        #expect(box.contains("lease          runner-7  holds it"), "\(box)")
        #expect(box.contains("Type the projection's name to confirm; Esc cancels."), "\(box)")
        #expect(requester.calls.isEmpty)
    }

    @Test func anExpiredLeaseAndAnOpenRequestAreShown() async {
        var store = Fixture.runnerStore
        store.leaseRows[1].expiresAt = StoreTime(text: "2026-11-22T11:59:00Z")
        store.commandRows = [Fixture.request(9, "orders", .pending)]
        let explorer = await Self.confirming(RecordingRequester(), store: store)
        let box = explorer.screen.plainText().joined(separator: "\n")
        #expect(box.contains("lease          runner-7  expired: nobody serves it now"), "\(box)")
        #expect(box.contains("open request   #9 pending, asked 60s ago by ada@ops (a new one queues)"), "\(box)")
    }

    @Test func aWrongNameFilesNothingAndKeepsTheOverlayWithAHint() async {
        let requester = RecordingRequester()
        var explorer = await Self.confirming(requester)
        await explorer.press(Array("orde").map(Key.char) + [.enter])
        #expect(requester.calls.isEmpty)
        #expect(explorer.state.confirmation?.typed == "orde")
        #expect(explorer.screen.plainText().contains { $0.contains("\"orde\" is not \"orders\": type the name exactly (Esc cancels)") })
        // A longer name is wrong too.
        await explorer.press(Array("rss").map(Key.char) + [.enter])
        #expect(requester.calls.isEmpty)
        #expect(explorer.state.confirmation != nil)
    }

    @Test func theExactNameAndEnterFileExactlyOneRequest() async {
        let requester = RecordingRequester()
        var explorer = await Self.confirming(requester)
        await explorer.press(Array("orders").map(Key.char) + [.enter])
        #expect(requester.calls == [RecordingRequester.Call(command: "rebuild", projection: "orders", requestedBy: "eventscope snapshot")])
        #expect(explorer.state.confirmation == nil)
        #expect(explorer.state.message?.text == "rebuild of orders requested (#41); its row follows the request")
        // Enter again is an ordinary key now: nothing more is filed.
        await explorer.press([.enter])
        #expect(requester.calls.count == 1)
    }

    @Test func escCancelsAndFilesNothingEvenWithTheNameTyped() async {
        let requester = RecordingRequester()
        var explorer = await Self.confirming(requester)
        await explorer.press(Array("orders").map(Key.char) + [.escape])
        #expect(requester.calls.isEmpty)
        #expect(explorer.state.confirmation == nil)
        #expect(explorer.state.message?.text == "rebuild of orders cancelled: nothing was requested")
    }

    @Test func keysThatMeanSomethingElseAreTypedIntoTheName() async {
        let requester = RecordingRequester()
        var explorer = await Self.confirming(requester)
        await explorer.press([.char("q"), .char("?"), .char("4"), .char("R")])
        #expect(!explorer.state.quit && !explorer.state.showHelp)
        #expect(explorer.state.confirmation?.typed == "q?4R")
        await explorer.press([.backspace, .backspace, .backspace, .backspace])
        #expect(explorer.state.confirmation?.typed == "")
    }

    @Test func theRequestersErrorIsOneSentenceOnTheStatusLine() async {
        let requester = RecordingRequester(failing: "attempt to write a readonly database")
        var explorer = await Self.confirming(requester)
        await explorer.press(Array("orders").map(Key.char) + [.enter])
        #expect(requester.calls.count == 1)
        // One line, naming the projection and the store.
        #expect(explorer.state.message == Message(text: "could not request a rebuild of orders: fake.db: attempt to write a readonly database", isError: true))
        #expect(explorer.screen.plainText()[14] == "could not request a rebuild of orders: fake.db: attempt to write a readonly database")
    }

    @Test func withoutARequesterRSaysWhyInsteadOfOpening() async {
        var explorer = await Fixture.rebuildExplorer(setup: RebuildSetup(unavailableReason: "this store has no es_projection_commands table"))
        await explorer.press([.char("4"), .char("j"), .char("R")])
        #expect(explorer.state.confirmation == nil)
        #expect(explorer.state.message == Message(text: "can't rebuild orders from here: this store has no es_projection_commands table", isError: true))
    }
}

/// What the Projections pane shows of the runner: state words, throughput, requests, progress.
@Suite struct RunnerViewTests {
    static func screen(_ store: FakeStore, select row: Int = 1) async -> [String] {
        var explorer = await Fixture.rebuildExplorer(store: store)
        await explorer.press([.char("4")] + Array(repeating: Key.char("j"), count: row))
        return explorer.screen.plainText()
    }

    static func orders(_ text: [String]) -> String { text.first { $0.hasPrefix("│ orders") || $0.hasPrefix("│>orders") } ?? "no orders row" }
    /// The detail line under the list (the box's last inner row).
    static func detail(_ text: [String]) -> String { text[12] }

    @Test func evsShowsTheRunnersThroughput() async {
        let text = await Self.screen(Fixture.runnerStore)
        #expect(text[2].hasSuffix("STATUS           EV/S│"), "\(text[2])")
        #expect(text[3].hasSuffix("caught-up         812│"), "\(text[3])")
        #expect(Self.orders(text).hasSuffix("2│"), "\(Self.orders(text))")
    }

    @Test(arguments: [
        (RunnerStatus.State.running, 3, "catching-up"), (.running, 0, "caught-up"), (.failed, 3, "failed"),
        (.stopped, 3, "stopped"), (.rebuilding, 3, "rebuilding"), (.other("paused"), 3, "paused"),
    ])
    func theStateWordIsTheRunners(state: RunnerStatus.State, checkpointGap: Int, word: String) async {
        var store = Fixture.runnerStore
        store.runnerStatusRows![1].state = state
        // Past its gap, so the inference alone would say catching-up or caught-up, never blocked.
        store.checkpointRows[0].position = checkpointGap == 0 ? 7 : 4
        let row = Self.orders(await Self.screen(store))
        #expect(row.contains(" \(word) "), "\(row)")
    }

    /// Waiting on the gap at 3–4 (stale since the session began): a runner of every type is held
    /// by it; one of some types only may just have nothing of its types there, so it says catching-up.
    @Test func aRunningProjectionOfEveryTypeIsBlockedByAGapButAFilteredOneIsNotJudged() async {
        var store = Fixture.runnerStore
        store.runnerStatusRows![1].eventTypes = nil
        #expect(Self.orders(await Self.screen(store)).contains(" blocked-by-gap "))
        store.runnerStatusRows![1].eventTypes = ["OrderPlaced", "OrderShipped"]
        #expect(Self.orders(await Self.screen(store)).contains(" catching-up "))
    }

    /// Pending events that all came after the runner's last cycle (a fresh heartbeat, less a
    /// second for appends that waited on the write lock) are the few a keeping-up projection has
    /// between two polls; older ones, a stale heartbeat or times that contradict each other (a
    /// writer's clock ahead) leave it catching up.
    @Test(arguments: [
        ("11:59:52", "11:59:55", "caught-up"), ("11:59:55.5", "11:59:55", "caught-up"), ("11:59:57", "11:59:55", "catching-up"),
        ("11:59:40", "11:59:55", "catching-up"), ("11:59:52", "12:00:30", "catching-up"),
    ])
    func pendingEventsNewerThanAFreshHeartbeatReadCaughtUp(heartbeat: String, committed: String, word: String) async {
        var store = Fixture.runnerStore
        store.checkpointRows[0].position = 4
        store.runnerStatusRows![1].heartbeatAt = StoreTime(text: "2026-11-22T\(heartbeat)Z")
        for index in store.eventRows.indices where store.eventRows[index].globalPosition > 4 {
            store.eventRows[index].timestamp = StoreTime(text: "2026-11-22T\(committed)Z")
        }
        let row = Self.orders(await Self.screen(store))
        #expect(row.contains(" \(word) "), "\(row)")
    }

    @Test func withoutAStatusRowTheWordIsInferredAsBefore() async {
        let row = Self.orders(await Self.screen(Fixture.store))
        #expect(row.contains(" blocked-by-gap "), "\(row)")
    }

    @Test(arguments: [(CommandRequest.Status.pending, "pending"), (.running, "running"), (.done, "done"), (.failed, "failed"), (.rejected, "rejected")])
    func theRowShowsTheRequestsState(status: CommandRequest.Status, word: String) async {
        var store = Fixture.runnerStore
        store.commandRows = [Fixture.request(3, "orders", status, detail: status == .failed ? "teardown: no such table order_view" : nil,
                                             finished: status.isFinal ? "11:59:50" : nil)]
        let text = await Self.screen(store)
        #expect(text[2].hasSuffix(" REBUILD  │") || text[2].contains(" REBUILD"), "\(text[2])")
        #expect(Self.orders(text).hasSuffix(" \(word)" + String(repeating: " ", count: 18 - word.count) + "│") || Self.orders(text).contains(" \(word) "),
                "\(Self.orders(text))")
    }

    @Test func aFailedRequestShowsItsDetailUnderTheList() async {
        var store = Fixture.runnerStore
        store.commandRows = [Fixture.request(3, "orders", .failed, detail: "teardown: no such table order_view", finished: "11:59:50")]
        let text = await Self.screen(store)
        #expect(Self.detail(text) == "│ rebuild #3 failed: teardown: no such table order_view" + String(repeating: " ", count: 44) + "│",
                "\(Self.detail(text))")
    }

    @Test func aRunnersFailureShowsItsErrorAndPosition() async {
        var store = Fixture.runnerStore
        store.runnerStatusRows![1].state = .failed
        store.runnerStatusRows![1].lastError = "apply: amount is not a number"
        store.runnerStatusRows![1].lastErrorPosition = 5
        let text = await Self.screen(store)
        #expect(Self.detail(text).hasPrefix("│ orders failed at position 5: apply: amount is not a number "), "\(Self.detail(text))")
    }

    @Test func whileRebuildingTheRowHasAProgressBarWithTheETA() async {
        var store = Fixture.runnerStore
        store.runnerStatusRows![1].state = .rebuilding
        store.runnerStatusRows![1].rebuildTarget = 7
        store.runnerStatusRows![1].checkpoint = 3
        store.checkpointRows[0].position = 3
        store.commandRows = [Fixture.request(3, "orders", .running)]
        let text = await Self.screen(store)
        // Checkpoint 3 of target 7: 4 of 8 positions, 50 %; 4 positions left at 2 events/s, 2 s.
        let row = Self.orders(text)
        #expect(row.contains(" rebuilding "), "\(row)")
        // The REBUILD column is 18 cells here: " 50% 2s" and an 11-cell bar, half full (5½ cells).
        #expect(row.hasSuffix(" █████▌░░░░░ 50% 2s│"), "\(row)")
        #expect(Self.detail(text).hasPrefix("│ rebuilding orders: 50% (checkpoint 3 of 7) at 2 events/s, about 2s left "), "\(Self.detail(text))")
    }

    @Test func aPendingRequestWithNoLiveHolderSaysNoRunnerServesIt() async {
        var store = Fixture.runnerStore
        store.leaseRows.removeAll { $0.projectionName == "orders" }
        store.commandRows = [Fixture.request(3, "orders", .pending)]
        let text = await Self.screen(store)
        #expect(Self.orders(text).contains(" pending: no runner"), "\(Self.orders(text))")
        #expect(Self.detail(text).hasPrefix("│ no runner serves orders: request #3 stays pending until a runner takes its lease"), "\(Self.detail(text))")
        // With a live holder the same request is simply pending.
        var served = Fixture.runnerStore
        served.commandRows = [Fixture.request(3, "orders", .pending)]
        let row = Self.orders(await Self.screen(served))
        #expect(row.contains(" pending ") && !row.contains("no runner"), "\(row)")
    }

    @Test func aDoneRequestFadesAfterAWhile() async {
        var store = Fixture.runnerStore
        store.commandRows = [Fixture.request(3, "orders", .done, finished: "11:59:50")]
        var explorer = await Fixture.rebuildExplorer(store: store)
        await explorer.press([.char("4"), .char("j")])
        #expect(Self.orders(explorer.screen.plainText()).contains(" done "), "\(Self.orders(explorer.screen.plainText()))")
        #expect(Self.detail(explorer.screen.plainText()).hasPrefix("│ rebuild #3 done 10s ago · asked by ada@ops "))
        await explorer.send(.tick(Fixture.now.adding(seconds: 100)))
        #expect(Self.orders(explorer.screen.plainText()).contains(" done "))
        await explorer.send(.tick(Fixture.now.adding(seconds: 140)))
        let text = explorer.screen.plainText()
        #expect(!Self.orders(text).contains("done") && !text[2].contains("REBUILD"), "\(text[2])\n\(Self.orders(text))")
    }

    @Test func theSparklineFollowsSuccessivePendingCounts() async {
        var store = Fixture.runnerStore
        var explorer = await Fixture.rebuildExplorer(store: store)
        await explorer.press([.char("4")])
        // orders takes two types: 2 pending at checkpoint 2. Then the runner falls behind and catches up.
        var now = Fixture.now
        for (checkpoint, extra) in [(2, 6), (2, 14), (5, 14), (7, 14)] as [(Int64, Int64)] {
            now = now.adding(seconds: 30)
            for i in 0..<extra where !store.eventRows.contains(where: { $0.globalPosition == 8 + i }) {
                store.eventRows.append(Fixture.event(8 + i, "Order-o1", 2 + i, "OrderShipped", "12:00:10"))
            }
            store.checkpointRows[0].position = checkpoint
            explorer = explorer.replacingReader(store)
            await explorer.send(.tick(now))
        }
        // Pending: 2, then 8, 16, 15 and 14 (5, 6 and 8–21 of the order types, past the checkpoint).
        let samples = explorer.state.projections.history["orders"]?.samples.map(\.pending)
        #expect(samples == [2, 8, 16, 15, 14])
        // 180 s over 9 cells is 20 s a cell: ages 120, 90, 60, 30, 0 s fall in cells 2, 4, 5, 7, 8.
        // Levels of 7 relative to 16: 2 → 1, 8 → 4, 16 → 7, 15 → 7, 14 → 6.
        let line = explorer.state.projections.history["orders"]!.sparkline(width: 9, now: now)
        #expect(line == "  ▂ ▅█ █▇", "\(line)")
    }
}
