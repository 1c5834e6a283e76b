import Foundation
import TerminalText
import TestSupport
import Testing

/// A store whose ids, types and payloads carry escape sequences, control characters, CJK, emoji
/// and combining marks: everything a terminal must never receive raw.
enum HostileStore {
    /// Each stream's category: a plain prefix, so a test can find the id on a row.
    static let categories = ["Tokyo", "Party", "Esc", "Title", "Ctl", "Comb", "Plain"]

    static let streams: [(id: String, type: String)] = [
        ("Tokyo-東京駅", "Type-東京"),
        ("Party-🎉🎉", "Type-🎉"),
        ("Esc-\u{1B}[2J", "Type\u{1B}[31mRed"),
        ("Title-\u{1B}]0;title\u{07}", "Type-\u{07}bell"),
        ("Ctl-a\u{01}b\u{7F}c\u{9B}d", "Type-\u{01}"),
        ("Comb-e\u{301}a\u{308}", "Type-e\u{301}"),
        ("Plain-1", "Happened"),
    ]

    /// JSON whose strings decode to raw control characters, wide and combining text.
    static let escapedJSON = #"{"city":"東京","emoji":"🎉","mark":"e\u0301","esc":"\u001b[2J","title":"\u001b]0;title\u0007","ctl":"\u0001\u007f"}"#

    /// Not JSON at all: raw escape bytes in the stored text.
    static let rawText = "not json \u{1B}[2J \u{1B}]0;title\u{07} end"

    /// Writes the store: one event per stream, at global positions 1…7 in the order above.
    static func make(at path: String) throws -> String {
        let builder = try WakuStoreBuilder(path: path)
        for (i, stream) in streams.enumerated() {
            try builder.stream(stream.id, version: 0)
            let data = i == 0 ? escapedJSON : i == 2 ? rawText : #"{"ok":true}"#
            try builder.event(Int64(i + 1), stream: stream.id, position: 0, type: stream.type, data: data)
        }
        try builder.checkpoint("hostile_projection", at: 7)
        try builder.close()
        return path
    }

    /// No raw ESC, BEL or C1 control in the pane (with and without tmux's own colour sequences),
    /// the window title untouched, every box line exactly as wide as the pane, and, when named, a
    /// column that starts at the header's display column on every row.
    static func expectClean(_ tmux: TmuxSession, screen: String, columnAfterId column: String?,
                            sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let styled = try await tmux.capture(escapes: true)
        for (name, text) in [("capture-pane -p", screen), ("capture-pane -p -e", ANSI.withoutSGR(styled))] {
            let raw = text.unicodeScalars.filter { $0.value < 0x20 && $0 != "\n" || (0x7F...0x9F).contains($0.value) }
            #expect(raw.isEmpty, "\(name) has raw control characters \(raw.map { String($0.value, radix: 16) })",
                    sourceLocation: sourceLocation)
        }
        #expect(try await tmux.display("#{pane_title}") != "title", "an OSC from the store set the title", sourceLocation: sourceLocation)
        let lines = PaneText(screen).lines
        for line in lines where ["│", "┌", "└"].contains(where: line.hasPrefix) {
            #expect(DisplayWidth.of(line) == 120, "not 120 cells wide: \(line)", sourceLocation: sourceLocation)
        }
        guard let column, let header = lines.first(where: { $0.contains(column) }),
              let start = displayColumn(of: column, in: header) else { return }
        for row in lines where row.hasPrefix("│") && row != header {
            guard let category = categories.first(where: { row.contains($0 + "-") }) else { continue }
            #expect(displayColumn(of: category, in: row, last: true) == start, "misaligned \(column): \(row)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// The display column (in terminal cells) where `needle` starts in `line`.
func displayColumn(of needle: String, in line: String, last: Bool = false) -> Int? {
    guard let range = line.range(of: needle, options: last ? .backwards : []) else { return nil }
    return DisplayWidth.of(line[..<range.lowerBound])
}
