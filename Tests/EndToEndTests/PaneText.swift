import Foundation
import TestSupport

/// Reads a captured explorer screen: the rows of the focused pane's table and the status line.
struct PaneText {
    let lines: [String]

    init(_ screen: String) { lines = screen.components(separatedBy: "\n") }

    /// The table's rows below its header, without the box edges and the `>` gutter.
    var rows: [String] { tableLines.dropFirst().map(\.text).filter { !$0.isEmpty } }

    /// The selected row (the one with `>` in the gutter).
    var selected: String? { tableLines.dropFirst().first { $0.selected }?.text }

    /// The global positions in an Events table (its first column).
    var positions: [Int64] { rows.compactMap(Self.firstNumber) }

    var selectedPosition: Int64? { selected.flatMap(Self.firstNumber) }

    /// The head in the status line (`READ-ONLY │ waku │ head 2003 │ …`).
    var head: Int64? {
        guard let status = lines.last(where: { $0.hasPrefix("READ-ONLY") }) else { return nil }
        let parts = status.components(separatedBy: " │ ")
        return parts.first { $0.hasPrefix("head ") }.flatMap { Int64($0.dropFirst(5)) }
    }

    private var tableLines: [(text: String, selected: Bool)] {
        lines.filter { $0.hasPrefix("│") && $0.hasSuffix("│") && $0.count >= 3 }.map { line in
            let inner = line.dropFirst().dropLast()
            let text = String(inner.dropFirst()).trimmingCharacters(in: .whitespaces)
            return (text, inner.first == ">")
        }
    }

    private static func firstNumber(_ row: String) -> Int64? {
        row.split(separator: " ").first.flatMap { Int64($0) }
    }
}

/// What a `capture-pane -e` capture says about colours.
enum ANSI {
    /// The SGR sequences (`ESC [ … m`) in the text, as their parameter lists.
    static func sgrParameters(_ text: String) -> [[Int]] {
        var out: [[Int]] = []
        var scalars = text.unicodeScalars[...]
        while let escape = scalars.firstIndex(of: "\u{1B}") {
            scalars = scalars[scalars.index(after: escape)...]
            guard scalars.first == "[", let end = scalars.firstIndex(where: { $0.properties.isAlphabetic }) else { continue }
            let body = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<end]))
            if scalars[end] == "m" { out.append(body.split(separator: ";").compactMap { Int($0) }) }
            scalars = scalars[end...]
        }
        return out
    }

    /// Whether any foreground or background colour other than the terminal's default is set.
    static func usesColour(_ text: String) -> Bool {
        sgrParameters(text).contains { parameters in
            parameters.contains { (30...38).contains($0) || (40...48).contains($0) || (90...97).contains($0) || (100...107).contains($0) }
        }
    }

    /// The text with SGR sequences removed: whatever escape or BEL is left came from somewhere else.
    static func withoutSGR(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{1B}\\[[0-9;:]*m", with: "", options: .regularExpression)
    }
}
