/// Walks the log forwards from a cursor and re-checks the positions it skipped, so that an event
/// committed late into a hole is still delivered: never twice, never lost while the hole is in
/// flight. One query per poll, however many holes are open.
public struct LogFollower: Sendable {
    /// The highest global position read so far.
    public private(set) var cursor: GlobalPosition
    public let types: Set<String>
    public let includeHidden: Bool
    /// The holes still watched; the tracker ages them (SPEC §5) and retires them when stale.
    public private(set) var gaps: GapTracker
    public static let page = 1000

    public init(cursor: GlobalPosition, head: GlobalPosition, types: Set<String> = [], includeHidden: Bool = false,
                gapTimeout: Double = 10) {
        self.cursor = cursor
        self.types = types
        self.includeHidden = includeHidden
        // Holes below `head` were there before we started: the tracker dates them by their events.
        gaps = GapTracker(timeout: gapTimeout, horizon: head)
    }

    /// One poll's outcome: events to print (with whether each came late) and whether a full page
    /// suggests more are waiting.
    public struct Delivery: Sendable {
        public var events: [(event: RecordedEvent, late: Bool)]
        public var more: Bool
    }

    /// The position ranges the next poll reads: every hole still in flight, then everything new.
    public func rangesToRead(at now: Timestamp) -> [ClosedRange<GlobalPosition>] {
        // A store can hold the very last position (any column may hold any value): nothing follows it.
        watched(at: now) + (cursor < .max ? [cursor + 1 ... GlobalPosition.max] : [])
    }

    func watched(at now: Timestamp) -> [ClosedRange<GlobalPosition>] {
        gaps.known.map(\.range).filter { gaps.state(of: Gap(from: $0.lowerBound, to: $0.upperBound, kind: .missing), at: now) == .inFlight }
    }

    /// Reads once and advances.
    public mutating func poll(_ reader: any StoreReader, at now: Timestamp) async throws -> Delivery {
        let batch = try await reader.events(in: rangesToRead(at: now), limit: Self.page)
        return receive(batch, at: now)
    }

    /// Folds a batch read from `rangesToRead(at: now)` into the follower (pure, for tests).
    public mutating func receive(_ batch: [RecordedEvent], at now: Timestamp) -> Delivery {
        var out: [(event: RecordedEvent, late: Bool)] = []
        // Holes are found in the unfiltered log (hidden events are no holes); the filters only
        // decide what is printed.
        func wanted(_ event: RecordedEvent) -> Bool {
            (types.isEmpty || types.contains(event.eventType)) && (includeHidden || !event.isHidden)
        }
        let start = cursor
        var holes = watched(at: now)
        var commitTimes: [GlobalPosition: Timestamp] = [:]
        for event in batch {
            let p = event.globalPosition
            if p <= start {
                // A late commit into a watched hole; the hole shrinks, so it is never read twice.
                guard holes.contains(where: { $0.contains(p) }) else { continue }
                holes = holes.flatMap { Self.removing(p, from: $0) }
                if wanted(event) { out.append((event, true)) }
            } else {
                if p - 1 > cursor { holes.append(cursor + 1 ... p - 1) }
                if let t = event.timestamp.timestamp { commitTimes[p] = t }
                cursor = p
                if wanted(event) { out.append((event, false)) }
            }
        }
        let runs = holes.map { Gap(from: $0.lowerBound, to: $0.upperBound, kind: .missing) }
        // Everything from the lowest known hole to the cursor is re-stated: stale and filled holes drop out.
        let lowest = min(cursor, gaps.known.first?.range.lowerBound ?? cursor, holes.first?.lowerBound ?? cursor)
        gaps.observe(runs, in: lowest...cursor, head: cursor, at: now, commitTimes: commitTimes)
        return Delivery(events: out, more: batch.count == Self.page)
    }

    static func removing(_ p: GlobalPosition, from range: ClosedRange<GlobalPosition>) -> [ClosedRange<GlobalPosition>] {
        guard range.contains(p) else { return [range] }
        var parts: [ClosedRange<GlobalPosition>] = []
        if range.lowerBound < p { parts.append(range.lowerBound ... p - 1) }
        if p < range.upperBound { parts.append(p + 1 ... range.upperBound) }
        return parts
    }
}

extension LogFollower {
    /// Polls until `stop` says so: a full page is followed at once, otherwise the next poll comes
    /// `interval` after the last began, on the injected clock (a `TestClock` in tests).
    ///
    /// With a `probe` (a cheap look at whether the store may have changed, such as a file's size and
    /// time), the wait between polls is cut into steps of `probe.interval`, and a change polls at the
    /// end of the step it was seen in: a commit is printed within about one step, not one interval,
    /// while an idle store costs only the probes.
    public mutating func run<C: Clock>(_ reader: any StoreReader, clock: C, interval: C.Duration, probe: Probe<C>? = nil,
                                       now: () -> Timestamp, deliver: (Delivery) throws -> Void, stop: () -> Bool) async throws {
        while !stop() {
            let start = clock.now
            let deadline = start.advanced(by: interval)
            // Looked at before the read: a commit after this look is seen by the next one at the latest.
            _ = probe?.changed()
            let delivery = try await poll(reader, at: now())
            try deliver(delivery)
            if delivery.more || stop() { continue }
            var wake = deadline
            if let probe {
                var step = start.advanced(by: probe.interval)
                while step < deadline, !stop() {
                    try await clock.sleep(until: step, tolerance: nil)
                    if probe.changed() {
                        wake = step
                        break
                    }
                    step = step.advanced(by: probe.interval)
                }
            }
            if !stop(), clock.now < wake { try await clock.sleep(until: wake, tolerance: nil) }
        }
    }

    /// A cheap check, made every `interval` between polls, of whether the store may have changed
    /// since the last check: true now and then for nothing is fine, false after a commit is not.
    public struct Probe<C: Clock> {
        public var interval: C.Duration
        public var changed: () -> Bool

        public init(interval: C.Duration, changed: @escaping () -> Bool) {
            self.interval = interval
            self.changed = changed
        }
    }
}
