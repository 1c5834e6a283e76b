/// A selection in a scrolling list: the selected row and the first row shown.
public struct ListCursor: Sendable, Hashable {
    public var selected: Int
    public var top: Int

    public init(selected: Int = 0, top: Int = 0) {
        self.selected = selected
        self.top = top
    }

    /// Selects `index` (clamped) and scrolls just enough to keep it in view.
    public mutating func select(_ index: Int, count: Int, visible: Int) {
        selected = count == 0 ? 0 : min(max(0, index), count - 1)
        let rows = max(1, visible)
        if selected < top { top = selected }
        if selected >= top + rows { top = selected - rows + 1 }
        top = max(0, min(top, max(0, count - rows)))
    }

    public mutating func move(by delta: Int, count: Int, visible: Int) {
        select(selected + delta, count: count, visible: visible)
    }

    /// Moves as a movement key asks (`j`, PgDn, `G`…); false when the key is not one.
    @discardableResult
    public mutating func move(_ key: Key, count: Int, visible: Int) -> Bool {
        guard let target = Movement.target(key, current: selected, count: count, visible: visible) else { return false }
        select(target, count: count, visible: visible)
        return true
    }

    /// Keeps the cursor valid after the rows changed.
    public mutating func clamp(count: Int, visible: Int) {
        select(selected, count: count, visible: visible)
    }

    /// Shifts the cursor after `count` rows were inserted (positive) or removed (negative) above it.
    public mutating func shift(by delta: Int, count: Int, visible: Int) {
        top += delta
        select(selected + delta, count: count, visible: visible)
    }
}
