import Foundation
import TerminalText
import TestSupport
import Testing

/// How the explorer treats the terminal itself: signals, suspension, terminal types without an
/// alternate screen or a cursor, the mouse wheel, and cells whose width terminals dispute.
extension LiveProcessTests {
@Suite struct TerminalBehaviourTests {
    static let binary = shellQuote(eventscopeBinary)

    /// Waits until `path` holds a line and returns it (the shell writes it once the explorer ended).
    static func line(in path: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await wait(for: "a line in \(path)", timeout: timeout) { () -> Poll<String> in
            if let text = try? String(contentsOfFile: path, encoding: .utf8), text.hasSuffix("\n") {
                return .ready(text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return .pending(seen: "nothing written yet")
        }
    }

    /// The terminal modes `stty -a` printed into `path`.
    static func modes(in path: String) async throws -> Set<String> {
        _ = try await line(in: path)
        return Set(try String(contentsOfFile: path, encoding: .utf8).split(whereSeparator: { " ;\n".contains($0) }).map(String.init))
    }

    /// Runs the explorer on the demo fixture in tmux with its pid in `pid`, then the exit status
    /// in `status` and the terminal modes in `stty`.
    static func explorer(in directory: TemporaryDirectory, term: String = "xterm-256color") async throws -> TmuxSession {
        let (pid, status, stty) = (directory.file("pid"), directory.file("status"), directory.file("stty"))
        let inner = "echo $$ > \(pid); exec \(binary) \(shellQuote(DemoFixture.standard.path))"
        return try await TmuxSession("TERM=\(term) sh -c \(shellQuote(inner)); echo $? > \(status); stty -a > \(stty); sleep 30")
    }

    @Test(.tmux, arguments: ["signal", "key"])
    func sigquitRestoresTheTerminalAndExits131(_ how: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let tmux = try await Self.explorer(in: directory)
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        #expect(try await tmux.display("#{alternate_on}") == "1")
        if how == "signal" {
            let pid = try #require(pid_t(try await Self.line(in: directory.file("pid"))))
            kill(pid, SIGQUIT)
        } else {
            try await tmux.send("C-\\")
        }
        #expect(try await Self.line(in: directory.file("status")) == "131")
        let modes = try await Self.modes(in: directory.file("stty"))
        #expect(modes.contains("icanon") && modes.contains("echo") && !modes.contains("-echo"), "\(modes.sorted())")
        #expect(try await tmux.display("#{alternate_on}") == "0", "the terminal was left in the alternate screen")
        let screen = try await tmux.capture()
        for crash in ["crash", "Crash", "Backtrace", "💣", "READ-ONLY"] {
            #expect(!screen.contains(crash), "\(crash) on the screen after SIGQUIT:\n\(screen)")
        }
    }

    @Test(.tmux, arguments: ["SIGTERM", "SIGHUP"])
    func terminatingSignalsRestoreTheTerminal(_ name: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let tmux = try await Self.explorer(in: directory)
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        let pid = try #require(pid_t(try await Self.line(in: directory.file("pid"))))
        let signal = name == "SIGTERM" ? SIGTERM : SIGHUP
        kill(pid, signal)
        #expect(try await Self.line(in: directory.file("status")) == String(128 + signal))
        #expect(try await Self.modes(in: directory.file("stty")).contains("icanon"))
        #expect(try await tmux.display("#{alternate_on}") == "0")
    }

    @Test(.tmux) func dumbTerminalIsRefusedWithStatus2() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let tmux = try await Self.explorer(in: directory, term: "dumb")
        defer { tmux.kill() }
        #expect(try await Self.line(in: directory.file("status")) == "2")
        // The line may wrap at the pane's edge.
        let screen = try await tmux.waitUntilContains("TERM=\"dumb\" cannot move the cursor").replacingOccurrences(of: "\n", with: "")
        #expect(screen.contains("try TERM=xterm-256color"))
        #expect(!screen.contains("READ-ONLY"))
    }

    /// vt100 and linux have no alternate screen: the explorer clears what it drew when it quits.
    @Test(.tmux, arguments: ["vt100", "linux"])
    func terminalsWithoutAnAlternateScreenAreClearedOnExit(_ term: String) async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let tmux = try await Self.explorer(in: directory, term: term)
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY", "Enter events")
        try await tmux.send("q")
        #expect(try await Self.line(in: directory.file("status")) == "0")
        let screen = try await tmux.capture()
        for frame in ["READ-ONLY", "Streams", "Enter events", "┌", "│"] {
            #expect(!screen.contains(frame), "\(frame) left on the screen by TERM=\(term):\n\(screen)")
        }
    }

    /// Ctrl-Z gives the terminal back and stops the explorer as a job; `fg` brings it back drawn whole.
    @Test(.tmux) func controlZSuspendsAndFgResumes() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let status = directory.file("status")
        // A shell with job control (set -m), as an operator's interactive shell has.
        let script = "set -m; \(Self.binary) \(shellQuote(DemoFixture.standard.path)); echo SUSPENDED-$?; read line; fg; echo $? > \(status)"
        let tmux = try await TmuxSession("bash --norc --noprofile -c \(shellQuote(script)); sleep 30")
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        try await tmux.send("j", "2")
        try await tmux.waitUntilContains("[2 Events]", "Events · global log")
        try await tmux.send("C-z")
        let suspended = try await tmux.waitUntilContains("SUSPENDED-")
        #expect(!suspended.contains("READ-ONLY"), "the frame stayed while suspended:\n\(suspended)")
        #expect(try await tmux.display("#{alternate_on}") == "0")
        // Back in the foreground: the whole frame again, in the pane it was in, and still working.
        try await tmux.send("Enter")
        let back = try await tmux.waitFor("the explorer redrawn in full") { screen in
            screen.contains("[2 Events]") && screen.contains("READ-ONLY") && !screen.contains("SUSPENDED-")
                && PaneText(screen).lines.contains { $0.hasPrefix("└") && DisplayWidth.of($0) == 120 }
        }
        #expect(PaneText(back).lines.filter { $0.hasPrefix("│") }.allSatisfy { DisplayWidth.of($0) == 120 })
        try await tmux.send("1")
        try await tmux.waitUntilContains("[1 Streams]")
        try await tmux.send("q")
        #expect(try await Self.line(in: status) == "0")
    }

    /// The wheel moves the selection as j and k do. tmux forwards the wheel as SGR mouse reports
    /// (`ESC [ < 65 ; x ; y M` down, 64 up) once the explorer has asked for them.
    @Test(.tmux) func mouseWheelScrollsTheFocusedList() async throws {
        let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(DemoFixture.standard.path))")
        defer { tmux.kill() }
        let screen = try await tmux.waitFor("the streams listed") { PaneText($0).rows.count >= 3 && PaneText($0).selected != nil }
        let rows = PaneText(screen).rows
        #expect(PaneText(screen).selected == rows.first)
        func wheel(_ button: Int) async throws {
            // In one send-keys, so the report arrives whole (a lone ESC would be read as Esc).
            try await tmux.type("\u{1B}[<\(button);10;6M")
        }
        try await wheel(65)
        try await wheel(65)
        try await tmux.waitFor("the third row selected") { PaneText($0).selected == rows[2] }
        try await wheel(64)
        try await tmux.waitFor("the second row selected") { PaneText($0).selected == rows[1] }
        #expect(try await tmux.capture().contains("[1 Streams]"), "the report was read as keys")
    }

    /// Emoji, CJK, combining marks and ZWJ sequences drawn over each other as a list scrolls: the
    /// terminal shows exactly the frame the explorer computed (no stale glyph, no shifted column),
    /// and the right border of every row is in the last column.
    @Test(.tmux) func wideAndCombiningTextLeavesNothingStale() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let store = directory.file("widths.db")
        let kinds = ["👩‍👩‍👧", "❤️", "e\u{301}", "東京", "plain", "🇯🇵", "👍🏽x"]
        let builder = try WakuStoreBuilder(path: store)
        for i in 0..<30 {
            let kind = kinds[i % kinds.count]
            let id = "W\(i < 10 ? "0" : "")\(i)-\(kind)\(kind)-\(kinds[(i + 3) % kinds.count])"
            try builder.stream(id, version: 0)
            try builder.event(Int64(i), stream: id, position: 0, type: "T-\(kind)")
        }
        try builder.close()

        let (width, height) = (120, 14)
        let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(store))", width: width, height: height)
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        var pressed: [String] = ["t"]
        try await tmux.send("t")
        // Down past the bottom (each press scrolls one row, so every row gets another kind), a page,
        // back up, then the Events pane whose types hold the same text.
        let steps: [[String]] = [[], ["j", "j", "j", "j", "j", "j", "j", "j"], ["j"], ["j"], ["PgDn"], ["k", "k", "k", "k", "k", "k", "k", "k"],
                                 ["PgUp"], ["2"], ["j", "j", "j", "j", "j", "j", "j", "j", "j"], ["j"], ["G"], ["g"]]
        let snapshotNames = ["PgDn": "PgDn", "PgUp": "PgUp"]
        for step in steps {
            for key in step { try await tmux.send(key) }
            pressed += step
            let keys = pressed.map { snapshotNames[$0] ?? $0 }.joined(separator: " ")
            let snapshot = try await runEventscope(["snapshot", store, "--size", "\(width)x\(height)", "--keys", keys])
            #expect(snapshot.status == 0, "\(snapshot.stderr)")
            let expected = snapshot.stdout.components(separatedBy: "\n").prefix(height).map(Self.trimmed)
            let screen = try await tmux.waitFor("the frame after \(keys)") { screen in
                screen.components(separatedBy: "\n").prefix(height).map(Self.trimmed) == Array(expected)
            }
            for line in PaneText(screen).lines where line.hasPrefix("│") {
                #expect(line.hasSuffix("│") && DisplayWidth.of(line) == width, "misaligned after \(keys): \(line)")
            }
        }
    }

    static func trimmed(_ line: String) -> String {
        var line = line
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }
}
}
