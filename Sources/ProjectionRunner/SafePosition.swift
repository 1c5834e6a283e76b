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

/// Adaptive polling: at once after a full batch, 0.5 s after some work, one step (1 s) slower per
/// idle cycle, up to 5 s.
public struct PollSchedule: Sendable, Hashable {
    public var minimum: Duration
    public var step: Duration
    public var maximum: Duration
    public private(set) var idleCycles = 0

    public init(minimum: Duration = .milliseconds(500), step: Duration = .seconds(1), maximum: Duration = .seconds(5)) {
        self.minimum = minimum
        self.step = step
        self.maximum = max(minimum, maximum)
    }

    public enum Outcome: Sendable { case fullBatch, someWork, idle }

    /// The wait before the next cycle after one that ended with `outcome`.
    public mutating func next(after outcome: Outcome) -> Duration {
        switch outcome {
        case .fullBatch:
            idleCycles = 0
            return .zero
        case .someWork:
            idleCycles = 0
            return minimum
        case .idle:
            idleCycles += 1
            return min(maximum, minimum + step * idleCycles)
        }
    }
}
