/// A semantic colour role: what a cell means, not which colour it is. Themes map roles to colours.
public enum Role: String, Sendable, Hashable, CaseIterable {
    case background, text, muted, border
    case focusedBorder = "focused_border"
    case title, selection, ok, warning, error
    case jsonKey = "json_key"
    case jsonString = "json_string"
    case jsonNumber = "json_number"
    case jsonLiteral = "json_literal"
    case gap, lease
}

/// How a cell is drawn: a foreground role, a background role and a few attributes.
public struct Style: Sendable, Hashable {
    public var fg: Role
    public var bg: Role
    public var bold: Bool
    public var underline: Bool

    public init(_ fg: Role = .text, bg: Role = .background, bold: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.underline = underline
    }

    public static let plain = Style()

    public func on(_ bg: Role) -> Style {
        var s = self
        s.bg = bg
        return s
    }

    public var emphasised: Style {
        var s = self
        s.bold = true
        return s
    }
}

/// One terminal cell. A wide character occupies its cell and a continuation cell to its right;
/// combining marks belong to the character they follow.
public struct Cell: Sendable, Hashable {
    /// The grapheme drawn here; "" in a continuation cell.
    public var text: String
    public var style: Style
    public var isContinuation: Bool

    public init(_ text: String = " ", style: Style = .plain, isContinuation: Bool = false) {
        self.text = text
        self.style = style
        self.isContinuation = isContinuation
    }

    public static let blank = Cell()
}
