/// A JSON string escape decoded to UTF-8. The parser and the reformatter both read escapes
/// through it, so the bytes the reformatter writes are those the parser's tree prints, by
/// construction rather than by two copies kept in step.
enum JSONEscape {
    enum Failure: Error {
        case unterminated, invalid, shortUnicode, invalidUnicode

        /// What the parser says, at the position the index was left at.
        var message: String {
            switch self {
            case .unterminated: "unterminated escape"
            case .invalid: "invalid escape"
            case .shortUnicode: "short \\u escape"
            case .invalidUnicode: "invalid \\u escape"
            }
        }
    }

    /// Decodes the escape after a backslash into `out`: `index` is at the byte after the `\` and is
    /// left past the escape (or where the escape went wrong). A lone surrogate becomes U+FFFD.
    static func decode<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: inout Int, into out: inout [UInt8])
        throws(Failure) where Bytes.Index == Int {
        guard index < bytes.endIndex else { throw .unterminated }
        let e = bytes[index]
        index += 1
        switch e {
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "/"): out.append(0x2F)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hex4(bytes, at: &index)
            if (0xD800...0xDBFF).contains(scalar), index + 1 < bytes.endIndex,
               bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                index += 2
                let low = try hex4(bytes, at: &index)
                if (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    appendUTF8(0xFFFD, to: &out)
                    scalar = low
                }
            }
            appendUTF8(Unicode.Scalar(scalar)?.value ?? 0xFFFD, to: &out)
        default:
            throw .invalid
        }
    }

    static func hex4<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, at index: inout Int) throws(Failure) -> UInt32
        where Bytes.Index == Int {
        guard index + 4 <= bytes.endIndex else { throw .shortUnicode }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw .invalidUnicode
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    /// A scalar (never a surrogate) as UTF-8.
    static func appendUTF8(_ v: UInt32, to out: inout [UInt8]) {
        switch v {
        case 0..<0x80:
            out.append(UInt8(v))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | v >> 6))
            out.append(UInt8(0x80 | v & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | v >> 12))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        default:
            out.append(UInt8(0xF0 | v >> 18))
            out.append(UInt8(0x80 | v >> 12 & 0x3F))
            out.append(UInt8(0x80 | v >> 6 & 0x3F))
            out.append(UInt8(0x80 | v & 0x3F))
        }
    }
}
