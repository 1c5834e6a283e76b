/// JSON text written as UTF-8 bytes: the bulk paths (`events --ndjson`, large `--json` pages) build
/// their output here instead of appending to a `String`, and hand the bytes to one `write(2)`.
///
/// Every method writes exactly what `JSONValue.compact` (or `.pretty`) would for the same value.
public struct JSONBytes: Sendable {
    public var bytes: [UInt8] = []

    public init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    public var count: Int { bytes.count }

    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    @inline(__always)
    public mutating func append(_ byte: UInt8) { bytes.append(byte) }

    /// Text written as it is (a literal, a key with its quotes and colon).
    public mutating func append(raw text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func append(raw text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// A value through the general path (`JSONValue`'s own printer).
    public mutating func append(_ value: JSONValue, pretty: Bool = false, level: Int = 0) {
        if pretty {
            // `pretty` starts at level 0; deeper lines get the extra indentation of `level`.
            let text = value.pretty
            if level == 0 { append(raw: text); return }
            let indent = [UInt8](repeating: 0x20, count: 2 * level)
            for byte in text.utf8 {
                bytes.append(byte)
                if byte == 0x0A { bytes.append(contentsOf: indent) }
            }
        } else {
            append(raw: value.compact)
        }
    }

    /// A decimal integer.
    public mutating func append(int value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var v = value.magnitude
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var i = 20
            repeat {
                i -= 1
                digits[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                v /= 10
            } while v > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[i..<20]))
        }
    }

    /// A newline and two spaces per level: the line breaks of `JSONValue.pretty`.
    public mutating func newline(level: Int) {
        bytes.append(0x0A)
        for _ in 0..<(2 * level) { bytes.append(0x20) }
    }

    public mutating func append(bool value: Bool) {
        append(raw: value ? "true" : "false")
    }

    /// A time's `iso8601` quoted (none of its characters is escaped), written in place.
    public mutating func append(quoted time: Timestamp) {
        bytes.append(0x22)
        let written = withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 27) { digits in
            guard time.writeISO8601(into: digits) else { return false }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[0..<27]))
            return true
        }
        if !written { append(raw: time.iso8601) }
        bytes.append(0x22)
    }

    /// A string quoted as `JSONValue.quote` quotes it.
    public mutating func append(quoted text: String) {
        var text = text
        text.withUTF8 { append(quotedUTF8: $0) }
    }

    /// Valid UTF-8 quoted as `JSONValue.quote` quotes its scalars: `\"`, `\\`, `\n`, `\r`, `\t`; the other
    /// controls, U+007F–U+009F and U+2028/9 as `\u00xx`; everything else as it is.
    public mutating func append(quotedUTF8 s: UnsafeBufferPointer<UInt8>) {
        bytes.append(0x22)
        var start = 0
        var i = 0
        let n = s.count
        while i < n {
            let b = s[i]
            var escape = false
            var width = 1
            if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x7F {
                escape = true
            } else if b == 0xC2, i + 1 < n, s[i + 1] >= 0x80, s[i + 1] <= 0x9F {
                escape = true
                width = 2
            } else if b == 0xE2, i + 2 < n, s[i + 1] == 0x80, s[i + 2] == 0xA8 || s[i + 2] == 0xA9 {
                escape = true
                width = 3
            }
            if !escape { i += 1; continue }
            if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<i])) }
            let scalar: UInt32 = width == 1 ? UInt32(b) : width == 2 ? UInt32(s[i + 1]) : 0x2028 + UInt32(s[i + 2] - 0xA8)
            appendEscaped(scalar)
            i += width
            start = i
        }
        if start < n { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: s[start..<n])) }
        bytes.append(0x22)
    }

    /// One scalar that must be escaped, as `JSONValue.quote` escapes it.
    mutating func appendEscaped(_ scalar: UInt32) {
        bytes.append(0x5C)
        switch scalar {
        case 0x22: bytes.append(0x22)
        case 0x5C: bytes.append(0x5C)
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(UInt8(ascii: "u"))
            bytes.append(hex[Int(scalar >> 12 & 0xF)])
            bytes.append(hex[Int(scalar >> 8 & 0xF)])
            bytes.append(hex[Int(scalar >> 4 & 0xF)])
            bytes.append(hex[Int(scalar & 0xF)])
        }
    }
}
