import Testing
import ExplorerCore

@Suite struct KeyTests {
    @Test func parsesNamedKeysCharactersAndText() throws {
        #expect(try Key.parseSequence("j j Enter S-Tab PgDn text:ab C-l Space") ==
                [.char("j"), .char("j"), .enter, .backTab, .pageDown, .char("a"), .char("b"), .control("l"), .char(" ")])
    }

    @Test func rejectsUnknownTokens() {
        #expect(throws: KeySequenceError(token: "Jump")) { try Key.parseSequence("j Jump") }
    }
}
