/// Text that is not valid UTF-8, written so that it survives as a Swift `String` and comes back
/// byte for byte: each byte that is not part of valid UTF-8 is `\xHH` (two lowercase hex digits)
/// and each backslash is `\\`. Valid text is written as it is unless it contains something that
/// reads as an escape (`\\` or `\x` and two hex digits); then it too is written escaped, so the
/// form never names two different byte strings. The README documents the form.
public enum EscapedBytes {
    /// The form shown for stored bytes, and whether it differs from the text as stored.
    public static func display(_ bytes: [UInt8]) -> (text: String, escaped: Bool) {
        if let text = String(validating: bytes, as: UTF8.self), decode(text) == bytes { return (text, false) }
        return (escape(bytes), true)
    }

    /// Every byte that is not part of valid UTF-8 as `\xHH`, every backslash as `\\`.
    public static func escape(_ bytes: [UInt8]) -> String {
        var out = ""
        var rest = bytes[...]
        while !rest.isEmpty {
            let (valid, length) = validPrefix(rest)
            out += valid.replacing("\\", with: "\\\\")
            rest = rest.dropFirst(length)
            if let bad = rest.first {
                out += "\\x" + String(bad, radix: 16).leftPadded(2)
                rest = rest.dropFirst()
            }
        }
        return out
    }

    /// The bytes a shown form names: `\\` is a backslash, `\xHH` a byte, everything else itself.
    public static func decode(_ text: String) -> [UInt8] {
        let utf8 = Array(text.utf8)
        guard utf8.contains(UInt8(ascii: "\\")) else { return utf8 }
        var out: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 1 < utf8.count {
                if utf8[i + 1] == UInt8(ascii: "\\") {
                    out.append(utf8[i])
                    i += 2
                    continue
                }
                if utf8[i + 1] == UInt8(ascii: "x"), i + 3 < utf8.count,
                   let byte = UInt8(String(decoding: utf8[i + 2...i + 3], as: UTF8.self), radix: 16) {
                    out.append(byte)
                    i += 4
                    continue
                }
            }
            out.append(utf8[i])
            i += 1
        }
        return out
    }

    /// The longest prefix that is valid UTF-8, and its length in bytes.
    static func validPrefix(_ bytes: ArraySlice<UInt8>) -> (String, Int) {
        var length = 0
        var iterator = bytes.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var scalars = String.UnicodeScalarView()
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                scalars.append(Unicode.UTF8.decode(encoded))
                length += encoded.count
            case .emptyInput, .error: break loop
            }
        }
        return (String(scalars), length)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
