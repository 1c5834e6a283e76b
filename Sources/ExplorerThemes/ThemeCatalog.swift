import ExplorerCore
import Foundation

/// Finds themes: a path, a user theme in `~/.config/eventscope/themes`, or a shipped one. This
/// is where theme files are read; the environment is handed in by the command that runs.
public struct ThemeCatalog: ThemeSource {
    public var userDirectory: String?

    public init(userDirectory: String?) {
        self.userDirectory = userDirectory
    }

    /// The catalog for an environment: user themes under `$XDG_CONFIG_HOME` or `$HOME`.
    public init(environment: [String: String]) {
        self.init(userDirectory: Self.userDirectory(environment: environment))
    }

    public static func userDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/eventscope/themes" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/eventscope/themes" }
        return nil
    }

    public static let defaultName = "dark"

    /// The theme to start with: NO_COLOR (any non-empty value) wins over `--theme`.
    public func initial(requested: String?, environment: [String: String]) throws(ThemeError) -> Theme {
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
            return try ThemeParser.parse(readFile(nameOrPath), file: nameOrPath)
        }
        if let dir = userDirectory {
            let path = dir + "/" + nameOrPath + ".toml"
            if FileManager.default.fileExists(atPath: path) { return try ThemeParser.parse(readFile(path), file: path) }
        }
        if let shipped = EmbeddedThemes.all.first(where: { $0.name == nameOrPath }) {
            return try ThemeParser.parse(shipped.text, file: "themes/\(shipped.name).toml")
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
}
