import TerminalText
import Testing

@Suite struct TerminalTextTests {
    @Test func widths() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("東京") == 4)
        #expect(DisplayWidth.of("🎉") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.of("Zoë Ångström") == 12)
        // Drawn without its variation selector: one cell, as glibc's wcwidth, ncurses and tmux count it.
        #expect(DisplayWidth.of("❤️") == 1)
        #expect(DisplayWidth.of("👩‍👩‍👧") == 6)
        #expect(DisplayWidth.of("한국어") == 6)
    }

    @Test func controlCharactersBecomeVisibleEscapes() {
        #expect(Sanitizer.line("a\u{1B}[31mb") == "a\\u001b[31mb")
        #expect(Sanitizer.line("x\ny\tz\u{7F}\u{9B}") == "x\\u000ay\\u0009z\\u007f\\u009b")
        #expect(Sanitizer.line("rtl\u{202E}txt") == "rtl\\u202etxt")
        #expect(Sanitizer.line("Zoë 東京 🎉") == "Zoë 東京 🎉")
        #expect(Sanitizer.lines("a\nb\u{7}") == ["a", "b\\u0007"])
    }

    @Test func tablesAlignByDisplayWidth() {
        var table = TextTable([.init("NAME"), .init("N", .right)])
        table.append(["東京", "1"])
        table.append(["Zürich", "22"])
        table.append(["bad\u{1B}", "3"])
        #expect(table.render() == """
            NAME        N
            東京        1
            Zürich     22
            bad\\u001b   3

            """)
    }

    @Test func fitPadsAndCuts() {
        #expect(fit("abc", width: 5) == "abc  ")
        #expect(fit("abcdef", width: 4) == "abc…")
        #expect(fit("東京都", width: 4) == "東… ")
        #expect(fit("x", width: 0) == "")
    }
}
