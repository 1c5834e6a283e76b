/// Ages gaps the one way every part of eventscope needs (SPEC §4, §5): the Gaps pane, the
/// Projections pane's `blocked-by-gap`, `tail`'s watch for late commits, and the runner's safe
/// position all ask the same tracker.
///
/// A gap is born when it is first seen, or, for a gap that was already behind the head when this
/// tracker first looked, when the event right after it was committed (a gap 30 days old reads 30
/// days old at once, not "0s"). A run that splits or shrinks as positions fill keeps its birth.
/// `deleted` runs never fill: they are `permanent`. Pure: every method is handed the time.
public struct GapTracker: Sendable, Hashable {
    /// What a gap means right now.
    public enum State: String, Sendable, Hashable, CaseIterable {
        /// Missing and younger than the timeout: a slow writer may still commit into it.
        case inFlight = "in-flight"
        /// Missing for longer than the timeout: runners with gap detection skip it.
        case stale
        /// Rows of soft-deleted streams: hidden from projections until the stream is undeleted.
        case permanent
    }

    struct Entry: Sendable, Hashable {
        var range: ClosedRange<GlobalPosition>
        var born: Timestamp
    }

    /// A gap younger than this may still fill (waku's default 10 s).
    public var timeout: Double
    /// The head when the tracker first looked: gaps at or below it were there before we were.
    public private(set) var horizon: GlobalPosition?
    private(set) var entries: [Entry] = []

    /// `horizon`: the head when watching began, when the caller knows it better than the first scan.
    public init(timeout: Double = 10, horizon: GlobalPosition? = nil) {
        self.timeout = timeout
        self.horizon = horizon
    }

    /// Records the runs a scan of `window` found at `now`. Runs known before keep their birth; new
    /// runs above the horizon are born now, new runs below it when the event after them
    /// (`commitTimes[run.to + 1]`) was committed, and never later than now. Known runs inside the
    /// window that the scan no longer finds have filled and are forgotten; those outside stay.
    public mutating func observe(_ runs: [Gap], in window: ClosedRange<GlobalPosition>, head: GlobalPosition,
                                 at now: Timestamp, commitTimes: [GlobalPosition: Timestamp] = [:]) {
        let horizon = self.horizon ?? head
        self.horizon = horizon
        var kept = entries.filter { !$0.range.overlaps(window) }
        for run in runs {
            let range = run.from...run.to
            let inherited = entries.filter { $0.range.overlaps(range) }.map(\.born).min()
            let after = run.to < .max ? commitTimes[run.to + 1] : nil
            let born = inherited ?? (run.from > horizon ? now : min(now, after ?? now))
            kept.append(Entry(range: range, born: born))
        }
        entries = kept.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// When the oldest known run overlapping `range` was born; nil when none is known.
    public func born(overlapping range: ClosedRange<GlobalPosition>) -> Timestamp? {
        entries.filter { $0.range.overlaps(range) }.map(\.born).min()
    }

    /// Seconds since the gap was born, as of `now`; 0 for a gap the tracker has not seen.
    public func age(of gap: Gap, at now: Timestamp) -> Double {
        born(overlapping: gap.from...gap.to).map { max(0, now.seconds(since: $0)) } ?? 0
    }

    public func state(of gap: Gap, at now: Timestamp) -> State {
        if gap.kind == .deleted { return .permanent }
        return age(of: gap, at: now) < timeout ? .inFlight : .stale
    }

    /// The known runs, ascending, with their birth.
    public var known: [(range: ClosedRange<GlobalPosition>, born: Timestamp)] { entries.map { ($0.range, $0.born) } }
}

extension GapTracker {
    /// The commit time of the event right after each run the tracker would date by its events (a
    /// new run at or below the horizon), read in one query; runs it knows already cost nothing.
    public func commitTimes(after runs: [Gap], head: GlobalPosition, reader: any StoreReader) async throws -> [GlobalPosition: Timestamp] {
        let horizon = self.horizon ?? head
        let undated = runs.filter { $0.from <= horizon && $0.to < head && born(overlapping: $0.from...$0.to) == nil }
        guard !undated.isEmpty else { return [:] }
        var times: [GlobalPosition: Timestamp] = [:]
        for event in try await reader.events(in: undated.map { $0.to + 1 ... $0.to + 1 }, limit: undated.count) {
            if let t = event.timestamp.timestamp { times[event.globalPosition] = t }
        }
        return times
    }

    /// Records a scan's runs, dating those that were there before us by their events.
    public mutating func observe(_ runs: [Gap], in window: ClosedRange<GlobalPosition>, head: GlobalPosition,
                                 at now: Timestamp, reader: any StoreReader) async throws {
        let times = try await commitTimes(after: runs, head: head, reader: reader)
        observe(runs, in: window, head: head, at: now, commitTimes: times)
    }
}
