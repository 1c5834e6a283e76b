/// A run of text in one style.
public struct Span: Sendable, Hashable {
    public var text: String
    public var style: Style
    public init(_ text: String, _ style: Style = .plain) {
        self.text = text
        self.style = style
    }
}

/// One line made of styled runs.
public typealias StyledLine = [Span]

extension Grid {
    /// Draws styled runs from (x, y), clipped to `maxWidth` cells; returns the cells used.
    @discardableResult
    public mutating func put(_ line: StyledLine, x: Int, y: Int, maxWidth: Int, background: Role? = nil) -> Int {
        var used = 0
        for span in line where used < maxWidth {
            var style = span.style
            if let background { style.bg = background }
            used += put(span.text, x: x + used, y: y, style: style, maxWidth: maxWidth - used)
        }
        return used
    }
}
