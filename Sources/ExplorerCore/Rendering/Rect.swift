/// A rectangle of cells on the screen: where a pane, a box or a table draws.
public struct Rect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// The rectangle inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: max(0, width - 2), height: max(0, height - 2)) }

    /// The same rectangle less `cells` columns on the left (a gutter).
    public func droppingLeft(_ cells: Int) -> Rect {
        Rect(x: x + cells, y: y, width: max(0, width - cells), height: height)
    }

    /// The same rectangle less `rows` rows at the top (a header).
    public func droppingTop(_ rows: Int) -> Rect {
        Rect(x: x, y: y + rows, width: width, height: max(0, height - rows))
    }

    /// One row of this rectangle, counted from its top.
    public func row(_ index: Int) -> Rect { Rect(x: x, y: y + index, width: width, height: 1) }
}
