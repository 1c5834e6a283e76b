import EventStore

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

extension Span {
    /// A field's cell: its stored text marked broken, in the error style, when the record has a
    /// problem with it; else `text` in `style`.
    public static func field(_ field: String, of problems: [ValueProblem], _ text: @autoclosure () -> String, _ style: Style) -> Span {
        if let problem = problems.problem(field) { return Span(problem.shown, Style(.error)) }
        return Span(text(), style)
    }

    /// A time's cell: an unreadable time is its stored text marked broken, in the error style.
    public static func time(_ time: StoreTime?, _ text: String, _ style: Style) -> Span {
        time?.isUnreadable == true ? Span(text, Style(.error)) : Span(text, style)
    }
}
