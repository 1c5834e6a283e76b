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
        let ms = UInt64(max(0, milliseconds)) & 0xFFFF_FFFF_FFFF
        let r = next()
        let hi = (ms << 16) | 0x7000 | (r & 0x0FFF)
        let lo = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        // 8-4-4-4-12 hex digits of hi then lo, written in place: this runs once per demo event.
        return String(unsafeUninitializedCapacity: 36) { out in
            var at = 0
            func put(_ v: UInt64, nibbles: Int) {
                for i in stride(from: nibbles - 1, through: 0, by: -1) {
                    out[at] = hexDigits[Int(truncatingIfNeeded: v >> UInt64(4 * i)) & 0xF]
                    at += 1
                }
            }
            put(hi >> 32, nibbles: 8); out[at] = 0x2D; at += 1
            put(hi >> 16, nibbles: 4); out[at] = 0x2D; at += 1
            put(hi, nibbles: 4); out[at] = 0x2D; at += 1
            put(lo >> 48, nibbles: 4); out[at] = 0x2D; at += 1
            put(lo, nibbles: 12)
            return at
        }
    }

    /// The last `digits` hex digits of a random word.
    mutating func hexWord(_ digits: Int) -> String {
        let v = next()
        return digits >= 16 ? hex(v, 16) : hex(v & ((1 << UInt64(4 * digits)) - 1), digits)
    }
}

private let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

/// Lowercase hex, zero-padded to `width` digits.
func hex(_ v: UInt64, _ width: Int) -> String {
    let count = max(width, v == 0 ? 1 : (67 - v.leadingZeroBitCount) / 4)
    return String(unsafeUninitializedCapacity: count) { out in
        var x = v
        for i in stride(from: count - 1, through: 0, by: -1) {
            out[i] = hexDigits[Int(x & 0xF)]
            x >>= 4
        }
        return count
    }
}
