import Foundation

/// The live writers' pace: a steady rate with bursts (every 20 s, three seconds at five times the
/// rate), as events owed so far. Both engines' writers append what it owes, one transaction at a time.
struct DemoPace {
    let rate: Double
    let start: Date
    private var last: Date
    /// Events owed and not yet appended.
    private(set) var owed = 0.0

    init(rate: Double, start: Date = Date()) {
        self.rate = rate
        self.start = start
        last = start
    }

    /// Adds what the time since the last call owes.
    mutating func tick(now: Date = Date()) {
        let elapsed = now.timeIntervalSince(start)
        let factor = elapsed.truncatingRemainder(dividingBy: 20) < 3 && elapsed > 3 ? 5.0 : 1.0
        owed += now.timeIntervalSince(last) * rate * factor
        last = now
    }

    /// The next transaction's size (1 to 3 events, no more than is owed); nil when less than one is owed.
    mutating func nextTransaction(rng: inout SplitMix64) -> Int? {
        guard owed >= 1 else { return nil }
        return min(Int(owed), Int.random(in: 1...3, using: &rng))
    }

    mutating func appended(_ count: Int) { owed -= Double(count) }

    /// After an outage: what it would have owed is not appended in one burst afterwards.
    mutating func resume(now: Date = Date()) {
        last = now
        owed = min(owed, 1)
    }
}
