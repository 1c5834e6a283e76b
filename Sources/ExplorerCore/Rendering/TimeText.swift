import EventStore

/// Model timestamps as display text.
public enum TimeText {
    /// A time as the operator asked: an age (`12m`) or a UTC clock (`2026-11-22 11:16:25`).
    public static func of(_ time: StoreTime?, now: Timestamp, absolute: Bool) -> String {
        guard let time else { return "" }
        guard let t = time.timestamp else { return time.shown }
        if absolute { return String(t.iso8601.prefix(19)).replacing("T", with: " ") }
        return formatAge(seconds: now.seconds(since: t))
    }

    /// Absolute times are UTC, and the column's title says so.
    public static func column(_ title: String, absolute: Bool, priority: Int) -> Column {
        Column(absolute ? title + " (UTC)" : title, width: absolute ? 19 : 7, priority: priority)
    }
}
