/// Colours for every semantic role. The edge reads them from TOML files (`ExplorerThemes`); the
/// core only holds the value.
public struct Theme: Sendable, Hashable {
    public var name: String
    public var colors: [Role: Color]

    public init(name: String, colors: [Role: Color]) {
        self.name = name
        self.colors = colors
    }

    public func color(_ role: Role) -> Color { colors[role] ?? .terminalDefault }

    /// The theme NO_COLOR forces and tests render with: the terminal's own colours only.
    public static let monochrome = Theme(name: "monochrome",
                                         colors: Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0, .terminalDefault) }))

    /// Whether a selected cell must be shown in reverse video because the selection has no colour.
    public var selectionNeedsReverse: Bool { color(.selection) == .terminalDefault }
}
