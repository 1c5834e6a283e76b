import Testing
import ExplorerCore

/// A key sequence pressed on the fixture, and what must hold afterwards.
struct KeyCheck: Sendable, CustomTestStringConvertible {
    let keys: String
    /// The store pressed on: the fixture unless the key needs something it lacks (dead letters).
    let store: FakeStore?
    /// The terminal's width (narrow, for keys about text wider than the pane).
    let width: Int
    let holds: @Sendable (HeadlessExplorer) -> Bool

    init(_ keys: String, on store: FakeStore? = nil, width: Int = 60, _ holds: @escaping @Sendable (HeadlessExplorer) -> Bool) {
        self.keys = keys
        self.store = store
        self.width = width
        self.holds = holds
    }

    var testDescription: String { keys }

    /// Whether this check presses `sequence` somewhere (in a row).
    func presses(_ sequence: [Key]) -> Bool {
        guard let pressed = try? Key.parseSequence(keys), pressed.count >= sequence.count else { return false }
        return (0...(pressed.count - sequence.count)).contains { Array(pressed[$0..<$0 + sequence.count]) == sequence }
    }
}

/// Each key help lists, pressed on the fixture, does what help says. The table is keyed by the
/// help entries: an entry without checks, or a key of an entry no check presses, fails.
@Suite struct KeyBehaviourTests {
    static let behaviours: [String: [KeyCheck]] = [
        "j k ↓ ↑": [
            KeyCheck("j j") { $0.state.streams.cursor.selected == 2 },
            KeyCheck("Down Down Up") { $0.state.streams.cursor.selected == 1 },
            KeyCheck("j j k") { $0.state.streams.cursor.selected == 1 },
        ],
        "g G Home End": [
            KeyCheck("G") { $0.state.streams.cursor.selected == 3 },
            KeyCheck("End Home") { $0.state.streams.cursor.selected == 0 },
            KeyCheck("G g") { $0.state.streams.cursor.selected == 0 },
        ],
        "PgDn PgUp Space": [
            KeyCheck("PgDn") { $0.state.streams.cursor.selected == 3 },
            KeyCheck("PgDn PgUp") { $0.state.streams.cursor.selected == 0 },
            KeyCheck("Space") { $0.state.streams.cursor.selected == 3 },
        ],
        "wheel": [
            KeyCheck("WheelDown WheelDown") { $0.state.streams.cursor.selected == 2 },
            KeyCheck("WheelDown WheelDown WheelUp") { $0.state.streams.cursor.selected == 1 },
            KeyCheck("Enter Enter WheelDown") { $0.state.detail.scroll == 1 },
            KeyCheck("? WheelDown") { $0.state.helpScroll == 1 },
        ],
        "C-z": [
            KeyCheck("C-z") { $0.suspensions == 1 && !$0.state.quit },
            KeyCheck("2 ? C-z") { $0.suspensions == 1 && $0.state.showHelp && $0.state.focus == .events },
        ],
        "Tab S-Tab 1-6": [
            KeyCheck("Tab") { $0.state.focus == .events },
            KeyCheck("S-Tab") { $0.state.focus == .gaps },
            KeyCheck("2 1") { $0.state.focus == .streams },
            KeyCheck("2") { $0.state.focus == .events },
            KeyCheck("3") { $0.state.focus == .detail },
            KeyCheck("4") { $0.state.focus == .projections },
            KeyCheck("5") { $0.state.focus == .gaps },
            KeyCheck("6") { $0.state.focus == .streams && $0.state.message?.text.hasPrefix("no Dead letters pane") == true },
            KeyCheck("6", on: Fixture.deadLetterStore) { $0.state.focus == .deadLetters },
        ],
        "e": [
            KeyCheck("6 e", on: Fixture.deadLetterStore) {
                $0.state.focus == .events && $0.state.events.rows[$0.state.events.cursor.selected].eventId == "e2"
            },
        ],
        "Enter": [
            KeyCheck("Enter") { $0.state.focus == .events && $0.state.events.source == .stream("Account-acc1") },
            KeyCheck("Enter Enter") { $0.state.focus == .detail && $0.state.detail.event?.globalPosition == 0 },
        ],
        "Esc": [
            KeyCheck("Enter Enter Esc") { $0.state.focus == .events },
            KeyCheck("Enter Enter Esc Esc") { $0.state.focus == .streams },
            KeyCheck("2 / text:order Enter Esc") { $0.state.events.search == nil },
        ],
        "/": [
            KeyCheck("/ text:Order") { $0.state.streams.rows.map(\.id) == ["Order-o1", "Order-o2"] },
            KeyCheck("4 / text:ord Enter") { $0.state.projections.cursor.selected == 1 },
            KeyCheck("5 / text:deleted Enter") { $0.state.gaps.cursor.selected == 1 },
            KeyCheck("2 / text:^6 Enter") { $0.state.events.cursor.selected == 4 },
            KeyCheck("2 / text:(unclosed Enter") { $0.state.message?.text == "no loaded row matches \"(unclosed\"" },
        ],
        "n N": [
            KeyCheck("5 / text:missing Enter j n") { $0.state.gaps.cursor.selected == 0 },
            KeyCheck("5 / text:missing Enter j N") { $0.state.gaps.cursor.selected == 0 },
            KeyCheck("2 / text:money.*acc1 Enter n") { $0.state.events.cursor.selected == 5 },
            KeyCheck("2 / text:order Enter n N") { $0.state.events.cursor.selected == 3 },
        ],
        ":": [
            KeyCheck(": text:po Tab") { $0.state.input?.text == "pos " },
            KeyCheck(": text:stream Space text:Acc Tab") {
                $0.state.input?.text == "stream Account-acc" && $0.state.message?.text == "Account-acc1  Account-acc2"
            },
            KeyCheck(": text:bogus Enter") {
                $0.state.message?.text == "unknown command :bogus; try :pos N, :stream ID, :type NAME, :theme NAME, :q"
            },
            KeyCheck(": text:po Esc") { $0.state.input == nil },
        ],
        ":pos N": [
            KeyCheck(": text:pos Space text:2 Enter") { $0.state.focus == .events && $0.state.events.cursor.selected == 2 },
            KeyCheck(": text:pos Enter") { $0.state.message?.text == ":pos needs a global position, e.g. :pos 123" },
        ],
        ":stream ID": [
            KeyCheck(": text:stream Space text:Order-o1 Enter") {
                $0.state.events.source == .stream("Order-o1") && $0.state.events.rows.map(\.globalPosition) == [5, 6]
            },
        ],
        ":type NAME": [
            KeyCheck(": text:type Space text:OrderShipped Enter") { $0.state.events.rows.map(\.globalPosition) == [6] },
        ],
        ":theme NAME": [
            KeyCheck(": text:th Tab text:hi Tab") { $0.state.input?.text == "theme high-contrast" },
            KeyCheck(": text:theme Space text:light Enter") { $0.state.theme.name == "light" },
            KeyCheck(": text:theme Space text:nope Enter") { $0.state.message?.isError == true },
        ],
        ":q": [KeyCheck(": text:q Enter") { $0.state.quit }],
        "f": [
            KeyCheck("f") { $0.state.follow && $0.state.events.loaded },
            KeyCheck("f f") { !$0.state.follow },
        ],
        "t": [KeyCheck("t") { $0.state.absoluteTimes }],
        "Z": [
            KeyCheck("Z") { $0.state.localTimes && $0.state.absoluteTimes && $0.state.message?.text.hasPrefix("times in UTC") == true },
            KeyCheck("Z Z") { !$0.state.localTimes && $0.state.absoluteTimes },
        ],
        "h l ← →": [
            // At 40 columns the time line (53 cells) is wider than Detail.
            KeyCheck("Enter Enter l", width: 40) { $0.state.detail.across == DetailPane.acrossStep },
            KeyCheck("Enter Enter l l h", width: 40) { $0.state.detail.across == DetailPane.acrossStep },
            KeyCheck("Enter Enter Right", width: 40) { $0.state.detail.across == DetailPane.acrossStep },
            KeyCheck("Enter Enter Right Left", width: 40) { $0.state.detail.across == 0 },
        ],
        "c": [
            // The fixture's events name no cause (CausationTests has those that do).
            KeyCheck("Enter Enter c") { $0.state.message == Message(text: "event 0 has no causation id", isError: true) },
            KeyCheck("2 c") { $0.state.message == Message(text: "event 0 has no causation id", isError: true) },
        ],
        "o": [
            KeyCheck("Enter Enter o") { $0.paged == ["{\n  \"owner\": \"Ada\",\n  \"limit\": 12.50\n}\n"] },
            KeyCheck("2 j j j j j j o") { $0.paged == ["not json\n"] },
            KeyCheck("o") { $0.paged.isEmpty && $0.state.message?.isError == true },
        ],
        "r": [KeyCheck("Enter Enter r") { $0.state.detail.raw && $0.screen.plainText()[1].contains("· raw") }],
        "J K": [
            KeyCheck("Enter Enter J") { $0.state.focus == .detail && $0.state.detail.event?.globalPosition == 2 },
            KeyCheck("Enter Enter J J K") { $0.state.detail.event?.globalPosition == 2 && $0.state.events.cursor.selected == 1 },
        ],
        "s": [
            KeyCheck("2 j Enter s") {
                $0.state.focus == .events && $0.state.events.source == .stream("Account-acc2")
                    && $0.state.events.rows[$0.state.events.cursor.selected].globalPosition == 1
            },
        ],
        "y": [
            KeyCheck("Enter y") { $0.copied.count == 1 },
            KeyCheck("Enter Enter y") { $0.copied.first?.contains("\"global_position\": 0") == true },
            KeyCheck("y") { $0.copied.isEmpty && $0.state.message?.isError == true },
        ],
        "R": [
            // The fixture has no request connection and no configured command: R says so and opens nothing.
            KeyCheck("4 R") {
                $0.state.confirmation == nil && $0.state.message?.text.hasPrefix("can't rebuild balances from here: ") == true
            },
            KeyCheck("2 R") { $0.state.message?.text == "R rebuilds the selected projection: press 4 for Projections" },
        ],
        "L": [
            KeyCheck("L") { !$0.state.showLog && $0.state.message?.text.hasPrefix("no rebuild command has run in this session") == true },
        ],
        "?": [
            KeyCheck("?") { $0.state.showHelp },
            KeyCheck("? ?") { !$0.state.showHelp },
        ],
        "q": [KeyCheck("q") { $0.state.quit }],
    ]

    /// The key sequences an entry's help text names: `↓` is Down, `1-5` five keys, `:pos N` types `:pos`.
    static func named(by entry: HelpContent.Entry) throws -> [[Key]] {
        if entry.keys.hasPrefix(":"), entry.keys.count > 1 {
            let command = entry.keys.dropFirst().prefix { $0 != " " }
            return [[.char(":")] + command.map(Key.char)]
        }
        return try entry.keys.split(separator: " ").flatMap { token -> [[Key]] in
            switch token {
            case "↓": [[.down]]
            case "↑": [[.up]]
            case "←": [[.left]]
            case "→": [[.right]]
            case "1-6": (1...6).map { [.char(Character(String($0)))] }
            case "wheel": [[.wheelUp], [.wheelDown]]
            default: [try Key.parseSequence(String(token))]
            }
        }
    }

    @Test(arguments: HelpContent.entries)
    func everyHelpEntryDoesWhatItSays(entry: HelpContent.Entry) async throws {
        let checks = try #require(Self.behaviours[entry.keys], "help lists \(entry.keys.debugDescription) but no check here covers it")
        for sequence in try Self.named(by: entry) {
            #expect(checks.contains { $0.presses(sequence) }, "help lists \(sequence) under \(entry.keys.debugDescription) but no check presses it")
        }
        for check in checks {
            var explorer = await Fixture.explorer(width: check.width, store: check.store ?? Fixture.store)
            await explorer.press(try Key.parseSequence(check.keys))
            #expect(check.holds(explorer), "\(entry.keys.debugDescription): after \(check.keys.debugDescription)")
        }
    }

    @Test func everyCheckBelongsToAHelpEntry() {
        #expect(Set(Self.behaviours.keys) == Set(HelpContent.entries.map(\.keys)))
    }

    @Test func controlCQuitsFromAnywhere() async throws {
        for keys in ["C-c", "? C-c", ": text:po C-c", "2 / C-c", "Enter Enter C-c"] {
            var explorer = await Fixture.explorer()
            await explorer.press(try Key.parseSequence(keys))
            #expect(explorer.state.quit, "after \(keys)")
        }
        var state = ExplorerState(info: Fixture.store.info, width: 60, height: 12, now: Fixture.now)
        #expect(state.apply(.key(.control("c"))) == [.quit])
    }

    @Test func enterOnAGapJumpsToIt() async throws {
        var e = await Fixture.explorer()
        await e.press(try Key.parseSequence("5 j Enter"))
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
        guard let id = effects.lazy.compactMap({ effect -> Int? in
            if case .query(let id, .streams, _) = effect { return id }
            return nil
        }).first else {
            Issue.record("no streams query on start")
            return
        }
        _ = state.apply(.slow(id: id))
        #expect(Screen.render(state).plainText()[1] == "┌ Streams (0) ⠋ ───────────────────────────────────────────┐")
        #expect(Screen.render(state).plainText()[3] == "│ loading…                                                 │")
    }
}
