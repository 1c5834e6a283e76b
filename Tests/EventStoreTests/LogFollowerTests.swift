import Clocks
import EventStore
import Testing
import TestSupport

/// `tail`'s follower against a log held in memory: what a read of `rangesToRead` returns is
/// computed from the rows, so late commits and holes can be staged exactly.
@Suite struct LogFollowerTests {
    let t0 = Timestamp(parsing: "2026-11-23T12:00:00Z")!

    struct Log {
        var rows: [RecordedEvent] = []
        mutating func commit(_ position: GlobalPosition, at time: Timestamp, type: String = "Happened", hidden: Bool = false) {
            rows.append(RecordedEvent(globalPosition: position, eventId: "e\(position)", streamId: "S-1", eventType: type,
                                      position: position, data: "{}", metadata: "{}", timestamp: .at(time), schemaVersion: 1,
                                      idempotencyKey: "k\(position)", isHidden: hidden))
            rows.sort { $0.globalPosition < $1.globalPosition }
        }
        func read(_ ranges: [ClosedRange<GlobalPosition>], limit: Int) -> [RecordedEvent] {
            Array(rows.filter { e in ranges.contains { $0.contains(e.globalPosition) } }.prefix(limit))
        }
    }

    func poll(_ follower: inout LogFollower, _ log: Log, at now: Timestamp) -> [(GlobalPosition, Bool)] {
        let batch = log.read(follower.rangesToRead(at: now), limit: LogFollower.page)
        return follower.receive(batch, at: now).events.map { ($0.event.globalPosition, $0.late) }
    }

    @Test func aLateCommitIntoAHoleIsDeliveredOnceMarkedLate() {
        var log = Log()
        for p in GlobalPosition(0)...4 { log.commit(p, at: t0) }
        var follower = LogFollower(cursor: 4, head: 4, gapTimeout: 10)
        log.commit(6, at: t0.adding(seconds: 1))
        #expect(poll(&follower, log, at: t0.adding(seconds: 1)).map(\.0) == [6])
        log.commit(5, at: t0.adding(seconds: 2))
        let second = poll(&follower, log, at: t0.adding(seconds: 3))
        #expect(second.map(\.0) == [5] && second.map(\.1) == [true])
        // Never twice.
        #expect(poll(&follower, log, at: t0.adding(seconds: 4)).isEmpty)
        #expect(follower.rangesToRead(at: t0.adding(seconds: 4)) == [7...GlobalPosition.max])
    }

    /// Each poll is one read: every hole and the new range together, however many holes are open.
    @Test func manyHolesAreOneReadAndNoneIsDropped() {
        var log = Log()
        log.commit(0, at: t0)
        var follower = LogFollower(cursor: 0, head: 0, gapTimeout: 10)
        // 1,500 holes: every odd position after 0 is skipped for now.
        for p in stride(from: 2, through: 3_000, by: 2) { log.commit(GlobalPosition(p), at: t0) }
        var delivered: [GlobalPosition] = []
        for _ in 0..<3 { delivered += poll(&follower, log, at: t0.adding(seconds: 1)).map(\.0) }
        #expect(delivered.count == 1_500)
        #expect(follower.rangesToRead(at: t0.adding(seconds: 1)).count == 1_501)
        for p in stride(from: 1, through: 2_999, by: 2) { log.commit(GlobalPosition(p), at: t0.adding(seconds: 2)) }
        var late: [GlobalPosition] = []
        for _ in 0..<3 { late += poll(&follower, log, at: t0.adding(seconds: 3)).filter(\.1).map(\.0) }
        #expect(late == Array(stride(from: 1, through: 2_999, by: 2)).map(GlobalPosition.init))
    }

    @Test func aHoleOlderThanTheTimeoutIsNoLongerWatched() {
        var log = Log()
        log.commit(0, at: t0)
        var follower = LogFollower(cursor: 0, head: 0, gapTimeout: 10)
        log.commit(2, at: t0)
        _ = poll(&follower, log, at: t0)
        #expect(follower.rangesToRead(at: t0.adding(seconds: 9)).contains(1...1))
        #expect(!follower.rangesToRead(at: t0.adding(seconds: 11)).contains(1...1))
        _ = poll(&follower, log, at: t0.adding(seconds: 11))
        #expect(follower.gaps.known.isEmpty)
    }

    /// Holes are found in the unfiltered log: a hidden event or one of another type is no hole.
    @Test func filtersDecideWhatIsPrintedNotWhatIsAHole() {
        var log = Log()
        log.commit(0, at: t0)
        var follower = LogFollower(cursor: 0, head: 0, types: ["Wanted"], gapTimeout: 10)
        log.commit(1, at: t0, type: "Other")
        log.commit(2, at: t0, type: "Wanted", hidden: true)
        log.commit(3, at: t0, type: "Wanted")
        #expect(poll(&follower, log, at: t0).map(\.0) == [3])
        #expect(follower.gaps.known.isEmpty)
    }

    /// The polling loop waits on the injected clock: with a test clock, no real time passes.
    @Test func theLoopSleepsOnTheInjectedClock() async throws {
        let clock = TestClock()
        let reader = InMemoryStore(streams: [], events: [])
        let (polls, signal) = AsyncStream.makeStream(of: Int.self)
        let task = Task {
            var follower = LogFollower(cursor: -1, head: -1)
            var count = 0
            try await follower.run(reader, clock: clock, interval: .milliseconds(100), now: { Timestamp(microseconds: 0) },
                                   deliver: { _ in count += 1; signal.yield(count) }, stop: { count >= 3 })
            signal.finish()
        }
        var seen = polls.makeAsyncIterator()
        #expect(await seen.next() == 1)
        await clock.advance(by: .milliseconds(150))
        #expect(await seen.next() == 2)
        await clock.advance(by: .milliseconds(150))
        #expect(await seen.next() == 3)
        try await task.value
        #expect(await seen.next() == nil)
    }
}

extension LogFollowerTests {
    /// With a probe, a change seen between polls is read at the end of its probe step, not at the
    /// next interval; probes that see nothing poll nothing.
    @Test(.timeLimit(.minutes(1)))
    func aChangeTheProbeSeesIsReadAtTheEndOfItsStep() async throws {
        let clock = TestClock()
        let reader = InMemoryStore(streams: [], events: [])
        let (deliveries, delivered) = AsyncStream.makeStream(of: Duration.self)
        let (probes, probed) = AsyncStream.makeStream(of: Int.self)
        let origin = clock.now
        let task = Task {
            var follower = LogFollower(cursor: -1, head: -1)
            var count = 0, looks = 0
            // Looks 1 and 4 come before polls; look 3, at the second step, sees a change.
            let probe = LogFollower.Probe<TestClock<Duration>>(interval: .milliseconds(20), changed: {
                looks += 1
                probed.yield(looks)
                return looks == 3
            })
            try await follower.run(reader, clock: clock, interval: .milliseconds(100), probe: probe, now: { Timestamp(microseconds: 0) },
                                   deliver: { _ in count += 1; delivered.yield(origin.duration(to: clock.now)) }, stop: { count >= 2 })
            delivered.finish()
            probed.finish()
        }
        var polls = deliveries.makeAsyncIterator(), looks = probes.makeAsyncIterator()
        #expect(await looks.next() == 1)
        #expect(await polls.next() == .zero)
        await clock.advance(by: .milliseconds(20))
        #expect(await looks.next() == 2)
        await clock.advance(by: .milliseconds(20))
        #expect(await looks.next() == 3)
        #expect(await looks.next() == 4)
        #expect(await polls.next() == .milliseconds(40))
        try await task.value
        #expect(await polls.next() == nil)
    }
}

extension LogFollowerTests {
    /// A store may hold the very last position: following it neither traps nor reads past it.
    @Test func theLastPossiblePositionIsFollowedWithoutOverflow() {
        var log = Log()
        log.commit(.max - 2, at: t0)
        var follower = LogFollower(cursor: .max - 2, head: .max - 2, gapTimeout: 10)
        log.commit(.max, at: t0)
        #expect(poll(&follower, log, at: t0).map(\.0) == [.max])
        #expect(follower.rangesToRead(at: t0) == [(GlobalPosition.max - 1)...(GlobalPosition.max - 1)])
        #expect(poll(&follower, log, at: t0).isEmpty)
    }
}
