/// A theme that cannot be used, with the file and (when known) the line to look at.
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

/// Where `:theme NAME` finds themes. The core asks; whoever runs the explorer answers (the
/// binary reads theme files through `ExplorerThemes.ThemeCatalog`), so the core reads no file.
public protocol ThemeSource: Sendable {
    /// Theme names, for completion and error messages.
    func names() -> [String]
    /// A theme by name or path.
    func load(_ nameOrPath: String) throws(ThemeError) -> Theme
}

/// A fixed set of themes, held in memory: for tests and runs that read no theme files.
public struct FixedThemes: ThemeSource {
    public var themes: [Theme]

    public init(_ themes: [Theme] = [.monochrome]) {
        self.themes = themes
    }

    public func names() -> [String] { themes.map(\.name) }

    public func load(_ nameOrPath: String) throws(ThemeError) -> Theme {
        guard let theme = themes.first(where: { $0.name == nameOrPath }) else {
            throw ThemeError(file: nameOrPath, line: nil, message: "no such theme; available: " + names().joined(separator: ", "))
        }
        return theme
    }
}

extension ThemeSource {
    /// Loads a theme for `Effect.loadTheme` and says how it went, as the action to send back.
    public func action(loading nameOrPath: String) -> Action {
        do throws(ThemeError) {
            return .themeLoaded(try load(nameOrPath))
        } catch {
            return .themeFailed(error.description)
        }
    }
}
