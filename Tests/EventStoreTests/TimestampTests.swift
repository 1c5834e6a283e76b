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
