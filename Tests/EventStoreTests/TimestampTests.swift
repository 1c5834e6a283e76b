import EventStore
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2026-11-22T11:16:25.170405Z", "2026-11-22T11:16:25.170405Z"),
        ("2026-11-22 11:16:25", "2026-11-22T11:16:25.000000Z"),
        ("2026-11-22 11:16:25.1+00", "2026-11-22T11:16:25.100000Z"),
        ("2026-11-22 12:16:25.170405+01:00", "2026-11-22T11:16:25.170405Z"),
        ("2026-11-22T06:16:25-0500", "2026-11-22T11:16:25.000000Z"),
        ("1969-12-31T23:59:59.5Z", "1969-12-31T23:59:59.500000Z"),
        ("2024-02-29T00:00:00Z", "2024-02-29T00:00:00.000000Z"),
        // An offset can carry year 0 back into year -1 (2 BC): the sign stays in front.
        ("0000-01-01T00:00:00+01:00", "-0001-12-31T23:00:00.000000Z"),
        ("0000-01-01T00:30:00.25+00:00", "0000-01-01T00:30:00.250000Z"),
    ])
    func parsesTheFormsStoresWrite(text: String, iso: String) throws {
        #expect(try #require(Timestamp(parsing: text)).iso8601 == iso)
    }

    @Test(arguments: ["", "yesterday", "2026-13-01T00:00:00Z", "2026-11-22T11:16:25.Z", "2026-11-22T11:16:25Zjunk"])
    func rejectsWhatIsNotATimestamp(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test func epochAndOrdering() throws {
        #expect(Timestamp(parsing: "1970-01-01T00:00:00Z")?.microseconds == 0)
        let a = try #require(Timestamp(parsing: "2026-01-01T00:00:00Z"))
        #expect(a.adding(seconds: 90).seconds(since: a) == 90)
        #expect(a < a.adding(seconds: 0.000001))
    }

    @Test func ages() {
        #expect(formatAge(seconds: 4.9) == "4s")
        #expect(formatAge(seconds: 125) == "2m")
        #expect(formatAge(seconds: 3 * 3600 + 5) == "3h")
        #expect(formatAge(seconds: 3 * 86_400) == "3d")
    }
}

@Suite struct StoreTimeTests {
    @Test(arguments: ["2026-02-31T00:00:00Z", "2025-02-29T00:00:00Z", "2026-04-31 10:00:00", "2026-11-00T00:00:00Z"])
    func impossibleDatesAreRejected(text: String) {
        #expect(Timestamp(parsing: text) == nil)
        #expect(StoreTime(text: text) == .unreadable(text))
    }

    @Test func epochSecondsAreRead() throws {
        #expect(Timestamp(epochSeconds: 0)?.iso8601 == "1970-01-01T00:00:00.000000Z")
        #expect(Timestamp(epochSeconds: 1_795_000_000.25)?.iso8601 == "2026-11-18T11:06:40.250000Z")
        #expect(StoreTime(text: "1795000000").timestamp == Timestamp(epochSeconds: 1_795_000_000))
        #expect(Timestamp(epochSeconds: .infinity) == nil)
        #expect(Timestamp(epochSeconds: 1e300) == nil)
    }

    @Test func aMomentInTheFutureIsNotInZeroSeconds() {
        #expect(formatAge(seconds: -0.4) == "now")
        #expect(formatAge(seconds: -1.5) == "now")
        #expect(formatAge(seconds: -90) == "in 90s")
    }
}

@Suite struct LayoutDetectionTests {
    let waku: SchemaCatalog = [WakuSchema.events: WakuSchema.eventColumns, WakuSchema.streams: WakuSchema.streamColumns]

    @Test func eachLayoutIsRecognisedFromItsCatalog() throws {
        #expect(try StoreLayout.detect(in: waku).get() == .waku)
        for layout in StoreLayout.allCases {
            #expect(try StoreLayout.detect(in: layout.signature.merging(["other": ["x"]]) { a, _ in a }).get() == layout)
        }
    }

    @Test func aWakuTableMissingAColumnSaysWhich() {
        var catalog = waku
        catalog[WakuSchema.events]?.remove("idempotency_key")
        guard case .failure(let mismatch) = StoreLayout.detect(in: catalog) else { Issue.record("detected"); return }
        #expect(mismatch.description.contains("idempotency_key"))
    }

    @Test func eventsWithoutStreamsIsNotWaku() {
        guard case .failure(let mismatch) = StoreLayout.detect(in: [WakuSchema.events: WakuSchema.eventColumns]) else {
            Issue.record("detected"); return
        }
        #expect(mismatch.description.contains("es_streams"))
    }

    @Test func noLayoutListsWhatWasLookedFor() {
        guard case .failure(let mismatch) = StoreLayout.detect(in: ["users": ["id"]]) else { Issue.record("detected"); return }
        #expect(mismatch.description.hasPrefix("no known layout: looked for waku (es_events, es_streams)"))
        #expect(mismatch.description.contains("found tables: users"))
    }
}
