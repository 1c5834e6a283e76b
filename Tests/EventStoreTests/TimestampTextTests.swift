import DemoStore
import EventStore
import Testing

/// `iso8601` writes its digits in place; it must read exactly as the padded interpolation did.
@Suite struct TimestampTextTests {
    @Test func iso8601MatchesThePaddedForm() {
        var rng = SplitMix64(seed: 1_234)
        let samples = [0, 1, -1, 999_999, 1_764_000_000_123_456, 253_402_300_799_999_999, -62_135_596_800_000_000]
            + (0..<5_000).map { _ in Int64.random(in: -62_135_596_800_000_000...253_402_300_799_999_999, using: &rng) }
        for micros in samples {
            let t = Timestamp(microseconds: micros)
            #expect(Timestamp(parsing: t.iso8601) == t, "\(micros) → \(t.iso8601)")
            #expect(t.iso8601.utf8.count == 27 && t.iso8601.hasSuffix("Z"), "\(t.iso8601)")
        }
        #expect(Timestamp(microseconds: 1_764_000_000_123_456).iso8601 == "2025-11-24T16:00:00.123456Z")
        #expect(Timestamp(microseconds: -1).iso8601 == "1969-12-31T23:59:59.999999Z")
    }
}
