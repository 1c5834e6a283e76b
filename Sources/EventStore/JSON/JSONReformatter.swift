/// Copies a stored payload that is already JSON into the output in one pass over its bytes, with no
/// parse tree: it validates as `JSONValue.parse` does and writes exactly the bytes that
/// `JSONValue.parse(text).compact` (or `.pretty`) would. Keys keep their order and numbers their
/// text, as in `JSONValue`; whitespace between tokens goes; a string without escapes or characters
/// the printer escapes is copied as it is, any other is decoded and quoted again.
///
/// Invalid input writes nothing and returns false: the caller then takes the general path, which
/// says why (`JSONValue.parsed`).
public struct JSONReformatter {
    let input: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    /// `JSONValue.pretty`'s layout instead of the compact one.
    let pretty: Bool
    /// Decoded string bytes, reused between strings.
    var scratch: [UInt8] = []

    struct Invalid: Error {}

    init(_ input: UnsafeBufferPointer<UInt8>, pretty: Bool) {
        self.input = input
        self.pretty = pretty
    }

    /// Appends `text` reformatted: compact when `level` is nil, else pretty at that indentation level.
    @discardableResult
    public static func append(_ text: String, to out: inout JSONBytes, level: Int? = nil) -> Bool {
        var text = text
        return text.withUTF8 { append(utf8: $0, to: &out, level: level) }
    }

    public static func append(utf8: UnsafeBufferPointer<UInt8>, to out: inout JSONBytes, level: Int? = nil) -> Bool {
        let start = out.count
        var reformatter = JSONReformatter(utf8, pretty: level != nil)
        do {
            reformatter.skipWhitespace()
            try reformatter.value(into: &out, level: level ?? 0)
            reformatter.skipWhitespace()
            if reformatter.index < utf8.count { throw Invalid() }
            return true
        } catch {
            out.bytes.removeSubrange(start...)
            return false
        }
    }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < input.count {
            let b = input[index]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            index += 1
        }
    }

    mutating func value(into out: inout JSONBytes, level: Int) throws(Invalid) {
        guard index < input.count else { throw Invalid() }
        switch input[index] {
        case UInt8(ascii: "{"): try container(into: &out, level: level, close: UInt8(ascii: "}"))
        case UInt8(ascii: "["): try container(into: &out, level: level, close: UInt8(ascii: "]"))
        case UInt8(ascii: "\""): try string(into: &out)
        case UInt8(ascii: "t"): try literal("true", into: &out)
        case UInt8(ascii: "f"): try literal("false", into: &out)
        case UInt8(ascii: "n"): try literal("null", into: &out)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number(into: &out)
        default: throw Invalid()
        }
    }

    mutating func literal(_ word: StaticString, into out: inout JSONBytes) throws(Invalid) {
        let count = word.utf8CodeUnitCount
        guard index + count <= input.count else { throw Invalid() }
        let p = word.utf8Start
        for i in 0..<count where input[index + i] != p[i] { throw Invalid() }
        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[index..<index + count]))
        index += count
    }

    /// An object or an array; `JSONValue.pretty` puts each element on its own line, `{}` and `[]` stay empty.
    mutating func container(into out: inout JSONBytes, level: Int, close: UInt8) throws(Invalid) {
        depth += 1
        if depth > 512 { throw Invalid() }
        defer { depth -= 1 }
        let isObject = close == UInt8(ascii: "}")
        out.append(input[index])
        index += 1
        skipWhitespace()
        if index < input.count, input[index] == close {
            index += 1
            out.append(close)
            return
        }
        var first = true
        while true {
            skipWhitespace()
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            if pretty { out.newline(level: level + 1) }
            if isObject {
                guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw Invalid() }
                try string(into: &out)
                skipWhitespace()
                guard index < input.count, input[index] == UInt8(ascii: ":") else { throw Invalid() }
                index += 1
                out.append(UInt8(ascii: ":"))
                if pretty { out.append(0x20) }
                skipWhitespace()
            }
            try value(into: &out, level: level + 1)
            skipWhitespace()
            guard index < input.count else { throw Invalid() }
            if input[index] == UInt8(ascii: ",") { index += 1; continue }
            if input[index] == close {
                index += 1
                if pretty { out.newline(level: level) }
                out.append(close)
                return
            }
            throw Invalid()
        }
    }

    mutating func number(into out: inout JSONBytes) throws(Invalid) {
        let start = index
        if input[index] == UInt8(ascii: "-") { index += 1 }
        let intStart = index
        let intDigits = digits()
        if intDigits == 0 || (intDigits > 1 && input[intStart] == UInt8(ascii: "0")) { throw Invalid() }
        if index < input.count, input[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { throw Invalid() }
        }
        if index < input.count, input[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { throw Invalid() }
        }
        out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[start..<index]))
    }

    @inline(__always)
    mutating func digits() -> Int {
        let start = index
        while index < input.count, input[index] &- 0x30 < 10 { index += 1 }
        return index - start
    }

    /// A string: copied when nothing in it is an escape or a character the printer escapes,
    /// else decoded as the parser decodes it and quoted again.
    mutating func string(into out: inout JSONBytes) throws(Invalid) {
        let open = index
        index += 1
        var verbatim = true
        while index < input.count {
            let b = input[index]
            if b == 0x22 {
                index += 1
                if verbatim {
                    out.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: input[open..<index]))
                    return
                }
                index = open
                try decodeString()
                scratch.withUnsafeBufferPointer { out.append(quotedUTF8: $0) }
                return
            }
            if b < 0x20 { throw Invalid() }
            if b == 0x5C {
                verbatim = false
                index += 2  // the escaped byte cannot end the string
                continue
            }
            if b == 0x7F
                || (b == 0xC2 && index + 1 < input.count && input[index + 1] <= 0x9F)
                || (b == 0xE2 && index + 2 < input.count && input[index + 1] == 0x80 && input[index + 2] & 0xFE == 0xA8)
            {
                verbatim = false
            }
            index += 1
        }
        throw Invalid()
    }

    /// Decodes the string at `index` into `scratch` exactly as `JSONValue.parse` does, lone surrogates included.
    mutating func decodeString() throws(Invalid) {
        scratch.removeAll(keepingCapacity: true)
        index += 1
        while index < input.count {
            let b = input[index]
            switch b {
            case 0x22:
                index += 1
                return
            case 0x5C:
                index += 1
                do { try JSONEscape.decode(input, at: &index, into: &scratch) } catch { throw Invalid() }
            case 0x00..<0x20:
                throw Invalid()
            default:
                scratch.append(b)
                index += 1
            }
        }
        throw Invalid()
    }
}
