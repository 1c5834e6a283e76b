import EventStore
import Testing

/// One test per rule of SPEC §5 as the tracker implements it; time is handed in, never read.
@Suite struct GapTrackerTests {
    let t0 = Timestamp(parsing: "2026-11-23T12:00:00Z")!
    func missing(_ from: GlobalPosition, _ to: GlobalPosition) -> Gap { Gap(from: from, to: to, kind: .missing) }

    @Test func aGapAboveTheHorizonIsBornWhenFirstSeen() {
        var tracker = GapTracker(timeout: 10)
        tracker.observe([], in: 0...100, head: 100, at: t0)
        tracker.observe([missing(101, 101)], in: 0...105, head: 105, at: t0.adding(seconds: 3),
                        commitTimes: [102: t0.adding(seconds: -500)])
        #expect(tracker.age(of: missing(101, 101), at: t0.adding(seconds: 5)) == 2)
        #expect(tracker.state(of: missing(101, 101), at: t0.adding(seconds: 5)) == .inFlight)
        #expect(tracker.state(of: missing(101, 101), at: t0.adding(seconds: 13.5)) == .stale)
    }

    /// A gap 30 days old does not read "in-flight 0s" when the pane opens.
    @Test func aGapBehindTheHeadAtStartIsDatedByTheEventAfterIt() {
        var tracker = GapTracker(timeout: 10)
        let monthAgo = t0.adding(seconds: -30 * 86_400)
        tracker.observe([missing(40, 42)], in: 0...100, head: 100, at: t0, commitTimes: [43: monthAgo])
        #expect(tracker.age(of: missing(40, 42), at: t0) == 30 * 86_400)
        #expect(tracker.state(of: missing(40, 42), at: t0) == .stale)
    }

    /// An event clock ahead of ours never makes a gap born in the future.
    @Test func aGapIsNeverBornLaterThanNow() {
        var tracker = GapTracker(timeout: 10)
        tracker.observe([missing(40, 40)], in: 0...100, head: 100, at: t0, commitTimes: [41: t0.adding(seconds: 60)])
        #expect(tracker.age(of: missing(40, 40), at: t0) == 0)
    }

    @Test func deletedRunsArePermanent() {
        var tracker = GapTracker(timeout: 10)
        let deleted = Gap(from: 5, to: 6, kind: .deleted)
        tracker.observe([deleted], in: 0...10, head: 10, at: t0)
        #expect(tracker.state(of: deleted, at: t0) == .permanent)
        #expect(tracker.state(of: deleted, at: t0.adding(seconds: 3_600)) == .permanent)
    }

    /// A run that partly fills keeps its birth in every piece.
    @Test func piecesOfASplitRunKeepTheirBirth() {
        var tracker = GapTracker(timeout: 10)
        tracker.observe([], in: 0...10, head: 10, at: t0)
        tracker.observe([missing(11, 15)], in: 0...20, head: 20, at: t0.adding(seconds: 1))
        tracker.observe([missing(11, 12), missing(14, 15)], in: 0...20, head: 20, at: t0.adding(seconds: 8))
        #expect(tracker.age(of: missing(14, 15), at: t0.adding(seconds: 9)) == 8)
        #expect(tracker.age(of: missing(11, 12), at: t0.adding(seconds: 9)) == 8)
    }

    /// A run the scan of its window no longer finds has filled and is forgotten; one outside stays.
    @Test func filledRunsAreForgottenOthersKept() {
        var tracker = GapTracker(timeout: 10)
        tracker.observe([missing(3, 3), missing(50, 50)], in: 0...60, head: 60, at: t0)
        tracker.observe([], in: 0...20, head: 60, at: t0.adding(seconds: 1))
        #expect(tracker.known.map(\.range) == [50...50])
        // A gap appearing again at 3 later is a new one.
        tracker.observe([missing(3, 3)], in: 0...20, head: 60, at: t0.adding(seconds: 5), commitTimes: [4: t0.adding(seconds: 4)])
        #expect(tracker.age(of: missing(3, 3), at: t0.adding(seconds: 5)) == 1)
    }

    /// The horizon is the head at the first look, not the head of later scans.
    @Test func theHorizonIsTheFirstHead() {
        var tracker = GapTracker(timeout: 10)
        tracker.observe([], in: 0...100, head: 100, at: t0)
        tracker.observe([], in: 0...200, head: 200, at: t0.adding(seconds: 1))
        #expect(tracker.horizon == 100)
    }
}
