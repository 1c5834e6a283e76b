import ExplorerCore
import Foundation

extension ClockZone {
    /// The local zone as Foundation reads it (TZ, else /etc/localtime), with its offsets from
    /// 1970 to 2100: read here, at the edge, and handed to the explorer's core as a value.
    static func local() -> ClockZone {
        let zone = TimeZone.current
        var date = Date(timeIntervalSince1970: 0)
        var shifts = [ClockZone.Shift(start: .min, offset: zone.secondsFromGMT(for: date))]
        let end = Date(timeIntervalSince1970: 4_102_444_800)
        while let next = zone.nextDaylightSavingTimeTransition(after: date), next < end, next > date, shifts.count < 2_000 {
            shifts.append(ClockZone.Shift(start: Int64(next.timeIntervalSince1970.rounded(.down)), offset: zone.secondsFromGMT(for: next)))
            date = next
        }
        return ClockZone(name: zone.identifier, shifts: shifts)
    }
}
