/// The gap runs of a window, kept between refreshes so a refresh costs what is new (issue: a
/// million-position window took 287 ms per refresh at 10M events).
///
/// What can change below the last scan, and how a refresh notices it:
/// - a `missing` position fills (an out-of-order commit): the cached missing runs are re-read in
///   one query (`events(in:)`), and whatever arrived is taken out of them;
/// - a stream is soft-deleted or undeleted, which turns its events into a `deleted` run or back:
///   the set of deleted streams is compared with the last scan's, and a change rescans the window.
/// Everything above the last scan is scanned as new; a window that grows downwards scans the new
/// part below.
public struct GapRunCache: Sendable, Hashable {
    /// The positions the cached runs describe: every run inside it is known, none outside.
    public private(set) var covered: ClosedRange<GlobalPosition>?
    public private(set) var runs: [Gap] = []
    var deletedStreams: Set<String>?
    public let limit: Int

    public init(limit: Int = 1000) { self.limit = limit }

    /// The runs of `window` (at most `limit`), reading only what the cache cannot answer.
    public mutating func refresh(_ window: ClosedRange<GlobalPosition>, reader: any StoreReader) async throws -> [Gap] {
        let deleted = try await reader.softDeletedStreams()
        if deleted != deletedStreams || covered.map({ !$0.overlaps(window) }) ?? true {
            return try await rescan(window, reader: reader, deleted: deleted)
        }
        var known = runs.filter { $0.to >= window.lowerBound && $0.from <= window.upperBound }
            .map { Gap(from: max($0.from, window.lowerBound), to: min($0.to, window.upperBound), kind: $0.kind) }
        var span = max(window.lowerBound, covered!.lowerBound)...min(window.upperBound, covered!.upperBound)
        // Missing runs may have filled since: one read for all of them.
        let missing = known.filter { $0.kind == .missing }.map { $0.from...$0.to }
        if !missing.isEmpty {
            let arrived = try await reader.events(in: missing, limit: Int(missing.reduce(0) { $0 + $1.count }))
            known = Self.subtract(arrived, from: known, deletedStreams: deleted)
        }
        var below: [Gap] = [], above: [Gap] = []
        if window.lowerBound < span.lowerBound {
            below = try await reader.gaps(in: window.lowerBound...span.lowerBound - 1, limit: limit)
            span = window.lowerBound...span.upperBound
        }
        if window.upperBound > span.upperBound {
            above = try await reader.gaps(in: span.upperBound + 1...window.upperBound, limit: limit)
            // A truncated scan covers up to its last run only.
            let end = above.count == limit ? above[limit - 1].to : window.upperBound
            span = span.lowerBound...end
        }
        runs = Self.joined(below + known + above)
        covered = span
        return Array(runs.prefix(limit))
    }

    mutating func rescan(_ window: ClosedRange<GlobalPosition>, reader: any StoreReader, deleted: Set<String>) async throws -> [Gap] {
        runs = try await reader.gaps(in: window, limit: limit)
        covered = window.lowerBound...(runs.count == limit ? runs[limit - 1].to : window.upperBound)
        deletedStreams = deleted
        return runs
    }

    /// Takes the positions of arrived events out of missing runs: an event of a soft-deleted stream
    /// turns its position into a one-position `deleted` run; any other closes it (an event with no
    /// stream row is hidden too, but reported only when orphans are asked for).
    static func subtract(_ arrived: [RecordedEvent], from runs: [Gap], deletedStreams: Set<String>) -> [Gap] {
        guard !arrived.isEmpty else { return runs }
        let byPosition = Dictionary(arrived.map { ($0.globalPosition, deletedStreams.contains($0.streamId)) },
                                    uniquingKeysWith: { a, _ in a })
        var out: [Gap] = []
        for run in runs {
            guard run.kind == .missing, arrived.contains(where: { run.contains($0.globalPosition) }) else { out.append(run); continue }
            var start = run.from
            for p in run.from...run.to {
                guard let hidden = byPosition[p] else { continue }
                if start < p { out.append(Gap(from: start, to: p - 1, kind: .missing)) }
                if hidden { out.append(Gap(from: p, to: p, kind: .deleted)) }
                start = p + 1
            }
            if start <= run.to { out.append(Gap(from: start, to: run.to, kind: .missing)) }
        }
        return joined(out)
    }

    /// Sorts runs and joins adjacent runs of the same kind (a run cut by a scan boundary).
    static func joined(_ runs: [Gap]) -> [Gap] {
        var out: [Gap] = []
        for run in runs.sorted(by: { $0.from < $1.from }) {
            if let last = out.last, last.kind == run.kind, last.to + 1 == run.from {
                out[out.count - 1].to = run.to
            } else {
                out.append(run)
            }
        }
        return out
    }
}
