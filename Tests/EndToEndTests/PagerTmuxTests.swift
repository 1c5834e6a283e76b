import Foundation
import TestSupport
import Testing

/// `o` hands the terminal to `$PAGER` on the event's data and takes it back; `Z` shows local
/// times read from TZ; a wide terminal shows Events and Detail side by side (issue 7), in a real
/// terminal.
extension LiveProcessTests {
@Suite struct PagerTmuxTests {
    static let binary = shellQuote(eventscopeBinary)

    /// A pager that records its arguments and a copy of the file it was given, then waits for a
    /// line, so the test sees the terminal while the pager holds it.
    static func recordingPager(in directory: TemporaryDirectory) async throws -> String {
        let path = directory.file("pager.sh")
        try await writeExecutable("""
            #!/bin/sh
            printf '%s\\n' "$@" > \(shellQuote(directory.file("args")))
            cp "$2" \(shellQuote(directory.file("shown")))
            echo "PAGER HAS THE TERMINAL"
            read answer
            """, to: path)
        return path
    }

    /// The data of the demo store's event at global position 0, as `event --json` gives it.
    static func dataOfFirstEvent() async throws -> Any {
        let result = try await runEventscope(["event", DemoFixture.standard.path, "0", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        return try #require(object["data"])
    }

    @Test(.tmux) func oShowsTheEventsDataInThePagerAndTakesTheTerminalBack() async throws {
        let directory = TemporaryDirectory()
        defer { directory.remove() }
        let pager = try await Self.recordingPager(in: directory)
        // PAGER with an argument: split on blanks, run without a shell.
        let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(DemoFixture.standard.path)); sleep 30",
                                         environment: ["PAGER": "\(pager) --flag"])
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        try await tmux.send(":")
        try await tmux.type("pos 0")
        try await tmux.send("Enter")
        try await tmux.waitUntilContains("[2 Events]")
        try await tmux.send("Enter")
        try await tmux.waitUntilContains("[3 Detail]")
        try await tmux.send("o")
        let paging = try await tmux.waitUntilContains("PAGER HAS THE TERMINAL")
        #expect(!paging.contains("READ-ONLY"), "the explorer drew over the pager:\n\(paging)")
        #expect(try await tmux.display("#{alternate_on}") == "0", "the pager was started inside the explorer's screen")

        let args = try String(contentsOfFile: directory.file("args"), encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(args.count == 2 && args.first == "--flag", "\(args)")
        let shown = try String(contentsOfFile: directory.file("shown"), encoding: .utf8)
        let parsed = try JSONSerialization.jsonObject(with: Data(shown.utf8))
        let expected = try await Self.dataOfFirstEvent()
        #expect(NSDictionary(dictionary: ["d": parsed]).isEqual(to: ["d": expected]), "paged: \(shown)")
        #expect(shown.contains("\n  "), "the data is paged pretty: \(shown)")

        // The pager ends: the explorer takes the terminal back and repaints it whole; its file is gone.
        try await tmux.send("Enter")
        let back = try await tmux.waitUntilContains("[3 Detail]", "READ-ONLY")
        #expect(!back.contains("PAGER HAS THE TERMINAL"), "\(back)")
        #expect(try await tmux.display("#{alternate_on}") == "1")
        let file = try #require(args.last)
        #expect(!FileManager.default.fileExists(atPath: file), "the paged file was left at \(file)")
        try await tmux.send("q")
    }

    @Test(.tmux) func aPagerThatCannotStartIsSaidAndTheExplorerGoesOn() async throws {
        let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(DemoFixture.standard.path)); sleep 30",
                                         environment: ["PAGER": "/nonexistent/pager"])
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        try await tmux.send("2")
        try await tmux.waitUntilContains("[2 Events]", "GLOBAL")
        try await tmux.send("o")
        let screen = try await tmux.waitUntilContains(#"the pager "/nonexistent/pager" cannot start"#)
        #expect(screen.contains("[2 Events]") && screen.contains("READ-ONLY"), "\(screen)")
        try await tmux.send("q")
    }

    @Test(.tmux) func zShowsTimesInTheZoneTZNames() async throws {
        let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(DemoFixture.standard.path)); sleep 30",
                                         width: 120, environment: ["TZ": "Asia/Kolkata"])
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        try await tmux.send("2")
        // The first row's time: the page under the header, once it has loaded.
        func firstTime(_ screen: String) -> String? {
            screen.split(separator: "\n").dropFirst(3).first.flatMap { line in
                (try? Regex(#"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"#)).flatMap { line.firstMatch(of: $0) }.map { String(line[$0.range]) }
            }
        }
        try await tmux.waitUntilContains("GLOBAL")
        try await tmux.send("Z")
        let local = try await tmux.waitFor("the page in Asia/Kolkata") {
            $0.contains("TIME (Asia/Kolkata)") && $0.contains("times in Asia/Kolkata") && firstTime($0) != nil
        }
        try await tmux.send("Z")
        let utc = try await tmux.waitFor("the page in UTC") { $0.contains("TIME (UTC)") && $0.contains("times in UTC") && firstTime($0) != nil }
        // The same first row, 5 h 30 min apart.
        let (l, u) = (try #require(firstTime(local)), try #require(firstTime(utc)))
        let format = DateFormatter()
        format.dateFormat = "yyyy-MM-dd HH:mm:ss"
        format.timeZone = TimeZone(identifier: "UTC")
        let difference = try #require(format.date(from: l)).timeIntervalSince(try #require(format.date(from: u)))
        #expect(difference == 5.5 * 3600, "local \(l), UTC \(u)")
        try await tmux.send("q")
    }

    @Test(.tmux) func aWideTerminalShowsEventsAndDetailSideBySide() async throws {
        let tmux = try await TmuxSession("\(Self.binary) \(shellQuote(DemoFixture.standard.path)); sleep 30", width: 180, height: 30)
        defer { tmux.kill() }
        try await tmux.waitUntilContains("[1 Streams]", "READ-ONLY")
        try await tmux.send("2")
        let first = try await tmux.waitUntilContains("Events · global log", "Detail · ", "global 0")
        try await tmux.send("j")
        let second = try await tmux.waitFor("Detail to follow the cursor to global 1") { $0.contains("global 1") }
        #expect(first != second)
        try await tmux.resize(width: 150, height: 30)
        let narrow = try await tmux.waitFor("one pane at 150 columns") { !$0.contains("Detail · ") && $0.contains("Events · global log") }
        #expect(!narrow.contains("global 1 "), "\(narrow)")
        try await tmux.send("q")
    }
}
}
