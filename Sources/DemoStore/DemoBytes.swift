import EventStore

/// A reusable byte buffer the generator writes each row's text into: ten million events are
/// built without a `String` (or an allocation) per field, and bound to SQLite straight from here.
struct DemoBytes {
    var bytes: [UInt8] = []

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    var count: Int { bytes.count }
    var string: String { String(decoding: bytes, as: UTF8.self) }

    /// Empties the buffer and keeps its storage.
    mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    mutating func append(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func append(_ utf8: [UInt8]) { bytes.append(contentsOf: utf8) }

    mutating func append(_ byte: UInt8) { bytes.append(byte) }

    mutating func append(text: String) { bytes.append(contentsOf: text.utf8) }

    /// A decimal integer, zero-padded to at least `width` digits.
    mutating func append(int value: Int, width: Int = 1) {
        if value < 0 { bytes.append(0x2D) }
        let v = value.magnitude
        var divisor: UInt = 1
        for _ in 1..<max(1, width) { divisor *= 10 }
        while v / divisor >= 10 { divisor *= 10 }
        while divisor > 0 {
            bytes.append(UInt8(truncatingIfNeeded: v / divisor % 10) &+ 0x30)
            divisor /= 10
        }
    }

    /// The last `digits` hex digits of `value`, zero-padded; uppercase when asked.
    mutating func append(hex value: UInt64, digits: Int, uppercase: Bool = false) {
        let table = uppercase ? Self.upperHex : Self.lowerHex
        for i in stride(from: digits - 1, through: 0, by: -1) {
            bytes.append(table[Int(truncatingIfNeeded: value >> UInt64(4 * i)) & 0xF])
        }
    }

    /// A UUID's 8-4-4-4-12 hex text.
    mutating func append(uuid: UUIDWords) {
        append(hex: uuid.hi >> 32, digits: 8)
        bytes.append(0x2D)
        append(hex: uuid.hi >> 16, digits: 4)
        bytes.append(0x2D)
        append(hex: uuid.hi, digits: 4)
        bytes.append(0x2D)
        append(hex: uuid.lo >> 48, digits: 4)
        bytes.append(0x2D)
        append(hex: uuid.lo, digits: 12)
    }

    /// A cents amount as the demo writes money: `1234.05`.
    mutating func append(cents: Int) {
        append(int: cents / 100)
        bytes.append(0x2E)
        append(int: cents % 100, width: 2)
    }

    private static let lowerHex: [UInt8] = Array("0123456789abcdef".utf8)
    private static let upperHex: [UInt8] = Array("0123456789ABCDEF".utf8)
}

/// `Timestamp.iso8601`'s bytes for times that mostly share a day with the one before: the date is
/// formatted once per day, the time of day in place.
struct ISO8601Writer {
    private var day = Int64.min
    private var datePrefix: [UInt8] = []

    mutating func append(_ time: Timestamp, to out: inout DemoBytes) {
        let micros = time.microseconds
        let seconds = micros >= 0 ? micros / 1_000_000 : (micros - 999_999) / 1_000_000
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        if days != day {
            let text = Timestamp(microseconds: days * 86_400_000_000).iso8601
            // Years outside 0…9999 have another shape: written whole, not cached.
            guard text.utf8.count == 27 else { return out.append(text: time.iso8601) }
            day = days
            datePrefix = Array(text.utf8.prefix(11))
        }
        let secondOfDay = Int(seconds - days * 86_400)
        out.append(datePrefix)
        out.append(int: secondOfDay / 3600, width: 2)
        out.append(0x3A)
        out.append(int: secondOfDay % 3600 / 60, width: 2)
        out.append(0x3A)
        out.append(int: secondOfDay % 60, width: 2)
        out.append(0x2E)
        out.append(int: Int(micros - seconds * 1_000_000), width: 6)
        out.append(0x5A)
    }
}
