import EventStore

/// waku's gap tracker, for one projection: how far the checkpoint may safely move (SPEC §4).
///
/// A missing position holds the checkpoint until it is older than the timeout, then it is skipped.
/// A run is dated when first seen, or by the commit of the event right after it when that is
/// earlier (a gap that was already old when the runner started does not wait again). Pure.
public struct SafePosition: Sendable, Hashable {
    public var timeout: Double
    private(set) var born: [ClosedRange<GlobalPosition>: Timestamp] = [:]

    public init(timeout: Double) { self.timeout = timeout }

    /// The highest position a batch may reach, given the runs missing after the checkpoint.
    /// Every run starts its clock, also those past the first one that holds.
    public mutating func limit(for runs: [MissingRun], at now: Timestamp) -> GlobalPosition {
        var next: [ClosedRange<GlobalPosition>: Timestamp] = [:]
        for run in runs {
            let inherited = born.filter { $0.key.overlaps(run.range) }.map(\.value).min()
            next[run.range] = inherited ?? min(now, run.nextCommittedAt ?? now)
        }
        born = next
        for run in runs.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            if now.seconds(since: next[run.range]!) < timeout { return run.range.lowerBound - 1 }
        }
        return .max
    }

    public mutating func reset() { born = [:] }
}
