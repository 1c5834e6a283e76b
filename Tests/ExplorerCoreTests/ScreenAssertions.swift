import Testing
import ExplorerCore

/// Compares a rendered grid with an expected screen written by hand, line by line.
func expectScreen(_ grid: Grid, _ expected: [String], sourceLocation: SourceLocation = #_sourceLocation) {
    let actual = grid.plainText()
    var lines = expected
    while lines.count < actual.count { lines.append("") }
    for (i, (a, e)) in zip(actual, lines).enumerated() where a != e {
        let report: String = "line \(i) differs\n  got:      \(a.debugDescription)\n  expected: \(e.debugDescription)\n"
            + "whole screen:\n" + actual.joined(separator: "\n")
        Issue.record(Comment(rawValue: report), sourceLocation: sourceLocation)
        return
    }
}

/// A box row: `│`, the hand-written content padded to the inner width, `│` (saves counting spaces).
func row(_ content: String, width: Int = 60) -> String {
    "│" + content + String(repeating: " ", count: max(0, width - 2 - content.count)) + "│"
}
