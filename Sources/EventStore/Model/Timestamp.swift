import Foundation

/// A UTC instant with microsecond precision, parsed from the text forms stores write:
/// `2026-11-22T11:16:25.170405Z`, `2026-11-22 11:16:25` (SQLite's `CURRENT_TIMESTAMP`),
/// and PostgreSQL's `2026-11-22 11:16:25.170405+00` / `+01:00`.
public struct Timestamp: Sendable, Hashable, Comparable {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }

    /// The system's wall clock. Only the program's edges read it; everything else is handed a time.
    public static func now() -> Timestamp {
        Timestamp(microseconds: Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()))
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.microseconds < b.microseconds }

    public func adding(seconds: Double) -> Timestamp {
        Timestamp(microseconds: microseconds + Int64((seconds * 1_000_000).rounded()))
    }

    public func seconds(since other: Timestamp) -> Double { Double(microseconds - other.microseconds) / 1_000_000 }

    public init?(parsing text: String) {
        var text = text
        guard let parsed = text.withUTF8(Timestamp.init(parsingUTF8:)) else { return nil }
        self = parsed
    }

    /// `init(parsing:)` of text given as its UTF-8 bytes (a store's, read in place).
    public init?(parsingUTF8 b: UnsafeBufferPointer<UInt8>) {
        var i = 0
        func number(_ count: Int) -> Int? {
            guard i + count <= b.count else { return nil }
            var v = 0
            for k in i..<i + count {
                guard (48...57).contains(b[k]) else { return nil }
                v = v * 10 + Int(b[k] - 48)
            }
            i += count
            return v
        }
        func expect(_ c: UInt8...) -> Bool {
            guard i < b.count, c.contains(b[i]) else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2),
              expect(84, 32, 116), let hour = number(2), expect(58), let minute = number(2), expect(58),
              let second = number(2), (1...12).contains(month), (1...Self.daysIn(month: month, year: year)).contains(day),
              hour < 24, minute < 60, second < 61
        else { return nil }
        var micros = 0
        if i < b.count, b[i] == 46 {
            i += 1
            var digits = 0
            while i < b.count, (48...57).contains(b[i]) {
                if digits < 6 { micros = micros * 10 + Int(b[i] - 48) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 6) { micros *= 10 }
        }
        var offsetSeconds = 0
        if i < b.count {
            if b[i] == 90 || b[i] == 122 { i += 1 } else if b[i] == 43 || b[i] == 45 {
                let sign = b[i] == 43 ? 1 : -1
                i += 1
                guard let oh = number(2) else { return nil }
                var om = 0
                if i < b.count, b[i] == 58 { i += 1 }
                if i < b.count { guard let m = number(2) else { return nil }; om = m }
                offsetSeconds = sign * (oh * 3600 + om * 60)
            }
        }
        guard i == b.count else { return nil }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetSeconds)
        microseconds = seconds * 1_000_000 + Int64(micros)
    }

    /// An instant given as seconds since the epoch (lexigram's lock expiry, SQLite's `unixepoch()`);
    /// nil outside years 0001–9999, where no store's clock can be.
    public init?(epochSeconds: Double) {
        guard epochSeconds.isFinite, (-62_135_596_800.0...253_402_300_799.0).contains(epochSeconds) else { return nil }
        microseconds = Int64((epochSeconds * 1_000_000).rounded())
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// ISO-8601 UTC with microseconds, the form the waku layout on SQLite stores.
    public var iso8601: String {
        // The common case written in place: this runs for every event a bulk read prints.
        let common = String(unsafeUninitializedCapacity: 27) { writeISO8601(into: $0) ? 27 : 0 }
        if !common.isEmpty { return common }
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secOfDay = seconds - days * 86_400
        let (y, m, d) = Self.civil(fromDays: Int(days))
        // Years before 1 (ISO 8601's year 0 is 1 BC) keep their sign in front: -0001, not 00-1.
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v.magnitude)
            return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, w - s.count)) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(Int(secOfDay / 3600), 2)):\(pad(Int(secOfDay % 3600 / 60), 2)):"
            + "\(pad(Int(secOfDay % 60), 2)).\(pad(Int(micros), 6))Z"
    }

    /// `iso8601`'s 27 bytes written at the start of `out` for the years 0–9999 (its common case);
    /// false, nothing written, for the others.
    public func writeISO8601(into out: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        let seconds = microseconds >= 0 ? microseconds / 1_000_000 : (microseconds - 999_999) / 1_000_000
        let micros = microseconds - seconds * 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secOfDay = seconds - days * 86_400
        let (y, m, d) = Self.civil(fromDays: Int(days))
        guard (0...9999).contains(y), out.count >= 27 else { return false }
        func put(_ value: Int, _ width: Int, at start: Int) {
            var v = value
            for i in stride(from: start + width - 1, through: start, by: -1) {
                out[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
            }
        }
        put(y, 4, at: 0); out[4] = 0x2D; put(m, 2, at: 5); out[7] = 0x2D; put(d, 2, at: 8); out[10] = 0x54
        put(Int(secOfDay / 3600), 2, at: 11); out[13] = 0x3A; put(Int(secOfDay % 3600 / 60), 2, at: 14); out[16] = 0x3A
        put(Int(secOfDay % 60), 2, at: 17); out[19] = 0x2E; put(Int(micros), 6, at: 20); out[26] = 0x5A
        return true
    }

    // Howard Hinnant's civil-calendar algorithms.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp + (mp < 10 ? 3 : -9)
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}

/// A short human age: `4s`, `12m`, `3h`, `2d`; a moment in the future (a clock slightly ahead) is `now`.
public func formatAge(seconds: Double) -> String {
    let s = Int(seconds.rounded(.down))
    // A moment in the future (a writer's clock slightly ahead of ours) is "now", not "in 0s".
    if s < 0 { return seconds > -2 ? "now" : "in " + formatAge(seconds: -seconds) }
    if s < 120 { return "\(s)s" }
    if s < 7200 { return "\(s / 60)m" }
    if s < 172_800 { return "\(s / 3600)h" }
    return "\(s / 86_400)d"
}
