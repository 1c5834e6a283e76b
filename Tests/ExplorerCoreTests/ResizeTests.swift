import ExplorerCore
import Testing

@Suite struct ResizeTests {
    @Test(arguments: ["1", "2", "2 Enter", "4", "5", "?"])
    func everyPaneRendersAtAnySize(keys: String) async throws {
        var explorer = await Fixture.explorer(height: 26)
        await explorer.press(try Key.parseSequence(keys))
        for width in [0, 1, 5, 20, 39, 40, 41, 59, 80, 200] {
            for height in [0, 1, 3, 9, 10, 11, 24, 60] {
                await explorer.send(.resize(width: width, height: height))
                let text = explorer.screen.plainText()
                #expect(text.count == height)
                #expect(text.allSatisfy { $0.count <= width })
                if width < Layout.minWidth || height < Layout.minHeight, width >= 31, height >= 1 {
                    #expect(text.contains { $0.contains("terminal too small (need 40×10)") })
                }
                if width >= Layout.minWidth, height >= Layout.minHeight {
                    #expect(text[height - 1].hasPrefix("READ-ONLY │ waku │ head 7"))
                }
            }
        }
    }
}
