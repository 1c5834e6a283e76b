import EventStore

/// Model timestamps as display text.
public enum TimeText {
    /// A time as the operator asked: an age (`12m`) or a clock in `zone` (`2026-11-22 11:16:25`).
    public static func of(_ time: StoreTime?, now: Timestamp, absolute: Bool, zone: ClockZone = .utc) -> String {
        guard let time else { return "" }
        guard let t = time.timestamp else { return time.shown }
        if absolute { return zone.clock(t) }
        return formatAge(seconds: now.seconds(since: t))
    }

    /// Absolute times name their zone in the column's title: `(UTC)`, `(Europe/Paris)`.
    public static func column(_ title: String, absolute: Bool, priority: Int, zone: ClockZone = .utc) -> Column {
        Column(absolute ? title + " (\(zone.name))" : title, width: absolute ? 19 : 7, priority: priority)
    }
}
