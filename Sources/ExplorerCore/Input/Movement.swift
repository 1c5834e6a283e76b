/// The movement keys shared by every list and scrolled text.
enum Movement {
    /// The row a key asks for in a list of `count` rows showing `visible`, or nil when it is not a movement.
    static func target(_ key: Key, current: Int, count: Int, visible: Int) -> Int? {
        switch key {
        case .down, .char("j"), .wheelDown: current + 1
        case .up, .char("k"), .wheelUp: current - 1
        case .pageDown, .control("d"), .char(" "): current + visible
        case .pageUp, .control("u"): current - visible
        case .home, .char("g"): 0
        case .end, .char("G"): count - 1
        default: nil
        }
    }
}
