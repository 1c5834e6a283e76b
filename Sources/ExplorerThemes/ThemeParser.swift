import ExplorerCore
import Foundation
import TOMLKit

/// Theme TOML: `name` and a `[colors]` table with every role.
public enum ThemeParser {
    public static func parse(_ text: String, file: String) throws(ThemeError) -> Theme {
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ThemeError(file: file, line: error.source.begin.line, message: "not valid TOML: \(error.description)")
        } catch {
            throw ThemeError(file: file, line: nil, message: "not valid TOML: \(error)")
        }
        guard let colorTable = table["colors"]?.table else {
            throw ThemeError(file: file, line: nil, message: "no [colors] table; it needs one colour per role: "
                             + Role.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var colors: [Role: Color] = [:]
        for key in colorTable.keys {
            guard let role = Role(rawValue: key) else {
                throw ThemeError(file: file, line: lineOf(key: key, in: text),
                                 message: "unknown colour role \(key.debugDescription); roles are "
                                 + Role.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let value = colorTable[key]?.string, let color = Color(parsing: value) else {
                throw ThemeError(file: file, line: lineOf(key: key, in: text),
                                 message: "\(key) must be \"#rrggbb\", an ANSI colour name (red, bright-red, …) or \"default\"")
            }
            colors[role] = color
        }
        let missing = Role.allCases.filter { colors[$0] == nil }
        if !missing.isEmpty {
            throw ThemeError(file: file, line: lineOf(key: "[colors]", in: text),
                             message: "[colors] lacks " + missing.map(\.rawValue).joined(separator: ", "))
        }
        let fallback = URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return Theme(name: table["name"]?.string ?? fallback, colors: colors)
    }

    /// The 1-based line where `key = …` (or a table header) appears, for error messages.
    static func lineOf(key: String, in text: String) -> Int? {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if key.hasPrefix("[") ? trimmed.hasPrefix(key) : (trimmed.hasPrefix(key + " ") || trimmed.hasPrefix(key + "=")) {
                return i + 1
            }
        }
        return nil
    }
}
