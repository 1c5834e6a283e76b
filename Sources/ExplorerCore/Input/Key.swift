/// A key press, as the backend decodes it or the snapshot command spells it.
public enum Key: Sendable, Hashable {
    case char(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, pageUp, pageDown, home, end
    /// Ctrl plus a letter, e.g. `.control("l")`.
    case control(Character)
    /// The mouse wheel turned up or down: scrolls like `k` and `j`.
    case wheelUp, wheelDown

    /// Parses the snapshot command's `--keys`: space-separated tokens. A single character is
    /// itself; `Enter`, `Esc`, `Tab`, `S-Tab`, `Up`, `Down`, `Left`, `Right`, `PgUp`, `PgDn`,
    /// `Home`, `End`, `BS`, `Del`, `C-x`, `Space`, `WheelUp` and `WheelDown` name keys; `text:foo` types `foo`.
    public static func parseSequence(_ text: String) throws(KeySequenceError) -> [Key] {
        var keys: [Key] = []
        for token in text.split(separator: " ", omittingEmptySubsequences: true) {
            keys += try parseToken(String(token))
        }
        return keys
    }

    static let named: [String: Key] = [
        "enter": .enter, "esc": .escape, "escape": .escape, "tab": .tab, "s-tab": .backTab, "backtab": .backTab,
        "up": .up, "down": .down, "left": .left, "right": .right, "pgup": .pageUp, "pgdn": .pageDown,
        "pageup": .pageUp, "pagedown": .pageDown, "home": .home, "end": .end, "bs": .backspace,
        "backspace": .backspace, "del": .delete, "space": .char(" "), "wheelup": .wheelUp, "wheeldown": .wheelDown,
    ]

    static func parseToken(_ token: String) throws(KeySequenceError) -> [Key] {
        if token.hasPrefix("text:") { return token.dropFirst(5).map { .char($0) } }
        if token.count == 1, let c = token.first { return [.char(c)] }
        if let key = named[token.lowercased()] { return [key] }
        if token.lowercased().hasPrefix("c-"), token.count == 3, let c = token.last { return [.control(Character(c.lowercased()))] }
        throw KeySequenceError(token: token)
    }
}

/// A `--keys` token the snapshot command does not know.
public struct KeySequenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var token: String
    public init(token: String) { self.token = token }
    public var description: String {
        "unknown key \(token.debugDescription) in --keys: use single characters, Enter, Esc, Tab, S-Tab, Up, Down, "
            + "Left, Right, PgUp, PgDn, Home, End, BS, Del, Space, C-x, WheelUp, WheelDown, or text:WORDS to type"
    }
}
