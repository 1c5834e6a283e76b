/// A small, fast, seedable generator: the same seed makes the same store (and, in tests, the same
/// generated inputs, so a failure can be replayed).
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }

    /// A UUIDv7: the millisecond timestamp first, so ids sort by time and index inserts stay sequential.
    mutating func uuid7(milliseconds: Int64) -> String {
        var bytes = DemoBytes(capacity: 36)
        bytes.append(uuid: uuid7Words(milliseconds: milliseconds))
        return bytes.string
    }

    /// A UUIDv7's two 64-bit halves; `DemoBytes.append(uuid:)` writes its text.
    mutating func uuid7Words(milliseconds: Int64) -> UUIDWords {
        let ms = UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF
        let r = next()
        let hi = (ms << 16) | 0x7000 | (r & 0x0FFF)
        let lo = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        return UUIDWords(hi: hi, lo: lo)
    }

    /// A random word's last `digits` hex digits, as a number (`DemoBytes.append(hex:digits:)` writes it).
    mutating func hexValue(_ digits: Int) -> UInt64 {
        let v = next()
        return digits >= 16 ? v : v & ((1 << UInt64(4 * digits)) - 1)
    }

    /// An index into a collection of `count` items, drawn as `pick` draws it.
    mutating func index(_ count: Int) -> Int { Int.random(in: 0..<count, using: &self) }

    /// The last `digits` hex digits of a random word.
    mutating func hexWord(_ digits: Int) -> String { hex(hexValue(digits), min(digits, 16)) }
}

/// Lowercase hex, zero-padded to `width` digits.
func hex(_ v: UInt64, _ width: Int) -> String {
    var bytes = DemoBytes(capacity: 16)
    bytes.append(hex: v, digits: max(width, v == 0 ? 1 : (67 - v.leadingZeroBitCount) / 4))
    return bytes.string
}

/// A UUID as its two 64-bit halves.
struct UUIDWords: Hashable {
    var hi: UInt64
    var lo: UInt64
}
