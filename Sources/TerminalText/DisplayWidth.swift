/// How many terminal cells text takes. This is the one answer every part of eventscope uses: the
/// explorer's grid, its tables, the CLI's tables, and the ncurses backend (which checks each cell
/// against the C library's `wcwidth`, the table ncurses itself moves the cursor by).
///
/// Terminals disagree about grapheme clusters: `❤️` (U+2764 U+FE0F) is one cell for glibc's
/// `wcwidth`, ncurses and tmux, two for kitty or WezTerm; tmux joins `👩‍👩‍👧` into two cells where
/// ncurses counts six; regional indicators are one cell for glibc and two for tmux. So text is
/// *drawn* as `glyphs`: pieces whose width nobody disputes, a base character with its combining
/// marks. Variation selectors, emoji modifiers and tag characters are left out, a zero-width joiner
/// splits its sequence into the parts (`👩👩👧`, six cells everywhere), and a character whose width
/// terminals dispute is drawn as `�` (one cell). `of` measures exactly what `glyphs` draws.
public enum DisplayWidth {
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for c in text { total += of(c) }
        return total
    }

    public static func of(_ character: Character) -> Int {
        // The common case (ASCII and other single scalars drawn as they are) without allocating.
        let scalars = character.unicodeScalars
        if scalars.count == 1, let only = scalars.first, !isDisputed(only), !isDropped(only) { return of(only) }
        return glyphs(character).reduce(0) { $0 + $1.width }
    }

    /// Text as it is drawn: each character replaced by its glyphs (see the type's comment).
    public static func drawable(_ text: some StringProtocol) -> String {
        var out = ""
        for c in text {
            for glyph in glyphs(c) { out += glyph.text }
        }
        return out
    }

    /// Marks a terminal attaches to the cell before them; more than ncurses keeps in a cell
    /// (CCHARW_MAX - 1 with its base) are left out.
    public static let maxScalarsPerGlyph = 4

    /// The pieces one character is drawn as, each a base scalar and its combining marks with a width
    /// of 1 or 2, or a lone mark of width 0 that joins whatever was drawn before it.
    public static func glyphs(_ character: Character) -> [Glyph] {
        var out: [Glyph] = []
        var current: (scalars: String.UnicodeScalarView, width: Int)?
        func flush() {
            if let c = current { out.append(Glyph(text: String(c.scalars), width: c.width)) }
            current = nil
        }
        for scalar in character.unicodeScalars {
            // A zero-width joiner is left out: the parts it joins are drawn side by side.
            if scalar == "\u{200D}" || isDropped(scalar) { continue }
            let w = isDisputed(scalar) ? 1 : of(scalar)
            let shown: Unicode.Scalar = isDisputed(scalar) ? "\u{FFFD}" : scalar
            if w == 0 {
                // A combining mark: it joins the current glyph, or stands alone to join the previous one.
                if current == nil {
                    guard isMark(scalar) else { continue }
                    current = (String.UnicodeScalarView([shown]), 0)
                } else if current!.scalars.count < maxScalarsPerGlyph {
                    current!.scalars.append(shown)
                }
                continue
            }
            flush()
            current = (String.UnicodeScalarView([shown]), w)
        }
        flush()
        return out
    }

    /// A piece of text of a width every terminal agrees on.
    public struct Glyph: Sendable, Hashable {
        public var text: String
        public var width: Int
        public init(text: String, width: Int) {
            self.text = text
            self.width = width
        }
    }

    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x20 || (0x7F..<0xA0).contains(v) { return 0 }
        if v < 0x300 { return 1 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        // Zero-width space, conjoining Hangul vowels and finals, and a mark Unicode 15 made spacing
        // that the C library still counts as none.
        if v == 0x200B || (0x1160...0x11FF).contains(v) || (0xD7B0...0xD7FF).contains(v) || v == 0x1171E { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        return wideRanges.contains(where: { $0.contains(v) }) ? 2 : 1
    }

    /// Scalars that change how a terminal draws the character before them, in ways terminals do not
    /// agree on: variation selectors, emoji skin-tone modifiers, tag characters.
    static func isDropped(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0xFE00...0xFE0F, 0xE0100...0xE01EF, 0x1F3FB...0x1F3FF, 0xE0000...0xE007F: true
        default: false
        }
    }

    /// Scalars whose width terminals dispute: regional indicators (one cell for glibc, two for tmux).
    static func isDisputed(_ s: Unicode.Scalar) -> Bool { (0x1F1E6...0x1F1FF).contains(s.value) }

    static func isMark(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .enclosingMark: true
        default: false
        }
    }

    /// East Asian Wide and Fullwidth blocks, as the C library counts them (glibc 2.36, Unicode 15);
    /// emoji are wide by their Emoji_Presentation property instead.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF,
        0x3400...0x4DBF, 0x4DC0...0x4DFF, 0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3,
        0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
        0x16FE0...0x16FF1, 0x17000...0x18D08, 0x1AFF0...0x1AFFE, 0x1B000...0x1B2FF, 0x1F200...0x1F2FF,
        0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}
