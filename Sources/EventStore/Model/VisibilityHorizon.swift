/// How much of the log a library's own readers cannot see yet. eventsource-py on PostgreSQL reads
/// only rows whose writing transaction is below the horizon, `txid < pg_snapshot_xmin(pg_current_snapshot())`
/// (SPEC §3.3): a row committed while an older transaction is still open waits for it. The global
/// position says nothing of this, so the head can be ahead of what the library's projections will
/// ever be shown until the horizon passes.
public struct VisibilityHorizon: Sendable, Hashable {
    /// Committed rows at or above the horizon (counting stops at the reader's cap).
    public var hidden: PendingCount
    /// The lowest global position among them; nil when none is hidden.
    public var firstHidden: GlobalPosition?
    /// Of the hidden rows, those whose stored txid this cluster has not even handed out yet: they
    /// were written in another cluster (a restored dump), and the library's readers will not see
    /// them until this cluster's transaction ids pass theirs. Not a handful in flight: a stall.
    public var fromAnotherCluster: PendingCount
    /// The horizon itself, `pg_snapshot_xmin` of the reading snapshot, as text (an xid8).
    public var horizon: String

    public init(hidden: PendingCount, firstHidden: GlobalPosition?, fromAnotherCluster: PendingCount, horizon: String) {
        self.hidden = hidden
        self.firstHidden = firstHidden
        self.fromAnotherCluster = fromAnotherCluster
        self.horizon = horizon
    }

    /// Whether the library's readers are held back by rows from another cluster.
    public var isStalledByRestore: Bool { fromAnotherCluster.count > 0 }
}

/// A store whose library reads behind a visibility horizon (eventsource-py on PostgreSQL).
public protocol VisibilityHorizonReader: StoreReader {
    /// The rows not yet visible to the library's readers, counted up to `cap`; nil when this store
    /// has no such horizon (another layout, or eventsource-py on SQLite, which has no txid).
    func visibilityHorizon(cap: Int64) async throws -> VisibilityHorizon?
}

extension VisibilityHorizon {
    /// For the status line: nil while every committed row is visible.
    public var statusWord: String? {
        if isStalledByRestore { return "\(fromAnotherCluster.description) rows from another cluster: invisible to the library" }
        return hidden.count == 0 ? nil : "\(hidden.description) rows not yet visible to the library"
    }

    /// The whole story, plainly: what the library's readers see, and why not more.
    public var sentence: String {
        let from = firstHidden.map { " from position \($0)" } ?? ""
        if isStalledByRestore {
            return "\(fromAnotherCluster.description) rows\(from) carry txids this cluster has not reached (a restored dump?): "
                + "the library's projections will not see them until its transaction ids pass theirs; they are stalled"
        }
        if hidden.count == 0 { return "every committed row is visible to the library's readers (horizon txid \(horizon))" }
        return "\(hidden.description) committed rows\(from) not yet visible to the library's readers: an older transaction is still open (horizon txid \(horizon))"
    }
}
