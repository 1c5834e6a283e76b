import DemoStore
import EventStore
import Testing

/// The byte-level copier must write exactly what the parse tree's printer writes, for every input:
/// thousands of generated documents (whitespace, escapes, surrogates, numbers, nesting), their
/// corruptions, and the hostile cases by name.
@Suite struct JSONReformatterTests {
    static let hostile = [
        #"{"a":"\u00e9","b":"\/","c":"é"}"#, "{\n  \"a\": 12.50,\n  \"b\": [1e5, -0.0, 1E+2, 3e-7]\n}\n", #"  "str"  "#, "true", "null", "-0",
        #"{"nul":"\u0000","ctl":"\u001b[2J\u007f","c1":"\u0085","ls":"\u2028\u2029"}"#, "{\"raw\":\"\u{7F}\u{85}\u{2028}\u{2029}\"}",
        #"["\ud83d\ude00","\ud800","\udc00x","\ud800\u0041","\ud800\ud800\udc00","\uD83D\uDE00"]"#,
        #"{"esc":"\"\\\b\f\n\r\t"}"#, "{}", "[]", "{ }", "[ ]", #"{"a":{},"b":[],"c":[{}]}"#,
        String(repeating: "[", count: 512) + String(repeating: "]", count: 512),
        // Invalid: each must leave no bytes behind and be reported.
        String(repeating: "[", count: 513) + String(repeating: "]", count: 513),
        "", "   ", "{", "{\"a\":}", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "1e", "-", "tru", "nul", "[1 2]", "{\"a\" 1}", "{1:2}",
        "\"a\u{01}b\"", "\"a\u{00}\"", "\"\\x\"", "\"\\u12\"", "\"\\u12g4\"", "\"abc", "\"\\", "{\"a\":1} x", "[\"\\ud800\\u12\"]",
        "not json \u{1B}[2J", "{\"a\":1}{", "\u{FEFF}{}", "[1,\n2,\r\n3]\t",
    ]

    @Test(arguments: hostile)
    func hostileInputsMatchTheParseTree(text: String) {
        expectSameBytes(text)
    }

    @Test func generatedDocumentsMatchTheParseTree() {
        var rng = SplitMix64(seed: 0x5EED)
        for _ in 0..<3_000 {
            let text = JSONTextGenerator.document(&rng)
            expectSameBytes(text)
            // A corruption at a random place: a byte dropped, doubled or replaced.
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { continue }
            let at = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: bytes.remove(at: at)
            case 1: bytes.insert(bytes[at], at: at)
            default: bytes[at] = Array(#"{}[]",:\u0"#.utf8).randomElement(using: &rng)!
            }
            expectSameBytes(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test func quotingMatchesTheParseTreesPrinter() {
        var rng = SplitMix64(seed: 7)
        for _ in 0..<2_000 {
            let s = JSONTextGenerator.rawString(&rng)
            var out = JSONBytes()
            out.append(quoted: s)
            var expected = ""
            JSONValue.quote(s, into: &expected)
            #expect(out.bytes == Array(expected.utf8), "\(s.debugDescription)")
        }
    }

    @Test(arguments: [Int64.min, -1, 0, 7, 10, 1_000_000, Int64.max])
    func integersAreDecimal(value: Int64) {
        var out = JSONBytes()
        out.append(int: value)
        #expect(String(decoding: out.bytes, as: UTF8.self) == String(value))
    }

    func expectSameBytes(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let parsed = try? JSONValue.parse(text)
        for level in [nil, 0, 2] as [Int?] {
            var out = JSONBytes()
            out.append(raw: "prefix")
            let ok = JSONReformatter.append(text, to: &out, level: level)
            #expect(ok == (parsed != nil), "\(text.debugDescription) accepted: \(ok)", sourceLocation: sourceLocation)
            var expected = JSONBytes()
            expected.append(raw: "prefix")
            if let parsed { expected.append(parsed, pretty: level != nil, level: level ?? 0) }
            let got = String(decoding: out.bytes, as: UTF8.self), want = String(decoding: expected.bytes, as: UTF8.self)
            #expect(out.bytes == expected.bytes, "\(text.debugDescription) at level \(String(describing: level)):\n\(got)\n\(want)",
                    sourceLocation: sourceLocation)
        }
    }
}

/// Events written byte by byte against the parse tree's form, broken columns and invalid payloads included.
@Suite struct EventJSONBytesTests {
    static let payloads = JSONReformatterTests.hostile + [#"{"ok":true}"#]

    @Test func eventsMatchTheirJSONValue() {
        var rng = SplitMix64(seed: 11)
        var events: [RecordedEvent] = []
        for (i, data) in Self.payloads.enumerated() {
            let metadata = Self.payloads.randomElement(using: &rng)!
            let time: StoreTime = i % 7 == 3 ? .unreadable("yesterday") : StoreTime(text: "2026-11-02T00:00:0\(i % 10).123456Z")
            var event = RecordedEvent(globalPosition: Int64(i), eventId: "ev-\(i)\u{1B}", streamId: "Ctl-a\u{01}b\u{7F}c\u{9B}d-\(i)",
                                      eventType: "Type-東京\u{2028}", position: Int64(i % 3), data: data, metadata: metadata,
                                      timestamp: time, schemaVersion: 1, idempotencyKey: "k\"\\\(i)", isHidden: i % 2 == 0)
            if i % 5 == 1 { event.problems = [ValueProblem(field: "position", stored: "abc", reason: "text where an integer belongs")] }
            events.append(event)
        }
        for event in events {
            for level in [nil, 1] as [Int?] {
                var out = JSONBytes()
                event.appendJSON(to: &out, level: level)
                var expected = JSONBytes()
                expected.append(event.json, pretty: level != nil, level: level ?? 0)
                #expect(out.bytes == expected.bytes, "\(String(decoding: out.bytes, as: UTF8.self))\n\(String(decoding: expected.bytes, as: UTF8.self))")
            }
        }
    }
}


/// Random JSON text in every form the grammar allows, with whitespace and escapes a store may hold.
enum JSONTextGenerator {
    static let scalars: [String] = ["a", "é", "東", "🎉", "\u{7F}", "\u{85}", "\u{9F}", "\u{A0}", "\u{2028}", "\u{2029}", "\u{301}", " ", "/", "\u{FEFF}"]
    static let escapes: [String] = [#"\""#, #"\\"#, #"\/"#, #"\b"#, #"\f"#, #"\n"#, #"\r"#, #"\t"#, #"\u00e9"#, #"\u0000"#, #"\u001F"#,
                                    #"\u007f"#, #"\u0085"#, #"\u2028"#, #"\ud83c\udf89"#, #"\ud800"#, #"\udfff"#, #"\ud800\u0041"#, #"\uFFFF"#]
    static let numbers = ["0", "-0", "12.50", "1e5", "1E+5", "-3.25e-7", "123456789012345678901234567890", "0.000", "7"]

    static func document<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        space(&rng) + value(&rng, depth: 0) + space(&rng)
    }

    static func space<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        guard Int.random(in: 0..<3, using: &rng) == 0 else { return "" }
        return String((0..<Int.random(in: 1...4, using: &rng)).map { _ in [" ", "\n", "\r", "\t"].randomElement(using: &rng)! })
    }

    static func value<R: RandomNumberGenerator>(_ rng: inout R, depth: Int) -> String {
        let kind = Int.random(in: 0..<(depth > 4 ? 5 : 8), using: &rng)
        switch kind {
        case 0: return ["true", "false", "null"].randomElement(using: &rng)!
        case 1, 2: return numbers.randomElement(using: &rng)!
        case 3, 4: return string(&rng)
        case 5:
            let n = Int.random(in: 0...4, using: &rng)
            return "[" + space(&rng) + (0..<n).map { _ in space(&rng) + value(&rng, depth: depth + 1) + space(&rng) }.joined(separator: ",") + "]"
        default:
            let n = Int.random(in: 0...4, using: &rng)
            return "{" + space(&rng) + (0..<n).map { _ in
                space(&rng) + string(&rng) + space(&rng) + ":" + space(&rng) + value(&rng, depth: depth + 1) + space(&rng)
            }.joined(separator: ",") + "}"
        }
    }

    static func string<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let n = Int.random(in: 0...6, using: &rng)
        return "\"" + (0..<n).map { _ in
            Int.random(in: 0..<3, using: &rng) == 0 ? escapes.randomElement(using: &rng)! : scalars.randomElement(using: &rng)!
        }.joined() + "\""
    }

    /// A decoded string: any scalar a payload may carry, controls included.
    static func rawString<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let pool: [Unicode.Scalar] = ["a", "\"", "\\", "\n", "\r", "\t", "\u{00}", "\u{08}", "\u{1B}", "\u{1F}", "\u{7F}", "\u{80}", "\u{9F}",
                                      "\u{A0}", "\u{2027}", "\u{2028}", "\u{2029}", "\u{202A}", "é", "東", "🎉"]
        var s = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...8, using: &rng) { s.append(pool.randomElement(using: &rng)!) }
        return String(s)
    }
}
