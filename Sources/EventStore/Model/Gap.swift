/// A run `[from, to]` of global positions that no visible event holds (SPEC §5).
public struct Gap: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// No row: rolled back, crashed, or still in flight.
        case missing
        /// Rows exist but belong to soft-deleted (or row-less) streams, invisible to projections.
        case deleted
    }

    public var from: GlobalPosition
    public var to: GlobalPosition
    public var kind: Kind

    public init(from: GlobalPosition, to: GlobalPosition, kind: Kind) {
        precondition(from <= to, "a gap runs forwards")
        self.from = from
        self.to = to
        self.kind = kind
    }

    public var length: Int64 { to - from + 1 }

    public func contains(_ position: GlobalPosition) -> Bool { position >= from && position <= to }
}

extension Gap {
    /// SPEC §5's default window: from just above the lowest checkpoint (or 0) to the head; nil when
    /// it is empty (an empty store, or every projection at the head).
    public static func defaultWindow(head: GlobalPosition, checkpoints: [GlobalPosition]) -> ClosedRange<GlobalPosition>? {
        let from = max(0, (checkpoints.min() ?? -1) + 1)
        return head >= 0 && from <= head ? from...head : nil
    }

    /// Merges runs of missing positions and runs of hidden positions into one ordered list.
    /// The inputs are each sorted and disjoint (a position is either absent or present), so
    /// the result is too; adjacent runs of different kinds stay separate.
    public static func merge(missing: [Gap], deleted: [Gap]) -> [Gap] {
        var result: [Gap] = []
        result.reserveCapacity(missing.count + deleted.count)
        var i = 0, j = 0
        while i < missing.count || j < deleted.count {
            if j == deleted.count || (i < missing.count && missing[i].from < deleted[j].from) {
                result.append(missing[i]); i += 1
            } else {
                result.append(deleted[j]); j += 1
            }
        }
        return result
    }
}
