/// Every key the explorer understands, as help shows it. Tests check each one does something.
public enum HelpContent {
    public struct Entry: Sendable, Hashable {
        public var keys: String
        public var meaning: String
    }

    public static let entries: [Entry] = [
        Entry(keys: "j k ↓ ↑", meaning: "move down / up"),
        Entry(keys: "g G Home End", meaning: "first / last row"),
        Entry(keys: "PgDn PgUp Space", meaning: "page down / up"),
        Entry(keys: "wheel", meaning: "mouse wheel scrolls, as j / k"),
        Entry(keys: "Tab S-Tab 1-6", meaning: "switch pane (6: dead letters)"),
        Entry(keys: "Enter", meaning: "drill in: stream → events → detail"),
        Entry(keys: "Esc", meaning: "back, or clear the filter"),
        Entry(keys: "/", meaning: "prefix filter (streams), regex search"),
        Entry(keys: "n N", meaning: "next / previous match"),
        Entry(keys: ":", meaning: "command line (Tab completes)"),
        Entry(keys: ":pos N", meaning: "jump to global position N"),
        Entry(keys: ":stream ID", meaning: "show one stream's events"),
        Entry(keys: ":type NAME", meaning: "global log of one event type"),
        Entry(keys: ":theme NAME", meaning: "switch colour theme"),
        Entry(keys: ":q", meaning: "quit"),
        Entry(keys: "f", meaning: "follow the head on/off"),
        Entry(keys: "t", meaning: "relative / absolute times"),
        Entry(keys: "Z", meaning: "absolute times: UTC / local zone"),
        Entry(keys: "r", meaning: "raw view (in Detail)"),
        Entry(keys: "h l ← →", meaning: "scroll long lines across (in Detail)"),
        Entry(keys: "J K", meaning: "next / previous event (in Detail)"),
        Entry(keys: "s", meaning: "the event's stream (in Detail)"),
        Entry(keys: "c", meaning: "the event its causation id names"),
        Entry(keys: "o", meaning: "the event's data in $PAGER (less)"),
        Entry(keys: "e", meaning: "dead letter's event (in Dead letters)"),
        Entry(keys: "y", meaning: "copy the event's JSON (OSC 52)"),
        Entry(keys: "R", meaning: "rebuild a projection (in Projections)"),
        Entry(keys: "L", meaning: "rebuild command's log; x stops it"),
        Entry(keys: "?", meaning: "this help (over the pane)"),
        Entry(keys: "C-z", meaning: "suspend; the shell's fg resumes"),
        Entry(keys: "q", meaning: "quit"),
    ]

    /// The help text, one entry per line: keys in a 16-cell column, then their meaning.
    public static let lines: [StyledLine] = entries.map {
        [Span($0.keys + String(repeating: " ", count: max(0, 16 - $0.keys.count)), Style(.title, bold: true)),
         Span($0.meaning)]
    }
}
