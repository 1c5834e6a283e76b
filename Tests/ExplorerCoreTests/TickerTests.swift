import Clocks
import ExplorerCore
import Testing

/// The interactive loop's ticks, on a test clock.
@Suite struct TickerTests {
    @Test func aTickIsDueEveryIntervalAndSaysHowLongToWait() async {
        let clock = TestClock<Duration>()
        var ticker = Ticker(clock: clock, interval: .milliseconds(250))
        var due = ticker.isDue()
        #expect(!due)
        #expect(ticker.remaining == .milliseconds(250))
        await clock.advance(by: .milliseconds(100))
        due = ticker.isDue()
        #expect(!due)
        #expect(ticker.remaining == .milliseconds(150))
        await clock.advance(by: .milliseconds(200))
        due = ticker.isDue()
        #expect(due)
        due = ticker.isDue()
        #expect(!due)
        #expect(ticker.remaining == .milliseconds(250))
    }
}
