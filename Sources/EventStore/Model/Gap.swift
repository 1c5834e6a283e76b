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

extension Gap {
    /// Whether a run can still fill (SPEC §5, PostgreSQL only): waku takes identity values outside
    /// the transaction, so a missing position fills only while the transaction that took it is open.
    public enum Fillability: String, Sendable, Hashable, CaseIterable {
        /// A writing transaction that began before the run was first seen is still open.
        case fillable
        /// No such transaction: the positions are burnt for ever (or, for `deleted` runs, hidden
        /// until the stream is undeleted).
        case permanent
    }

    /// Judges a run against the store's open writing transactions. `firstSeen` and `now` are the
    /// caller's clock; `writers` ages are the database's, so only the run's age crosses over (a
    /// server whose clock is off by minutes is judged right). nil when the answer cannot be known:
    /// a store that cannot tell (SQLite), or sessions this role may not see into.
    public static func fillability(of gap: Gap, firstSeen: Timestamp, now: Timestamp, writers: OpenWriters) -> Fillability? {
        if gap.kind == .deleted { return .permanent }
        let seenAgo = max(0, now.seconds(since: firstSeen))
        if let oldest = writers.oldestAge, oldest > seenAgo { return .fillable }
        return writers.hiddenSessions > 0 ? nil : .permanent
    }
}

/// The writing transactions still open on a store's database, as the server reports them.
public struct OpenWriters: Sendable, Hashable {
    /// Seconds, by the database's clock, since the oldest open transaction that has written began; nil when none is open.
    public var oldestAge: Double?
    /// Sessions on the database whose transactions this role may not see (PostgreSQL shows other
    /// roles' sessions only to members of `pg_read_all_stats`).
    public var hiddenSessions: Int

    public init(oldestAge: Double?, hiddenSessions: Int) {
        self.oldestAge = oldestAge
        self.hiddenSessions = hiddenSessions
    }
}

/// A store that can say which transactions are still open (PostgreSQL's `pg_stat_activity`), so a
/// missing run can be told `fillable` from `permanent`. SQLite cannot: one writer at a time, and a
/// burnt position is never re-used.
public protocol OpenTransactionReader: StoreReader {
    func openWriters() async throws -> OpenWriters
}
