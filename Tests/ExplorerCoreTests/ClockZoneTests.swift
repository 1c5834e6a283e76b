import EventStore
import ExplorerCore
import Testing

/// `Z` shows absolute times in the local zone, which the core is handed as a value (an offset
/// table read at the edge), or in UTC again; titles say which (issue 7).
@Suite struct ClockZoneTests {
    /// Paris in 2026: CET (+1h), CEST (+2h) from 29 March 01:00 UTC, CET again from 25 October 01:00 UTC.
    static let paris = ClockZone(name: "Europe/Paris", shifts: [
        .init(start: .min, offset: 3600),
        .init(start: Timestamp(parsing: "2026-03-29T01:00:00Z")!.microseconds / 1_000_000, offset: 7200),
        .init(start: Timestamp(parsing: "2026-10-25T01:00:00Z")!.microseconds / 1_000_000, offset: 3600),
    ])

    @Test func theOffsetIsTheLastShiftAtOrBeforeTheTime() {
        #expect(Self.paris.offset(at: Timestamp(parsing: "1969-07-20T20:17:00Z")!) == 3600)
        #expect(Self.paris.offset(at: Timestamp(parsing: "2026-03-29T00:59:59Z")!) == 3600)
        #expect(Self.paris.offset(at: Timestamp(parsing: "2026-03-29T01:00:00Z")!) == 7200)
        #expect(Self.paris.offset(at: Timestamp(parsing: "2026-10-25T00:59:59Z")!) == 7200)
        #expect(Self.paris.offset(at: Timestamp(parsing: "2026-11-22T11:50:00Z")!) == 3600)
        #expect(ClockZone.utc.offset(at: Timestamp(parsing: "2026-06-01T00:00:00Z")!) == 0)
    }

    @Test func clocksReadInTheZone() {
        #expect(Self.paris.clock(Timestamp(parsing: "2026-11-22T11:50:00Z")!) == "2026-11-22 12:50:00")
        #expect(Self.paris.clock(Timestamp(parsing: "2026-07-01T23:30:00Z")!) == "2026-07-02 01:30:00")
        #expect(ClockZone.utc.clock(Timestamp(parsing: "2026-07-01T23:30:00Z")!) == "2026-07-01 23:30:00")
        // The far edges of time never trap.
        _ = Self.paris.clock(Timestamp(microseconds: .max))
        _ = Self.paris.clock(Timestamp(microseconds: .min))
    }

    static func explorer(width: Int = 80) async -> HeadlessExplorer {
        var explorer = HeadlessExplorer(reader: Fixture.store, width: width, height: 12, themes: Fixture.themes, now: Fixture.now,
                                        localZone: paris)
        await explorer.start()
        return explorer
    }

    @Test func zShowsLocalTimesAndSaysTheZoneAndZAgainGoesBackToUTC() async throws {
        var explorer = await Self.explorer()
        await explorer.press(try Key.parseSequence("2 Z"))
        var lines = explorer.screen.plainText()
        #expect(lines[2].contains("TIME (Europe/Paris)"), "\(lines[2])")
        #expect(lines[3].contains("2026-11-22 12:50:00"), "\(lines[3])")
        #expect(explorer.state.message?.text == "times in Europe/Paris")

        await explorer.press([.char("Z")])
        lines = explorer.screen.plainText()
        #expect(lines[2].contains("TIME (UTC)"), "\(lines[2])")
        #expect(lines[3].contains("2026-11-22 11:50:00"), "\(lines[3])")
        #expect(explorer.state.message?.text == "times in UTC")
        // t still switches to ages, and back to the zone chosen.
        await explorer.press(try Key.parseSequence("Z t"))
        #expect(explorer.screen.plainText()[3].contains("10m"))
        await explorer.press([.char("t")])
        #expect(explorer.screen.plainText()[3].contains("2026-11-22 12:50:00"))
    }

    @Test func streamsAndDetailFollowTheZoneToo() async throws {
        var explorer = await Self.explorer(width: 120)
        await explorer.press([.char("Z")])
        #expect(explorer.screen.plainText()[2].contains("UPDATED (Europe/Paris)"))
        await explorer.press(try Key.parseSequence("Enter Enter"))
        let time = try #require(explorer.screen.plainText().first { $0.contains("time ") })
        #expect(time.contains("2026-11-22T11:50:00.000000Z · 2026-11-22 12:50:00 Europe/Paris (10m ago)"), "\(time)")
    }

    @Test func aLocalZoneThatIsUTCSaysSo() async throws {
        var explorer = await Fixture.explorer()
        await explorer.press([.char("Z")])
        #expect(explorer.state.message?.text == "times in UTC (the local zone is UTC)")
    }
}
