import Foundation
import TOMLKit

/// A theme file that cannot be used, with the file and (when known) the line to look at.
public struct ThemeError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        "theme \(file)" + (line.map { ", line \($0)" } ?? "") + ": \(message)"
    }
}

/// Finds themes: a path, a user theme in `~/.config/eventscope/themes`, or a shipped one.
public struct ThemeCatalog: Sendable {
    public var userDirectory: String?

    public init(userDirectory: String? = ThemeCatalog.defaultUserDirectory()) {
        self.userDirectory = userDirectory
    }

    public static func defaultUserDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/eventscope/themes" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/eventscope/themes" }
        return nil
    }

    public static let defaultName = "dark"

    /// The theme to start with: NO_COLOR (any non-empty value) wins over `--theme`.
    public func initial(requested: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ThemeError) -> Theme {
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return .monochrome }
        return try load(requested ?? Self.defaultName)
    }

    /// Shipped and user theme names, for completion and help.
    public func names() -> [String] {
        var names = EmbeddedThemes.all.map(\.name)
        if let dir = userDirectory, let files = try? FileManager.default.contentsOfDirectory(atPath: dir) {
            names += files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
        }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    /// Loads a theme by name (user themes shadow shipped ones) or by path (anything with a `/` or `.toml`).
    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        if nameOrPath.contains("/") || nameOrPath.hasSuffix(".toml") {
            return try Self.parse(readFile(nameOrPath), file: nameOrPath)
        }
        if let dir = userDirectory {
            let path = dir + "/" + nameOrPath + ".toml"
            if FileManager.default.fileExists(atPath: path) { return try Self.parse(readFile(path), file: path) }
        }
        if let shipped = EmbeddedThemes.all.first(where: { $0.name == nameOrPath }) {
            return try Self.parse(shipped.text, file: "themes/\(shipped.name).toml")
        }
        throw ThemeError(file: nameOrPath, line: nil,
                         message: "no such theme; available: " + names().joined(separator: ", ") + " (or give a path to a .toml file)")
    }

    private func readFile(_ path: String) throws(ThemeError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ThemeError(file: path, line: nil, message: "cannot read the file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ThemeError(file: path, line: nil, message: "the file is not UTF-8 text")
        }
        return text
    }

    /// Parses theme TOML: `name` and a `[colors]` table with every role.
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
