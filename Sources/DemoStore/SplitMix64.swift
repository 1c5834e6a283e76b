/// A small, fast, seedable generator: the same seed makes the same store.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
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
        let h = hex(hi, 16), l = hex(lo, 16)
        return "\(h.prefix(8))-\(h.dropFirst(8).prefix(4))-\(h.suffix(4))-\(l.prefix(4))-\(l.suffix(12))"
    }

    mutating func hexWord(_ digits: Int) -> String { hex(next(), 16).suffix(digits).description }
}

func hex(_ v: UInt64, _ width: Int) -> String {
    let s = String(v, radix: 16)
    return String(repeating: "0", count: max(0, width - s.count)) + s
}
