/// When the interactive loop's next `.tick` is due, on an injected clock.
public struct Ticker<C: Clock<Duration>>: Sendable {
    public let clock: C
    public let interval: Duration
    private var last: C.Instant

    public init(clock: C, interval: Duration) {
        self.clock = clock
        self.interval = interval
        last = clock.now
    }

    /// Whether a tick is due; when it is, the next one is counted from now.
    public mutating func isDue() -> Bool {
        let now = clock.now
        guard last.duration(to: now) >= interval else { return false }
        last = now
        return true
    }

    /// How long until the next tick is due (zero when it is).
    public var remaining: Duration {
        max(.zero, interval - last.duration(to: clock.now))
    }
}
