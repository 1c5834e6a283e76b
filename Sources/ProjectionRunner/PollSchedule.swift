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
