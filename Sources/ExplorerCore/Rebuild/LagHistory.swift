import EventStore

/// A projection's pending counts over the last minutes, one sample per refresh of the
/// Projections pane, bounded in time and in number: what its lag sparkline draws.
public struct LagHistory: Sendable, Hashable {
    /// How far back the sparkline looks.
    public static let window = 180.0
    /// The most samples kept, whatever the refresh rate.
    public static let sampleLimit = 256

    public struct Sample: Sendable, Hashable {
        public var time: Timestamp
        public var pending: Int64
    }

    public private(set) var samples: [Sample] = []

    public init() {}

    mutating func record(_ pending: Int64, at time: Timestamp) {
        // A clock that stepped back starts the history again rather than drawing it out of order.
        if let last = samples.last, time.seconds(since: last.time) < 0 { samples = [] }
        samples.append(Sample(time: time, pending: pending))
        samples.removeAll { time.seconds(since: $0.time) > Self.window }
        if samples.count > Self.sampleLimit { samples.removeFirst(samples.count - Self.sampleLimit) }
    }

    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `width` cells covering the window up to `now`, oldest on the left: each cell is the largest
    /// pending count sampled in its slice of time, scaled to the largest in the window (any lag
    /// at all shows above the baseline); a slice with no sample is blank.
    public func sparkline(width: Int, now: Timestamp) -> String {
        guard width > 0 else { return "" }
        var cells = [Int64?](repeating: nil, count: width)
        let slice = Self.window / Double(width)
        for sample in samples {
            let age = now.seconds(since: sample.time)
            guard age >= 0, age <= Self.window else { continue }
            let cell = width - 1 - min(width - 1, Int(age / slice))
            cells[cell] = max(cells[cell] ?? 0, sample.pending)
        }
        let top = cells.compactMap { $0 }.max() ?? 0
        return String(cells.map { value -> Character in
            guard let value else { return " " }
            guard value > 0, top > 0 else { return Self.blocks[0] }
            let level = Int((Double(value) / Double(top) * 7).rounded())
            return Self.blocks[min(7, max(1, level))]
        })
    }
}
