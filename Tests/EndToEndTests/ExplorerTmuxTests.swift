import DemoStore
import Foundation
import TerminalText
import TestSupport
import Testing

extension LiveProcessTests {
    /// The real binary in a real terminal: tmux runs the explorer, sends keys and captures the pane.
    @Suite struct ExplorerTmuxTests {
        static let binary = shellQuote(eventscopeBinary)

        @Test(.tmux) func operatorTourOnAStoreWithALiveWriter() async throws {
            let fixture = try await onDedicatedThread { DemoFixture.make(events: 3_000, seed: 11) }
            let directory = URL(fileURLWithPath: fixture.path).deletingLastPathComponent().path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let truth = try await onDedicatedThread { try BruteForce(path: fixture.path) }
            let firstOrder = try #require(truth.streamIds.filter { $0.hasPrefix("Order-") }.min())
            let visible = truth.events.filter { !$0.isHidden }
            let target = visible[visible.count / 2].globalPosition

            let writer = try LiveWriter(store: fixture.path, rate: 50)
            defer { writer.kill() }
            let status = directory + "/status", stty = directory + "/stty"
            let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(fixture.path)); echo $? > \(status); stty -a > \(stty)")
            defer { tmux.kill() }

            var screen = try await tmux.waitUntilContains("[1 Streams]", "Streams (", "READ-ONLY", "head ", "follow off", "Enter events")
            #expect(screen.contains("STREAM") && screen.contains("CATEGORY"))

            // Tab and 1–5 move through the panes.
            try await tmux.send("Tab")
            try await tmux.waitUntilContains("[2 Events]", "Events · global log", "GLOBAL")
            for title in ["[3 Detail]", "[4 Projections]", "[5 Gaps]", "[1 Streams]"] {
                try await tmux.send("Tab")
                try await tmux.waitUntilContains(title)
            }
            try await tmux.send("BTab")
            try await tmux.waitUntilContains("[5 Gaps]", "Gaps (")
            for (key, title) in [("3", "[3 Detail]"), ("4", "[4 Projections]"), ("5", "[5 Gaps]"), ("2", "[2 Events]"), ("1", "[1 Streams]")] {
                try await tmux.send(key)
                try await tmux.waitUntilContains(title)
            }
            try await tmux.send("4")
            try await tmux.waitUntilContains("Projections (", "CHECKPOINT")
            try await tmux.send("1")

            // `/` filters streams by prefix, served by the index as it is typed.
            try await tmux.send("/")
            try await tmux.type("Order-")
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("Streams with prefix Order- (", firstOrder)
            let streams = PaneText(screen).rows.map { $0.split(separator: " ").first.map(String.init) ?? "" }
            #expect(!streams.isEmpty && streams.allSatisfy { $0.hasPrefix("Order-") }, "\(streams)")

            // Stream → its events → the detail of its first event, and back.
            let selected = try #require(PaneText(screen).selected?.split(separator: " ").first.map(String.init))
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("[2 Events]", "Events of \(selected)", "OrderPlaced")
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("[3 Detail]", "Detail · OrderPlaced", "\(selected) #0", #""order_id": "#, #""customer": {"#)
            #expect(screen.contains("correlation id") && screen.contains("idempotency key"))
            try await tmux.send("Escape")
            try await tmux.waitUntilContains("[2 Events]", "Events of \(selected)")
            try await tmux.send("Escape")
            try await tmux.waitUntilContains("[1 Streams]", "Streams with prefix Order- (")

            // `:pos N` jumps to a global position in the log and selects it.
            try await tmux.send(":")
            try await tmux.type("pos \(target)")
            try await tmux.send("Enter")
            screen = try await tmux.waitFor("the row of global position \(target) selected") { PaneText($0).selectedPosition == target }
            #expect(screen.contains("[2 Events]") && screen.contains("Events · global log"))

            // `f` follows the head: events appended after it was pressed scroll into view.
            let headBefore = try #require(PaneText(screen).head)
            #expect(headBefore >= fixture.summary.head)
            try await tmux.send("f")
            try await tmux.waitUntilContains("following the head", "· following")
            screen = try await tmux.waitFor("an event above head \(headBefore)") { screen in
                PaneText(screen).positions.contains { $0 > headBefore } && (PaneText(screen).head ?? 0) > headBefore
            }
            #expect(PaneText(screen).selectedPosition == PaneText(screen).positions.max())
            // …and keep arriving, with the selection on the newest.
            let newest = try #require(PaneText(screen).positions.max())
            try await tmux.waitFor("an event above \(newest), selected") { screen in
                (PaneText(screen).selectedPosition ?? 0) > newest && PaneText(screen).selectedPosition == PaneText(screen).positions.max()
            }

            // `?` lists the keys; Esc and `?` close it.
            try await tmux.send("?")
            screen = try await tmux.waitUntilContains("Help · Esc closes", ":pos N", "jump to global position N", "follow the head on/off")
            for keys in ["j k ↓ ↑", "g G Home End", "PgDn PgUp Space", "Tab S-Tab 1-6", "Enter", "Esc", "n N", ":stream ID",
                         ":type NAME", ":theme NAME", ":q", "raw view", "OSC 52", "this help", "quit"] {
                #expect(screen.contains(keys), "help does not list \(keys)")
            }
            try await tmux.send("Escape")
            try await tmux.waitFor("help closed") { !$0.contains("Help · Esc closes") && $0.contains("[2 Events]") }
            try await tmux.send("?")
            try await tmux.waitUntilContains("Help · Esc closes")
            try await tmux.send("?")
            try await tmux.waitFor("help closed") { !$0.contains("Help · Esc closes") && $0.contains("[2 Events]") }

            // `q` quits, the process ends, and the terminal is back in cooked mode with echo.
            #expect(try await writer.stop() == 0, "the live writer did not end cleanly on SIGINT")
            try await tmux.send("q")
            try await tmux.waitUntilEnded()
            let exit = try String(contentsOfFile: status, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(exit == "0")
            let modes = Set(try String(contentsOfFile: stty, encoding: .utf8).split(whereSeparator: { " ;\n".contains($0) }).map(String.init))
            #expect(modes.contains("icanon") && modes.contains("echo") && modes.contains("isig"), "\(modes.sorted())")
            #expect(!modes.contains("-icanon") && !modes.contains("-echo"))
        }

        @Test(.tmux) func tooSmallAndBack() async throws {
            let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(try await DemoFixture.standardStore.path))")
            defer { tmux.kill() }
            try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
            try await tmux.resize(width: 30, height: 8)
            var screen = try await tmux.waitUntilContains("terminal too small", "(need 40×10)")
            #expect(!screen.contains("READ-ONLY") && !screen.contains("Streams ("))
            try await tmux.resize(width: 120, height: 40)
            screen = try await tmux.waitFor("the panes at 120×40") { screen in
                screen.contains("[1 Streams]") && screen.contains("READ-ONLY") && !screen.contains("too small")
                    && PaneText(screen).lines.contains { $0.hasPrefix("└") && DisplayWidth.of($0) == 120 }
            }
            #expect(PaneText(screen).lines.filter { $0.hasPrefix("│") }.allSatisfy { DisplayWidth.of($0) == 120 })
            // Still usable after the round trip.
            try await tmux.send("Tab")
            try await tmux.waitUntilContains("[2 Events]", "Events · global log")
        }

        @Test(.tmux) func hostileStoreTextIsEscapedAndAligned() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let store = try HostileStore.make(at: directory.file("hostile.db"))
            let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(store))")
            defer { tmux.kill() }

            var screen = try await tmux.waitUntilContains("[1 Streams]", "Streams (7)", "Tokyo-東京駅", "READ-ONLY")
            for shown in [#"Esc-\u001b[2J"#, #"Title-\u001b]0;title\u0007"#, #"Ctl-a\u0001b\u007fc\u009bd"#, "Party-🎉🎉"] {
                #expect(screen.contains(shown), "\(shown) is not shown as a visible escape:\n\(screen)")
            }
            try await HostileStore.expectClean(tmux, screen: screen, columnAfterId: "CATEGORY")

            try await tmux.send("Tab")
            screen = try await tmux.waitUntilContains("[2 Events]", "Events · global log", "Type-東京", #"Type\u001b[31mRed"#)
            try await HostileStore.expectClean(tmux, screen: screen, columnAfterId: nil)
            let header = try #require(screen.components(separatedBy: "\n").first { $0.contains("GLOBAL") })
            let streamColumn = try #require(displayColumn(of: "STREAM", in: header))
            let eventRows = PaneText(screen).lines.filter {
                $0.hasPrefix("│") && $0.dropFirst(2).trimmingCharacters(in: .whitespaces).first?.isNumber == true
            }
            #expect(eventRows.count == HostileStore.streams.count)
            for row in eventRows {
                let prefix = try #require(HostileStore.categories.first { row.contains($0 + "-") }, "no stream in \(row)")
                #expect(displayColumn(of: prefix + "-", in: row, last: true) == streamColumn, "misaligned: \(row)")
            }

            // The detail of the event whose JSON strings hold escapes, CJK, emoji and combining marks.
            try await tmux.send("Enter")
            screen = try await tmux.waitUntilContains("[3 Detail]", #""city": "東京""#, #""emoji": "🎉""#, #""esc": "\u001b[2J""#,
                                                #""title": "\u001b]0;title\u0007""#)
            try await HostileStore.expectClean(tmux, screen: screen, columnAfterId: nil)
            // The one stored as text with raw escapes (not valid JSON) is shown as text with a notice.
            try await tmux.send("Escape")
            try await tmux.waitUntilContains("[2 Events]")
            try await tmux.send("j", "j", "Enter")
            screen = try await tmux.waitUntilContains("[3 Detail]", "not valid JSON", #"not json \u001b[2J \u001b]0;title\u0007 end"#)
            try await HostileStore.expectClean(tmux, screen: screen, columnAfterId: nil)
        }

        @Test(.tmux, arguments: ["dark", "light", "high-contrast", "monochrome", "NO_COLOR"])
        func themeRenders(_ theme: String) async throws {
            let noColor = theme == "NO_COLOR"
            // NO_COLOR wins over a colourful --theme.
            let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(try await DemoFixture.standardStore.path)) --theme \(noColor ? "dark" : theme)",
                                       environment: noColor ? ["NO_COLOR": "1"] : [:])
            defer { tmux.kill() }
            try await tmux.waitUntilContains("[1 Streams]", "Streams (", "READ-ONLY", "│ waku │ head ")
            let colours = try await tmux.capture(escapes: true)
            #expect(colours.contains("\u{1B}["), "no attributes at all in:\n\(colours)")
            #expect(ANSI.usesColour(colours) == !(noColor || theme == "monochrome"))
        }

        @Test(.tmux) func unknownTerminalTypeIsAClearError() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let status = directory.file("status")
            let tmux = try await TmuxSession("TERM=no-such-terminal \(Self.binary) \(shellQuote(try await DemoFixture.standardStore.path)); echo $? > \(status); sleep 30")
            defer { tmux.kill() }
            let screen = try await tmux.waitUntilContains("TERM=\"no-such-terminal\" is unknown")
            #expect(screen.contains("try TERM=xterm-256color"))
            // The shell writes the status just after the message appears.
            try await wait(until: "the shell to write the exit status") { !lines(of: status).isEmpty }
            #expect(lines(of: status) == ["2"])
        }

        @Test(.tmux) func plainDemoShowsALiveExplorerAndStopsItsWriter() async throws {
            let directory = TemporaryDirectory()
            defer { directory.remove() }
            let store = directory.file("demo.db")
            let status = directory.file("status")
            let tmux = try await TmuxSession("\(Self.binary) demo --store \(shellQuote(store)) --events 5000; echo $? > \(status)")
            defer {
                tmux.kill()
                for pid in LiveWriter.pids(store: store) { kill(pid, SIGKILL) }
            }
            // A newcomer lands on the live log: the global log at the head, following.
            let first = try await tmux.waitFor("the explorer on the global log, following") {
                PaneText($0).head != nil && $0.contains("[2 Events]") && $0.contains("Events · global log · following")
            }
            let head = try #require(PaneText(first).head)
            try await tmux.waitFor("the head to grow past \(head)") { (PaneText($0).head ?? 0) > head }
            #expect(!LiveWriter.pids(store: store).isEmpty, "no live writer beside the explorer")
            try await tmux.send("q")
            try await tmux.waitUntilEnded()
            #expect(try String(contentsOfFile: status, encoding: .utf8) == "0\n")
            try await wait(until: "the live writer to end with the explorer") { LiveWriter.pids(store: store).isEmpty } seen: {
                "still running: pids \(LiveWriter.pids(store: store))"
            }
        }
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs a test only where tmux is installed, except under CI, where a missing tmux fails it.
    static var tmux: Self {
        .enabled(if: TmuxSession.isInstalled || TmuxSession.isRequired,
                 "tmux is not installed: scripts/test installs it (under CI=true these tests fail instead)")
    }
}
