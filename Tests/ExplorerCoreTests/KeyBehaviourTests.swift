import Testing
import ExplorerCore

/// Each key help lists, pressed on the fixture, does what help says.
@Suite struct KeyBehaviourTests {
    func explorer(_ keys: String) async throws -> HeadlessExplorer {
        var e = await Fixture.explorer()
        await e.press(try Key.parseSequence(keys))
        return e
    }

    @Test func helpNamesOnlyKeysTestedHere() {
        #expect(HelpContent.entries.map(\.keys) == [
            "j k ↓ ↑", "g G Home End", "PgDn PgUp Space", "Tab S-Tab 1-5", "Enter", "Esc", "/", "n N", ":",
            ":pos N", ":stream ID", ":type NAME", ":theme NAME", ":q", "f", "t", "r", "y", "?", "q",
        ])
    }

    @Test func movement() async throws {
        #expect(try await explorer("j j").state.streams.cursor.selected == 2)
        #expect(try await explorer("Down Down Up").state.streams.cursor.selected == 1)
        #expect(try await explorer("j j k").state.streams.cursor.selected == 1)
        #expect(try await explorer("G").state.streams.cursor.selected == 3)
        #expect(try await explorer("End Home").state.streams.cursor.selected == 0)
        #expect(try await explorer("G g").state.streams.cursor.selected == 0)
        #expect(try await explorer("PgDn").state.streams.cursor.selected == 3)
        #expect(try await explorer("PgDn PgUp").state.streams.cursor.selected == 0)
        #expect(try await explorer("Space").state.streams.cursor.selected == 3)
    }

    @Test func panes() async throws {
        #expect(try await explorer("Tab").state.focus == .events)
        #expect(try await explorer("S-Tab").state.focus == .gaps)
        for (n, pane) in PaneID.allCases.enumerated() {
            #expect(try await explorer(String(n + 1)).state.focus == pane)
        }
    }

    @Test func drillInAndBack() async throws {
        #expect(try await explorer("Enter Enter").state.focus == .detail)
        #expect(try await explorer("Enter Enter").state.detail.event?.globalPosition == 0)
        #expect(try await explorer("Enter Enter Esc Esc").state.focus == .streams)
    }

    @Test func commandLineAndCompletion() async throws {
        #expect(try await explorer(": text:po Tab").state.input?.text == "pos ")
        #expect(try await explorer(": text:th Tab text:hi Tab").state.input?.text == "theme high-contrast")
        #expect(try await explorer(": text:stream Space text:Acc Tab").state.input?.text == "stream Account-acc")
        #expect(try await explorer(": text:stream Space text:Acc Tab").state.message?.text == "Account-acc1  Account-acc2")
        let stream = try await explorer(": text:stream Space text:Order-o1 Enter")
        #expect(stream.state.events.source == .stream("Order-o1"))
        #expect(stream.state.events.rows.map(\.globalPosition) == [5, 6])
        #expect(try await explorer(": text:pos Space text:2 Enter").state.events.cursor.selected == 2)
        #expect(try await explorer(": text:type Space text:OrderShipped Enter").state.events.rows.map(\.globalPosition) == [6])
        #expect(try await explorer(": text:theme Space text:light Enter").state.theme.name == "light")
        #expect(try await explorer(": text:theme Space text:nope Enter").state.message?.isError == true)
        #expect(try await explorer(": text:q Enter").state.quit)
        #expect(try await explorer(": text:bogus Enter").state.message?.text
                == "unknown command :bogus; try :pos N, :stream ID, :type NAME, :theme NAME, :q")
        #expect(try await explorer(": text:pos Enter").state.message?.text == ":pos needs a global position, e.g. :pos 123")
        #expect(try await explorer(": text:po Esc").state.input == nil)
    }

    @Test func searchStepsThroughMatches() async throws {
        #expect(try await explorer("4 / text:ord Enter").state.projections.cursor.selected == 1)
        #expect(try await explorer("5 / text:deleted Enter").state.gaps.cursor.selected == 1)
        #expect(try await explorer("5 / text:missing Enter j n").state.gaps.cursor.selected == 0)
        #expect(try await explorer("5 / text:missing Enter j N").state.gaps.cursor.selected == 0)
        #expect(try await explorer("2 / text:^6 Enter").state.events.cursor.selected == 4)
        #expect(try await explorer("2 / text:money.*acc1 Enter n").state.events.cursor.selected == 5)
        #expect(try await explorer("2 / text:(unclosed Enter").state.message?.text == "no loaded row matches \"(unclosed\"")
    }

    @Test func toggles() async throws {
        #expect(try await explorer("f").state.follow)
        #expect(try await explorer("f f").state.follow == false)
        #expect(try await explorer("t").state.absoluteTimes)
        #expect(try await explorer("Enter Enter r").state.detail.raw)
        #expect(try await explorer("?").state.showHelp)
        #expect(try await explorer("? ?").state.showHelp == false)
        #expect(try await explorer("q").state.quit)
        #expect(try await explorer("Enter y").copied.count == 1)
        #expect(try await explorer("y").copied.isEmpty)
    }

    @Test func enterOnAGapJumpsToIt() async throws {
        let e = try await explorer("5 j Enter")
        #expect(e.state.focus == .events)
        #expect(e.state.events.rows[e.state.events.cursor.selected].globalPosition == 5)
    }

    @Test func staleResultsAreIgnored() async {
        var e = await Fixture.explorer()
        let old = e.state.nextRequestID - 1
        await e.send(.loaded(id: old, .streams([])))
        #expect(e.state.streams.rows.count == 4)
    }

    @Test func slowQueriesShowASpinner() {
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        let effects = state.apply(.start)
        guard case .query(let id, .streams, _) = effects.last else {
            Issue.record("no streams query on start")
            return
        }
        _ = state.apply(.slow(id: id))
        #expect(Screen.render(state).plainText()[1] == "┌ Streams (0) ⠋ ───────────────────────────────────────────┐")
        #expect(Screen.render(state).plainText()[3] == "│ loading…                                                 │")
    }
}
