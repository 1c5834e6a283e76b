import EventStore

/// A time zone as the explorer shows times in it: a name and its offsets from UTC over time.
/// The core reads no environment: whoever runs the explorer reads the local zone (TZ,
/// /etc/localtime) and hands it in as this value.
public struct ClockZone: Sendable, Hashable {
    /// From `start` (seconds since the epoch) on, clocks read UTC plus `offset` seconds.
    public struct Shift: Sendable, Hashable {
        public var start: Int64
        public var offset: Int
        public init(start: Int64, offset: Int) {
            self.start = start
            self.offset = offset
        }
    }

    /// What column titles say: `UTC`, `Europe/Paris`.
    public var name: String
    /// In ascending order of `start`; the first also applies to every earlier time.
    public private(set) var shifts: [Shift]

    public init(name: String, shifts: [Shift]) {
        self.name = name
        self.shifts = shifts.isEmpty ? [Shift(start: .min, offset: 0)] : shifts.sorted { $0.start < $1.start }
    }

    public static let utc = ClockZone(name: "UTC", shifts: [])

    /// The offset from UTC in seconds at `time`.
    public func offset(at time: Timestamp) -> Int {
        // Whole seconds, rounded down (and never overflowing at the far edges of time).
        let seconds = time.microseconds / 1_000_000 - (time.microseconds % 1_000_000 < 0 ? 1 : 0)
        // The last shift that starts at or before the time.
        var low = 0, high = shifts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if shifts[mid].start <= seconds { low = mid } else { high = mid - 1 }
        }
        return shifts[low].offset
    }

    /// `2026-11-22 13:16:25`: the wall clock in this zone at `time`.
    public func clock(_ time: Timestamp) -> String {
        let (shifted, overflow) = time.microseconds.addingReportingOverflow(Int64(offset(at: time)) * 1_000_000)
        let local = overflow ? time : Timestamp(microseconds: shifted)
        return String(local.iso8601.prefix(19)).replacing("T", with: " ")
    }
}
