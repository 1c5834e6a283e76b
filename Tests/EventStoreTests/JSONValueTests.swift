import EventStore
import Testing

@Suite struct JSONValueTests {
    @Test func keysKeepTheirOrderAndNumbersTheirText() throws {
        let text = #"{"z":1,"a":{"y":12.50,"b":[true,null,-0.5e3]},"m":"x"}"#
        let value = try JSONValue.parse(text)
        #expect(value.compact == text)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["z", "a", "m"])
        #expect(value["a"]?["y"] == .number("12.50"))
    }

    @Test func prettyPrintsWithTwoSpaces() throws {
        let value = try JSONValue.parse(#"{"a":[1,{"b":"c"}],"e":{}}"#)
        #expect(value.pretty == """
            {
              "a": [
                1,
                {
                  "b": "c"
                }
              ],
              "e": {}
            }
            """)
    }

    @Test func escapesAndUnicodeRoundTrip() throws {
        let value = try JSONValue.parse(#"{"s":"Zo\u00eb \ud83c\udf89 \"q\" \\ \n \u001b[31m 東京"}"#)
        #expect(value["s"] == .string("Zoë 🎉 \"q\" \\ \n \u{1B}[31m 東京"))
        // Control characters are always written escaped, never raw.
        #expect(value.compact == #"{"s":"Zoë 🎉 \"q\" \\ \n \u001b[31m 東京"}"#)
    }

    @Test(arguments: [
        (#"{"a": tru}"#, 1, 7), ("[1,2", 1, 5), ("{\n  \"a\": 01\n}", 2, 8), (#"{"a":1} x"#, 1, 9), ("", 1, 1),
        ("\"tab\there\"", 1, 5), (#"{"a" 1}"#, 1, 6), ("-", 1, 2), ("1.", 1, 3),
    ])
    func syntaxErrorsSayWhere(text: String, line: Int, column: Int) {
        let error = #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(text) }
        #expect(error?.line == line)
        #expect(error?.column == column)
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(deep) }
    }

    @Test func metadataEnvelope() {
        let envelope = MetadataEnvelope(json: #"{"correlation_id":"corr-1","causation_id":null,"extra":{"user":"u"}}"#)
        #expect(envelope?.correlationId == "corr-1")
        #expect(envelope?.causationId == nil)
        #expect(envelope?.extra?["user"] == .string("u"))
        #expect(MetadataEnvelope(json: "not json") == nil)
    }
}
